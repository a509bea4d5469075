import { describe, expect, it } from 'vitest';
import { AudioDevice } from '../../src/shared/recording';
import { runStudio } from '../helpers/cli';
import { pulseForThisFile } from '../helpers/pulse';

const pulse = pulseForThisFile();

const studio = (args: string[], env: NodeJS.ProcessEnv) => runStudio(args, { env });

describe('studio devices', () => {
  it('--json lists a null sink’s monitor as system audio with its channels and rate', async () => {
    const module = pulse.current.loadNullSink('studio_cli', { rate: 48000, channels: 2 });
    try {
      const run = await studio(['devices', '--json'], pulse.current.env);
      expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
      const devices = AudioDevice.array().parse(JSON.parse(run.stdout));
      expect(devices).toContainEqual(
        expect.objectContaining({
          id: 'studio_cli.monitor',
          kind: 'system',
          channels: 2,
          defaultRate: 48000,
          backend: 'pulse',
        }),
      );

      const table = await studio(['devices'], pulse.current.env);
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/KIND\s+CH\s+RATE\s+BACKEND\s+ID\s+NAME/);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /system\s+2\s+48000\s+pulse\s+studio_cli\.monitor\s+Monitor of studio_cli/,
        ),
      );
    } finally {
      pulse.current.unloadModule(module);
    }
  });

  it('says which audio systems it tried when none answers, with exit code 1', async () => {
    const run = await studio(['devices'], {
      ...process.env,
      PULSE_SERVER: 'unix:/nonexistent/native',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^studio: No audio system answered.*PulseAudio\/PipeWire \(pactl\): no PulseAudio or PipeWire server is running.*ALSA:/,
    );
  });
});
