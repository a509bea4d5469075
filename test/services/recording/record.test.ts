import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordTake, type TrackLevel } from '../../../src/main/services/recording/record';
import { recoverTake } from '../../../src/main/services/recording/recover';
import {
  captureArgs,
  parseSourceSpec,
  sourceInputArgs,
} from '../../../src/main/services/recording/source-spec';
import { WAV_HEADER_BYTES } from '../../../src/main/services/recording/wav-file';
import { StudioError } from '../../../src/shared/errors';
import { TakeManifest } from '../../../src/shared/recording';
import { generate, tempDir } from '../../helpers/audio';
import { pulseForThisFile } from '../../helpers/pulse';

const dir = tempDir('studio-record-');
const pulse = pulseForThisFile();

/** What ffprobe reads from a WAV's header. */
function probeWav(path: string) {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,sample_rate,channels,duration_ts',
      '-of',
      'json',
      path,
    ],
    { encoding: 'utf8' },
  );
  return (
    JSON.parse(out) as {
      streams: { codec_name: string; sample_rate: string; channels: number; duration_ts: number }[];
    }
  ).streams[0]!;
}

/** Channel 0 of a 32-bit float WAV written by the recorder (its fixed-size header). */
function readChannel0(path: string, channels: number): Float32Array {
  const bytes = readFileSync(path).subarray(WAV_HEADER_BYTES);
  const frames = Math.floor(bytes.length / (4 * channels));
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = bytes.readFloatLE(i * 4 * channels);
  return out;
}

/** The strongest frequency between 100 and 4000 Hz in 50 Hz steps (Goertzel per step). */
function dominantFrequency(samples: Float32Array, rate: number): number {
  let best = 0;
  let bestPower = -1;
  for (let f = 100; f <= 4000; f += 50) {
    const coeff = 2 * Math.cos((2 * Math.PI * f) / rate);
    let s1 = 0;
    let s2 = 0;
    for (const x of samples) {
      const s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if (power > bestPower) {
      bestPower = power;
      best = f;
    }
  }
  return best;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof StudioError ? error.code : String(error)),
  );

describe('source specs', () => {
  it('build ffmpeg input arguments per scheme', () => {
    expect(sourceInputArgs(parseSourceSpec('lavfi:sine=frequency=440'))).toEqual([
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
    ]);
    expect(sourceInputArgs(parseSourceSpec('file:talk.wav', '/shows'))).toEqual([
      '-i',
      '/shows/talk.wav',
    ]);
    expect(sourceInputArgs(parseSourceSpec('pulse:t.monitor'))).toEqual([
      '-f',
      'pulse',
      '-i',
      't.monitor',
    ]);
    expect(sourceInputArgs(parseSourceSpec('avfoundation:MacBook Pro Microphone'))).toEqual([
      '-f',
      'avfoundation',
      '-i',
      ':MacBook Pro Microphone',
    ]);
    expect(sourceInputArgs(parseSourceSpec('dshow:@device_cm_{33D9A762}\\wave_{1}'))).toEqual([
      '-f',
      'dshow',
      '-i',
      'audio=@device_cm_{33D9A762}\\wave_{1}',
    ]);
    expect(captureArgs({ scheme: 'alsa', value: 'hw:1,0' }, 2, 48000).slice(-12)).toEqual([
      '-vn',
      '-ac',
      '2',
      '-ar',
      '48000',
      '-c:a',
      'pcm_f32le',
      '-flush_packets',
      '1',
      '-f',
      'f32le',
      'pipe:1',
    ]);
  });

  it('refuse an unknown scheme or an empty value with invalid_input', () => {
    expect(() => parseSourceSpec('mic:1')).toThrow(/Unknown source "mic:1": a source is lavfi:…/);
    expect(() => parseSourceSpec('sine=frequency=440')).toThrow(/Unknown source/);
    expect(() => parseSourceSpec('pulse:')).toThrow(/names nothing after "pulse:"/);
  });
});

describe('recordTake', () => {
  it('records two lavfi sources for 3 s: 144000 frames each, valid float WAVs, manifest stopped', async () => {
    const out = join(dir, 'two-lavfi');
    const levels: TrackLevel[][] = [];
    const started = Date.now();
    const take = await recordTake({
      sources: ['lavfi:sine=frequency=440:sample_rate=48000', 'lavfi:sine=frequency=1000'],
      out,
      durationSec: 3,
      onLevels: (reading) => levels.push(reading),
    });
    const wallSec = (Date.now() - started) / 1000;
    console.log(
      `3 s take: ${take.tracks.map((t) => t.frames).join(', ')} frames, ${wallSec} s wall`,
    );

    expect(take.status).toBe('stopped');
    const manifest = TakeManifest.parse(JSON.parse(readFileSync(join(out, 'take.json'), 'utf8')));
    expect(manifest).toMatchObject({ status: 'stopped', sampleRate: 48000 });
    expect(manifest.stoppedAt).not.toBeNull();
    for (const track of manifest.tracks) {
      // Each track is cut at exactly duration × rate frames of its own clock.
      expect(track).toMatchObject({ frames: 144_000, error: null, channels: 1 });
      const probe = probeWav(join(out, track.file));
      expect(probe).toEqual({
        codec_name: 'pcm_f32le',
        sample_rate: '48000',
        channels: 1,
        duration_ts: 144_000,
      });
      const samples = readChannel0(join(out, track.file), 1);
      expect(samples.length).toBe(144_000);
    }
    // A sine of amplitude 1/8 (lavfi's default): peak 0.125, RMS 0.125/√2.
    const late = levels.slice(5).filter((reading) => reading[0]!.peak > 0);
    expect(late.length).toBeGreaterThan(20);
    expect(late.at(-1)![0]!.peak).toBeCloseTo(0.125, 2);
    expect(late.at(-1)![1]!.rms).toBeCloseTo(0.125 / Math.SQRT2, 2);
    // The tones are where they should be.
    const f1 = dominantFrequency(
      readChannel0(join(out, 'track-2.wav'), 1).subarray(0, 48000),
      48000,
    );
    expect(f1).toBe(1000);
  });

  it('records a PulseAudio null sink’s monitor while paplay plays a 1 kHz tone into it', async () => {
    const module = pulse.current.loadNullSink('studio_rec', { rate: 48000, channels: 2 });
    const tone = generate(
      join(dir, 'tone-1k.wav'),
      'sine=frequency=1000:sample_rate=48000:duration=10',
      ['-af', 'volume=4', '-ac', '1'],
    );
    let player: ChildProcess | null = null;
    try {
      player = spawn('paplay', ['--device=studio_rec', tone], {
        env: pulse.current.env,
        stdio: 'ignore',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const out = join(dir, 'pulse');
      const take = await recordTake({
        sources: ['pulse:studio_rec.monitor'],
        out,
        durationSec: 2,
        env: pulse.current.env,
      });
      expect(take.tracks[0]).toMatchObject({ channels: 2, frames: 96_000, error: null });
      expect(probeWav(join(out, 'track-1.wav'))).toMatchObject({
        sample_rate: '48000',
        channels: 2,
        duration_ts: 96_000,
      });
      const samples = readChannel0(join(out, 'track-1.wav'), 2);
      let sumSquares = 0;
      for (const x of samples) sumSquares += x * x;
      const rms = Math.sqrt(sumSquares / samples.length);
      const frequency = dominantFrequency(samples.subarray(0, 48000), 48000);
      console.log(`pulse take: RMS ${rms.toFixed(3)}, dominant ${frequency} Hz`);
      // volume=4 on a 1/8 sine: amplitude 0.5, RMS 0.354 where it plays.
      expect(rms).toBeGreaterThan(0.2);
      expect(frequency).toBe(1000);
    } finally {
      player?.kill('SIGKILL');
      pulse.current.unloadModule(module);
    }
  });

  it('refuses bad sources with clear errors and leaves no take folder behind', async () => {
    const module = pulse.current.loadNullSink('studio_known');
    try {
      const cases: [string, string, RegExp][] = [
        ['telepathy:bob', 'invalid_input', /Unknown source "telepathy:bob"/],
        ['file:/no/such/take.wav', 'file_missing', /Source file take\.wav was not found/],
        ['lavfi:nosuchfilter=1', 'invalid_input', /Opening test source "nosuchfilter=1"/],
        [
          'pulse:studio_nope',
          'not_found',
          /PulseAudio has no source "studio_nope"\. Available: .*studio_known\.monitor/,
        ],
      ];
      for (const [i, [source, code, message]] of cases.entries()) {
        const out = join(dir, `bad-${i}`);
        const attempt = recordTake({
          sources: ['lavfi:sine', source],
          out,
          durationSec: 1,
          env: pulse.current.env,
        });
        await expect(attempt).rejects.toThrow(message);
        expect(await codeOf(attempt)).toBe(code);
        expect(existsSync(out), source).toBe(false);
      }
    } finally {
      pulse.current.unloadModule(module);
    }
  });

  it('recovery: a stopped take is left as it is; a folder without a take is not_found', async () => {
    const out = join(dir, 'short');
    await recordTake({ sources: ['lavfi:sine'], out, durationSec: 0.5 });
    const result = await recoverTake(out);
    expect(result).toMatchObject({ statusBefore: 'stopped', status: 'stopped' });
    expect(result.tracks[0]).toMatchObject({ frames: 24_000, durationSec: 0.5, problem: null });
    await expect(recoverTake(dir)).rejects.toThrow(/holds no take \(there is no take\.json\)/);
  });
});
