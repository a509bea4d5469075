import { describe, expect, it } from 'vitest';
import {
  type DeviceChange,
  listDevices,
  watchDevices,
} from '../../../src/main/services/recording/devices';
import { AudioDevice } from '../../../src/shared/recording';
import { tempDir } from '../../helpers/audio';
import { pulseForThisFile } from '../../helpers/pulse';

const pulse = pulseForThisFile();

describe('listDevices on a real PulseAudio server', () => {
  it('finds a null sink’s monitor as system audio (2 channels, 48 kHz, the default) and a source as input', async () => {
    const module = pulse.current.loadNullSink('studio_main', { rate: 48000, channels: 2 });
    const mic = pulse.current.pactl('load-module', 'module-null-source', 'source_name=studio_mic');
    try {
      pulse.current.pactl('set-default-source', 'studio_main.monitor');
      const devices = await listDevices({ env: pulse.current.env });
      for (const device of devices) AudioDevice.parse(device);
      expect(devices).toContainEqual({
        id: 'studio_main.monitor',
        name: expect.stringContaining('studio_main'),
        kind: 'system',
        channels: 2,
        defaultRate: 48000,
        backend: 'pulse',
        isDefault: true,
      });
      // A source that monitors no sink is an input (a microphone, to the recorder).
      expect(devices).toContainEqual(
        expect.objectContaining({ id: 'studio_mic', kind: 'input', isDefault: false }),
      );
    } finally {
      pulse.current.unloadModule(module);
      pulse.current.unloadModule(Number(mic.trim()));
    }
  });

  it('reports a sink plugged in and pulled out through watchDevices', async () => {
    const changes: DeviceChange[] = [];
    const errors: unknown[] = [];
    const watch = watchDevices((change) => changes.push(change), {
      env: pulse.current.env,
      intervalMs: 50,
      onError: (error) => errors.push(error),
    });
    try {
      const before = await watch.ready;
      expect(before.map((d) => d.id)).not.toContain('studio_hotplug.monitor');

      const module = pulse.current.loadNullSink('studio_hotplug', { rate: 44100, channels: 1 });
      await expect.poll(() => changes.length, { timeout: 5000 }).toBe(1);
      expect(changes[0]!.removed).toEqual([]);
      expect(changes[0]!.added).toMatchObject([
        { id: 'studio_hotplug.monitor', kind: 'system', channels: 1, defaultRate: 44100 },
      ]);

      pulse.current.unloadModule(module);
      await expect.poll(() => changes.length, { timeout: 5000 }).toBe(2);
      expect(changes[1]!.added).toEqual([]);
      expect(changes[1]!.removed.map((d) => d.id)).toEqual(['studio_hotplug.monitor']);
      expect(changes[1]!.devices.map((d) => d.id)).not.toContain('studio_hotplug.monitor');
    } finally {
      await watch.stop();
    }
    // Stopped means silent: a change after stop is not reported.
    const module = pulse.current.loadNullSink('studio_after_stop');
    await new Promise((resolve) => setTimeout(resolve, 200));
    pulse.current.unloadModule(module);
    expect(changes).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});

describe('listDevices with no usable backend', () => {
  const dir = tempDir('studio-devices-');

  it('throws audio_unavailable naming pactl and ALSA and why each failed', async () => {
    const error = await listDevices({
      platform: 'linux',
      env: { PATH: dir, PULSE_SERVER: `unix:${dir}/none` },
      procPcmPath: `${dir}/pcm`,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'audio_unavailable' });
    const message = (error as Error).message;
    expect(message).toMatch(/PulseAudio\/PipeWire \(pactl\): pactl is not installed/);
    expect(message).toMatch(/ALSA: arecord is not installed; .*\/pcm not found/);
  });

  it('says the server is not running when pactl is there but nothing answers', async () => {
    const error = await listDevices({
      platform: 'linux',
      env: { ...process.env, PULSE_SERVER: `unix:${dir}/none` },
      procPcmPath: `${dir}/pcm`,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'audio_unavailable' });
    expect((error as Error).message).toMatch(
      /pactl\): no PulseAudio or PipeWire server is running \(pactl: Connection refused\)/,
    );
  });
});
