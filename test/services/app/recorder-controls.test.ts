// The recorder's OS controls through the services: input gain (a PulseAudio source's volume),
// monitoring to the headphones (module-loopback), and the macOS microphone permission. A private
// PulseAudio daemon with null sinks is the sound card: "mic" is the input (its monitor is armed),
// "phones" the default output; what reaches the headphones is captured from phones.monitor.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/app/services';
import { MONITOR_TAG } from '../../../src/main/services/recording/pulse-control';
import { StudioError } from '../../../src/shared/errors';
import { MODEL_RATE } from '../../../src/shared/time';
import { generate, tempDir } from '../../helpers/audio';
import { pulseForThisFile } from '../../helpers/pulse';
import { request } from '../../helpers/services';

const dir = tempDir('studio-recorder-controls-');
const pulse = pulseForThisFile();
const TONE = 'lavfi:sine=frequency=440:sample_rate=48000';
let services: Services;
let episodeId: string;
let toneFile: string;

beforeAll(async () => {
  pulse.current.loadNullSink('mic');
  pulse.current.loadNullSink('phones');
  pulse.current.pactl('set-default-sink', 'phones');
  services = await createServices({
    dataDir: join(dir, 'data'),
    transport: 'http',
    version: 'test',
    env: pulse.current.env,
  });
  const show = await request(services, 'shows.create', { title: 'Controls' });
  episodeId = (await request(services, 'episodes.create', { showId: show.id, title: 'One' })).id;
  // A steady tone at ffmpeg's default amplitude (1/8, -18 dBFS peak), long enough for every test.
  toneFile = generate(join(dir, 'tone.wav'), 'sine=frequency=440:sample_rate=48000:duration=60', [
    '-ac',
    '2',
    '-c:a',
    'pcm_s16le',
  ]);
});

afterAll(async () => {
  await services?.close();
});

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

/** Plays the tone into a sink until stopped. */
function playTone(sink: string): ChildProcess {
  return spawn('paplay', ['-d', sink, toneFile], { env: pulse.current.env, stdio: 'ignore' });
}

async function stopPlaying(player: ChildProcess): Promise<void> {
  if (player.exitCode !== null) return;
  const exited = new Promise((resolve) => player.on('exit', resolve));
  player.kill('SIGTERM');
  await exited;
}

const db = (linear: number) => 20 * Math.log10(linear);

/**
 * The median RMS the recorder's meters report for a track over `ms` (after `settleMs`, so a level
 * change has passed through ffmpeg's buffer): what the session pushes as `recorder.levels`. The
 * median, because a 50 ms window that a device block missed reads low.
 */
async function meteredRms(track: number, settleMs = 800, ms = 1000): Promise<number> {
  await sleep(settleMs);
  const readings: number[] = [];
  const off = services.bus.on('recorder.levels', (levels) => {
    const reading = levels.tracks[track];
    if (reading) readings.push(reading.rms);
  });
  await sleep(ms);
  off();
  expect(readings.length).toBeGreaterThan(10);
  readings.sort((a, b) => a - b);
  return readings[Math.floor(readings.length / 2)]!;
}

/** RMS of one second captured from a PulseAudio source (after half a second to settle). */
function capturedRms(source: string): number {
  const raw = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-f', 'pulse', '-i', source, '-t', '1.5', '-ac', '1', '-f', 'f32le', 'pipe:1'],
    { env: pulse.current.env, maxBuffer: 64 << 20 },
  );
  const samples = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  const last = samples.subarray(Math.max(0, samples.length - 48_000));
  let sum = 0;
  for (const s of last) sum += s * s;
  return Math.sqrt(sum / Math.max(1, last.length));
}

const loopbackModules = () =>
  pulse.current
    .pactl('list', 'short', 'modules')
    .split('\n')
    .filter((line) => line.includes('module-loopback'));

describe('input gain', () => {
  it('sets a PulseAudio source’s volume: pactl reads it back and the meters drop by the cubic curve', async () => {
    const player = playTone('mic');
    try {
      const armed = await request(services, 'recorder.arm', {
        episodeId,
        tracks: [
          { name: 'Mic', source: 'pulse:mic.monitor' },
          { name: 'Tone', source: TONE },
        ],
      });
      // Read from the OS when arming: a null sink's monitor starts at 100%. No OS gain on a tone.
      expect(armed.tracks.map((t) => t.gainPercent)).toEqual([100, null]);
      const full = await meteredRms(0);
      // A sine of amplitude 1/8 (RMS -21.07 dBFS) upmixed to stereo by ffmpeg (-3 dB per channel).
      expect(db(full)).toBeGreaterThan(-26);
      expect(db(full)).toBeLessThan(-22);

      // A monitor source's volume does scale what is captured from it (measured: 50% gives
      // -18.06 dB on pulseaudio 16), so the null sink's monitor serves as the input here.
      const half = await request(services, 'recorder.setGain', { track: 0, percent: 50 });
      expect(half.tracks[0]!.gainPercent).toBe(50);
      expect(pulse.current.pactl('get-source-volume', 'mic.monitor')).toMatch(
        /front-left: 32768 \/\s+50%/,
      );
      const halfRms = await meteredRms(0);
      // PulseAudio's volume curve is cubic: 0.5³ = -18.06 dB.
      const drop = db(halfRms) - db(full);
      console.log(
        `gain 100% → ${db(full).toFixed(2)} dBFS RMS, 50% → ${db(halfRms).toFixed(2)} (${drop.toFixed(2)} dB)`,
      );
      expect(drop).toBeGreaterThan(-19.5);
      expect(drop).toBeLessThan(-16.5);

      const back = await request(services, 'recorder.setGain', { track: 0, percent: 100 });
      expect(back.tracks[0]!.gainPercent).toBe(100);
      expect(pulse.current.pactl('get-source-volume', 'mic.monitor')).toMatch(/100%/);
      const again = await meteredRms(0);
      expect(Math.abs(db(again) - db(full))).toBeLessThan(0.5);

      // The tone has no OS input level: refused, saying why.
      const none = await rejection(
        request(services, 'recorder.setGain', { track: 1, percent: 50 }),
      );
      expect(none.code).toBe('conflict');
      expect(none.message).toMatch(/“Tone” has no input level .*test signals/);
      const missing = await rejection(
        request(services, 'recorder.setGain', { track: 5, percent: 50 }),
      );
      expect(missing.message).toMatch(/There is no track 6: 2 tracks are armed/);
      // Out of range never reaches a handler.
      expect(
        (await rejection(request(services, 'recorder.setGain', { track: 0, percent: 151 }))).code,
      ).toBe('invalid_input');
    } finally {
      await request(services, 'recorder.disarm');
      await stopPlaying(player);
    }
    const idle = await rejection(request(services, 'recorder.setGain', { track: 0, percent: 80 }));
    expect(idle.message).toMatch(/arm the tracks first/);
  });
});

describe('monitoring', () => {
  it('plays the armed input to the headphones at the level set, and leaves no loopback behind', async () => {
    const player = playTone('mic');
    try {
      const armed = await request(services, 'recorder.arm', {
        episodeId,
        tracks: [
          { name: 'Mic', source: 'pulse:mic.monitor' },
          { name: 'Tone', source: TONE },
        ],
      });
      // Off by default: nothing reaches the headphones.
      expect(armed.monitorLevel).toBe(0);
      expect(loopbackModules()).toEqual([]);
      const input = capturedRms('mic.monitor');
      const off = capturedRms('phones.monitor');

      const on = await request(services, 'recorder.setMonitor', { level: 100 });
      expect(on.monitorLevel).toBe(100);
      // One loopback: the tone track is not a PulseAudio input, so it is not played.
      expect(loopbackModules()).toHaveLength(1);
      expect(loopbackModules()[0]).toMatch(/source=mic\.monitor sink=phones latency_msec=20/);
      const heard = capturedRms('phones.monitor');

      await request(services, 'recorder.setMonitor', { level: 50 });
      expect(loopbackModules()).toHaveLength(1);
      const heardHalf = capturedRms('phones.monitor');

      const muted = await request(services, 'recorder.setMonitor', { level: 0 });
      expect(muted.monitorLevel).toBe(0);
      expect(loopbackModules()).toEqual([]);
      const offAgain = capturedRms('phones.monitor');
      console.log(
        `monitoring: input ${db(input).toFixed(2)} dBFS RMS; headphones off ${db(off).toFixed(1)}, 100% ${db(heard).toFixed(2)}, 50% ${db(heardHalf).toFixed(2)}, 0 ${db(offAgain).toFixed(1)}`,
      );
      expect(off).toBe(0);
      expect(Math.abs(db(heard) - db(input))).toBeLessThan(1);
      expect(db(heardHalf) - db(heard)).toBeGreaterThan(-19.5);
      expect(db(heardHalf) - db(heard)).toBeLessThan(-16.5);
      expect(offAgain).toBe(0);

      // On again, then disarmed: the loopback goes with the recorder, and the level is off.
      await request(services, 'recorder.setMonitor', { level: 80 });
      expect(loopbackModules()).toHaveLength(1);
    } finally {
      const disarmed = await request(services, 'recorder.disarm');
      expect(disarmed.monitorLevel).toBe(0);
      await stopPlaying(player);
    }
    expect(loopbackModules()).toEqual([]);
  });

  it('is refused with nothing to play, or when it would play back into what is recorded', async () => {
    const tones = await request(services, 'recorder.arm', {
      episodeId,
      tracks: [{ name: 'Tone', source: TONE }],
    });
    expect(tones.tracks[0]!.gainPercent).toBeNull();
    const nothing = await rejection(request(services, 'recorder.setMonitor', { level: 50 }));
    expect(nothing.code).toBe('conflict');
    expect(nothing.message).toMatch(/test signals and files are not monitored/);
    await request(services, 'recorder.disarm');

    // Recording what the default output plays, and playing it there again, would feed back.
    pulse.current.pactl('set-default-sink', 'mic');
    try {
      await request(services, 'recorder.arm', {
        episodeId,
        tracks: [{ name: 'Mic', source: 'pulse:mic.monitor' }],
      });
      const loop = await rejection(request(services, 'recorder.setMonitor', { level: 50 }));
      expect(loop.message).toMatch(/would feed back/);
      expect(loopbackModules()).toEqual([]);
      expect((await request(services, 'recorder.status')).monitorLevel).toBe(0);
    } finally {
      await request(services, 'recorder.disarm');
      pulse.current.pactl('set-default-sink', 'phones');
    }
  });
});

describe('loopbacks a crashed app left behind', () => {
  it('are unloaded when the services start; someone else’s loopback stays, and monitoring works', async () => {
    // As an app killed while monitoring leaves it: our tagged loopback, playing on.
    const leftover = pulse.current
      .pactl(
        'load-module',
        'module-loopback',
        'source=mic.monitor',
        'sink=phones',
        'latency_msec=20',
        MONITOR_TAG,
      )
      .trim();
    const theirs = pulse.current
      .pactl('load-module', 'module-loopback', 'source=mic.monitor', 'sink=phones')
      .trim();
    expect(loopbackModules()).toHaveLength(2);
    const started = await createServices({
      dataDir: join(dir, 'leftover-data'),
      transport: 'http',
      version: 'test',
      env: pulse.current.env,
    });
    try {
      await expect
        .poll(() => loopbackModules().map((line) => line.split('\t')[0]), { timeout: 5000 })
        .toEqual([theirs]);
      expect(leftover).not.toBe(theirs);

      const show = await request(started, 'shows.create', { title: 'After a crash' });
      const episode = await request(started, 'episodes.create', { showId: show.id, title: 'One' });
      await request(started, 'recorder.arm', {
        episodeId: episode.id,
        tracks: [{ name: 'Mic', source: 'pulse:mic.monitor' }],
      });
      expect((await request(started, 'recorder.setMonitor', { level: 60 })).monitorLevel).toBe(60);
      const ours = loopbackModules().filter((line) => line.includes(MONITOR_TAG));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatch(/source=mic\.monitor sink=phones latency_msec=20/);
      // The tag names the stream in the system's mixer too.
      expect(pulse.current.pactl('list', 'sink-inputs')).toMatch(
        /media\.name = "podcast-studio-monitor"/,
      );
      await request(started, 'recorder.disarm');
      expect(loopbackModules().filter((line) => line.includes(MONITOR_TAG))).toEqual([]);
    } finally {
      await started.close();
      pulse.current.unloadModule(Number(theirs));
    }
    expect(loopbackModules()).toEqual([]);
  });
});

describe('timing under a busy lock', () => {
  it('a marker asked for while a slow gain change holds the lock lands when it was asked for', async () => {
    // pactl that takes 600 ms to set a volume: a busy sound server, for real.
    const bin = join(dir, 'slow-bin');
    mkdirSync(bin, { recursive: true });
    const realPactl = execFileSync('sh', ['-c', 'command -v pactl'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'pactl'),
      `#!/bin/sh\n[ "$1" = set-source-volume ] && sleep 0.6\nexec '${realPactl}' "$@"\n`,
    );
    chmodSync(join(bin, 'pactl'), 0o755);
    const slow = await createServices({
      dataDir: join(dir, 'slow-data'),
      transport: 'http',
      version: 'test',
      env: { ...pulse.current.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    try {
      const show = await request(slow, 'shows.create', { title: 'Busy' });
      const episode = await request(slow, 'episodes.create', { showId: show.id, title: 'One' });
      await request(slow, 'recorder.arm', {
        episodeId: episode.id,
        tracks: [
          { name: 'Mic', source: 'pulse:mic.monitor' },
          { name: 'Tone', source: TONE },
        ],
      });
      await request(slow, 'recorder.record');
      await sleep(1000);
      const before = await request(slow, 'recorder.status');
      const beforeMs = performance.now();

      const askedMs = performance.now();
      const gain = request(slow, 'recorder.setGain', { track: 0, percent: 50 }).then(() =>
        performance.now(),
      );
      const marker = await request(slow, 'recorder.marker', { title: 'Now' });
      const markerDoneMs = performance.now();
      const gainDoneMs = await gain;
      const expectedSec = before.elapsedSec + (askedMs - beforeMs) / 1000;
      console.log(
        `marker at ${(marker.frame / MODEL_RATE).toFixed(3)} s, asked at ${expectedSec.toFixed(3)} s; answered ${(markerDoneMs - askedMs).toFixed(0)} ms later, behind a gain change of ${(gainDoneMs - askedMs).toFixed(0)} ms`,
      );
      // The marker really waited for the slow call...
      expect(markerDoneMs - askedMs).toBeGreaterThan(550);
      // ...and still has the frame of when it was asked for.
      expect(Math.abs(marker.frame / MODEL_RATE - expectedSec)).toBeLessThan(0.05);
      await request(slow, 'recorder.stop');
    } finally {
      await slow.close();
    }
  });
});

describe('microphone permission', () => {
  async function servicesAsking(answer: boolean) {
    const calls: number[] = [];
    const asking = await createServices({
      dataDir: join(dir, `permission-${answer}`),
      transport: 'http',
      version: 'test',
      env: pulse.current.env,
      askMicrophoneAccess: async () => {
        calls.push(Date.now());
        return answer;
      },
    });
    const show = await request(asking, 'shows.create', { title: 'Permission' });
    const episode = await request(asking, 'episodes.create', { showId: show.id, title: 'Mic' });
    return { asking, calls, episodeId: episode.id };
  }

  const ffmpegChildren = () => {
    try {
      return execFileSync('pgrep', ['-P', String(process.pid), 'ffmpeg'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean);
    } catch {
      return []; // pgrep exits 1 when nothing matches
    }
  };

  it('refused: arming an avfoundation source says where to allow it, and starts nothing', async () => {
    const { asking, calls, episodeId: id } = await servicesAsking(false);
    try {
      const refused = await rejection(
        request(asking, 'recorder.arm', {
          episodeId: id,
          tracks: [
            { name: 'Tone', source: TONE },
            { name: 'Host', source: 'avfoundation:MacBook Pro Microphone' },
          ],
        }),
      );
      expect(refused.code).toBe('permission_denied');
      expect(refused.message).toBe(
        'Podcast Studio may not use the microphone. Allow it in System Settings › Privacy & Security › Microphone, then arm again.',
      );
      expect(calls).toHaveLength(1);
      expect(ffmpegChildren()).toEqual([]);
      expect(await request(asking, 'recorder.status')).toMatchObject({ state: 'idle', tracks: [] });

      // Sources that are no microphone are not asked about.
      await request(asking, 'recorder.arm', {
        episodeId: id,
        tracks: [{ name: 'Tone', source: TONE }],
      });
      expect(calls).toHaveLength(1);
      await request(asking, 'recorder.disarm');
    } finally {
      await asking.close();
    }
  });

  it('allowed: the arm goes on to the device, which is not in this machine’s device list', async () => {
    const { asking, calls, episodeId: id } = await servicesAsking(true);
    try {
      const failed = await rejection(
        request(asking, 'recorder.arm', {
          episodeId: id,
          tracks: [{ name: 'Host', source: 'avfoundation:MacBook Pro Microphone' }],
        }),
      );
      expect(calls).toHaveLength(1);
      // Linux lists no avfoundation devices: refused before any capture, naming the track.
      expect(failed.code).toBe('not_found');
      expect(failed.message).toMatch(/^“Host” is set to a device that is not connected/);
      expect((await request(asking, 'recorder.status')).state).toBe('idle');
    } finally {
      await asking.close();
    }
  });
});
