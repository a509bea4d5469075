// Inputs the listen has something to say about: a dead stereo channel, 8 kHz phone audio, a clip
// under 3 s. Each gets its note in the report, and the dead channel is dropped from the result.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeMedia } from '../../../src/main/services/ffmpeg/probe';
import { processFile } from '../../../src/main/services/processing/process-file';
import { tempDir } from '../../helpers/audio';
import { cleanSpeech, readMonoFloat } from '../../helpers/speech';
import { only } from './step-fixtures';

const dir = tempDir('studio-notes-');
const speech = cleanSpeech(join(dir, 'speech.wav'), 6, { seed: 7 });

function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
}

/** The channels of a file as separate float arrays. */
function channels(path: string, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, c) => {
    const out = join(dir, `channel-${c}.wav`);
    ffmpeg('-i', path, '-af', `pan=mono|c0=c${c}`, '-c:a', 'pcm_f32le', out);
    return readMonoFloat(out);
  });
}

describe('a stereo recording with one dead channel', () => {
  for (const [dead, live] of [
    ['right', 'left'],
    ['left', 'right'],
  ] as const) {
    it(`${dead} silent → mono from the ${live} channel, and says so`, async () => {
      const input = join(dir, `${dead}-dead.wav`);
      const pan = dead === 'right' ? 'stereo|c0=c0|c1=0*c0' : 'stereo|c0=0*c0|c1=c0';
      ffmpeg('-i', speech, '-af', `pan=${pan}`, '-c:a', 'pcm_s16le', input);
      const output = join(dir, `${dead}-dead-out.wav`);
      const report = await processFile({ input, output, settings: only({}) });

      expect(report.notes).toContain(
        `The ${dead} channel is silent: the result is mono from the ${live} channel.`,
      );
      expect((await probeMedia(output)).channels).toBe(1);
      // The live channel as it was: not averaged with the silent one (which would cost 6 dB).
      const [left, right] = channels(input, 2);
      const source = dead === 'right' ? left! : right!;
      const result = readMonoFloat(output);
      expect(result.length).toBe(source.length);
      let worst = 0;
      for (let i = 0; i < source.length; i++)
        worst = Math.max(worst, Math.abs(result[i]! - source[i]!));
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('two live channels stay stereo, with no note', async () => {
    const input = join(dir, 'both-live.wav');
    ffmpeg('-i', speech, '-af', 'pan=stereo|c0=c0|c1=0.5*c0', '-c:a', 'pcm_s16le', input);
    const output = join(dir, 'both-live-out.wav');
    const report = await processFile({ input, output, settings: only({}) });
    expect(report.notes.join(' ')).not.toMatch(/channel is silent/);
    expect((await probeMedia(output)).channels).toBe(2);
  });
});

describe('phone audio and short clips', () => {
  it('8 kHz input: upsampled to 48 kHz, with a note that the top cannot come back', async () => {
    const input = join(dir, 'phone.wav');
    ffmpeg('-i', speech, '-ar', '8000', '-c:a', 'pcm_s16le', input);
    const output = join(dir, 'phone-out.wav');
    const report = await processFile({ input, output, settings: only({ highPass: true }) });
    expect(report.notes.join(' ')).toMatch(
      /8 kHz phone-quality audio.*above 4 kHz cannot come back/,
    );
    const probe = await probeMedia(output);
    expect(probe.sampleRate).toBe(48000);
    expect(probe.durationSec).toBeCloseTo(6, 1);
  });

  it('under 3 s: processed, with a note that its measurements are rough', async () => {
    const input = join(dir, 'short.wav');
    ffmpeg('-i', speech, '-t', '2', '-c:a', 'pcm_s16le', input);
    const output = join(dir, 'short-out.flac');
    const report = await processFile({ input, output, settings: only({ highPass: true }) });
    expect(report.notes.join(' ')).toMatch(/shorter than 3 s/);
    expect(report.durationSeconds.before).toBeCloseTo(2, 2);
  });

  it('a full-length 48 kHz input gets neither note', async () => {
    const output = join(dir, 'plain-out.wav');
    const report = await processFile({ input: speech, output, settings: only({}) });
    expect(report.notes.join(' ')).not.toMatch(/shorter than|phone-quality|silent/);
  });
});
