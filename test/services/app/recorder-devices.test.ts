// Hot-plug through the services: once the recorder was asked for its devices, a sink loaded or
// unloaded on a private PulseAudio daemon is pushed as `recorder.devices`, and closing the
// services ends the polling. pactl runs through a wrapper that logs each run, so "no polling" is
// counted, not guessed from timing.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/app/services';
import type { AudioDevice } from '../../../src/shared/recording';
import { tempDir } from '../../helpers/audio';
import { pulseForThisFile } from '../../helpers/pulse';
import { request } from '../../helpers/services';

const dir = tempDir('studio-recorder-devices-');
const pulse = pulseForThisFile();
const pactlLog = join(dir, 'pactl.log');
let services: Services | null = null;
const pushed: AudioDevice[][] = [];

/**
 * How many times pactl has been run by the services so far, leaving out the one look at the
 * modules at start (for monitoring loopbacks a crashed app left playing): that is no polling.
 */
const pactlRuns = () =>
  existsSync(pactlLog)
    ? readFileSync(pactlLog, 'utf8')
        .split('\n')
        .filter((line) => line && line !== 'list short modules').length
    : 0;

beforeAll(async () => {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const realPactl = execFileSync('sh', ['-c', 'command -v pactl'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(bin, 'pactl'),
    `#!/bin/sh\necho "$*" >> '${pactlLog}'\nexec '${realPactl}' "$@"\n`,
  );
  chmodSync(join(bin, 'pactl'), 0o755);
  services = await createServices({
    dataDir: join(dir, 'data'),
    transport: 'http',
    version: 'test',
    env: { ...pulse.current.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  services.bus.on('recorder.devices', (devices) => pushed.push(devices));
});

afterAll(async () => {
  await services?.close();
});

const ids = (devices: AudioDevice[]) => devices.map((d) => d.id);

describe('recorder device hot-plug', () => {
  it('does not poll before anyone asked for devices', async () => {
    // Longer than the 2 s watch interval: a watch started at startup would have listed by now.
    await sleep(2500);
    expect(pactlRuns()).toBe(0);
  });

  it('pushes the whole list when a device is plugged in and pulled out', async () => {
    const first = await request(services!, 'recorder.devices');
    expect(ids(first)).not.toContain('studio_plugged.monitor');
    expect(pactlRuns()).toBeGreaterThan(0);

    const module = pulse.current.loadNullSink('studio_plugged');
    await expect
      .poll(() => pushed.some((list) => ids(list).includes('studio_plugged.monitor')), {
        timeout: 8000,
      })
      .toBe(true);
    const plugged = pushed.at(-1)!;
    expect(plugged).toContainEqual(
      expect.objectContaining({ id: 'studio_plugged.monitor', kind: 'system', backend: 'pulse' }),
    );

    const before = pushed.length;
    pulse.current.unloadModule(module);
    await expect.poll(() => pushed.length, { timeout: 8000 }).toBeGreaterThan(before);
    expect(ids(pushed.at(-1)!)).not.toContain('studio_plugged.monitor');
    // The same list as a fresh request: nothing is left out of the pushed one.
    expect(ids(pushed.at(-1)!)).toEqual(ids(await request(services!, 'recorder.devices')));
  });

  it('stops polling when the services close', async () => {
    await services!.close();
    services = null;
    const runs = pactlRuns();
    const events = pushed.length;
    // A device change after close is not pushed, and no listing runs over two intervals.
    const module = pulse.current.loadNullSink('studio_after_close');
    await sleep(5000);
    pulse.current.unloadModule(module);
    expect(pactlRuns()).toBe(runs);
    expect(pushed.length).toBe(events);
  });
});
