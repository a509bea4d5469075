import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpegEbur128, generate, tempDir } from './audio';
import {
  cleanSpeech,
  mainsHum,
  medianShortTermIn,
  mixWithNoise,
  pinkNoise,
  RATE,
  readMonoFloat,
  rms,
  shortTermLoudness,
  siSdrDb,
  snrDb,
  twoSpeakers,
  whiteNoise,
} from './speech';

const dir = tempDir('studio-speech-');
const cleanPath = join(dir, 'clean.wav');
let clean: Float32Array;

beforeAll(() => {
  cleanSpeech(cleanPath, 20, { seed: 5 });
  clean = readMonoFloat(cleanPath);
});

function probe(path: string): { rate: number; channels: number; codec: string } {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=sample_rate,channels,codec_name', '-of', 'json', path],
    { encoding: 'utf8' },
  );
  const stream = (
    JSON.parse(out) as { streams: { sample_rate: string; channels: number; codec_name: string }[] }
  ).streams[0];
  return {
    rate: Number(stream?.sample_rate),
    channels: stream?.channels ?? 0,
    codec: stream?.codec_name ?? '',
  };
}

/** Power of one frequency (Goertzel), normalised like a sine's mean square. */
function tonePower(x: Float32Array, hz: number): number {
  const w = (2 * Math.PI * hz) / RATE;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = (x[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (x.length * x.length);
}

/** Median fundamental of the voiced 40 ms frames (normalised autocorrelation, 70–400 Hz). */
function medianPitchHz(x: Float32Array): number {
  const frame = Math.round(0.04 * RATE);
  const pitches: number[] = [];
  for (let at = 0; at + 2 * frame <= x.length && pitches.length < 60; at += frame) {
    const slice = x.subarray(at, at + 2 * frame);
    if (rms(slice.subarray(0, frame)) < 10 ** (-40 / 20)) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = Math.round(RATE / 400); lag <= Math.round(RATE / 70); lag++) {
      let xy = 0;
      let yy = 0;
      for (let i = 0; i < frame; i++) {
        const y = slice[i + lag] ?? 0;
        xy += (slice[i] ?? 0) * y;
        yy += y * y;
      }
      const score = xy / Math.sqrt(yy || 1);
      if (score > best) {
        best = score;
        bestLag = lag;
      }
    }
    if (bestLag) pitches.push(RATE / bestLag);
  }
  pitches.sort((p, q) => p - q);
  return pitches[pitches.length >> 1] ?? 0;
}

describe('cleanSpeech', () => {
  it('writes exactly the asked length of 48 kHz mono 16-bit speech at a sensible level', () => {
    expect(probe(cleanPath)).toEqual({ rate: 48000, channels: 1, codec: 'pcm_s16le' });
    expect(Math.abs(clean.length - 20 * RATE)).toBeLessThanOrEqual(1);
    const levels = ffmpegEbur128(cleanPath);
    expect(levels.integrated).toBeGreaterThan(-30);
    expect(levels.integrated).toBeLessThan(-18);
    expect(levels.truePeak).toBeLessThan(-1);
  });

  it('has natural pauses between phrases', () => {
    const frame = RATE / 50; // 20 ms
    let quiet = 0;
    let frames = 0;
    for (let at = 0; at + frame <= clean.length; at += frame, frames++) {
      if (rms(clean.subarray(at, at + frame)) < 10 ** (-50 / 20)) quiet++;
    }
    const fraction = quiet / frames;
    expect(fraction).toBeGreaterThan(0.08);
    expect(fraction).toBeLessThan(0.45);
  });

  it('is the same for the same seed and voice, and differs otherwise', () => {
    const again = readMonoFloat(cleanSpeech(join(dir, 'again.wav'), 20, { seed: 5 }));
    expect(snrDb(clean, again)).toBe(Number.POSITIVE_INFINITY);
    const other = readMonoFloat(cleanSpeech(join(dir, 'other.wav'), 20, { seed: 6 }));
    expect(snrDb(clean, other)).toBeLessThan(3);
    const voice = readMonoFloat(
      cleanSpeech(join(dir, 'voice.wav'), 20, { seed: 5, voice: 'en-gb+f3', pitch: 70 }),
    );
    expect(snrDb(clean, voice)).toBeLessThan(3);
  });

  it('loops the text for long material', () => {
    const long = readMonoFloat(cleanSpeech(join(dir, 'long.wav'), 75, { seed: 2, speed: 240 }));
    expect(Math.abs(long.length - 75 * RATE)).toBeLessThanOrEqual(1);
    // Speech right to the end, not padding: the last 10 s hold speech.
    expect(rms(long.subarray(-10 * RATE))).toBeGreaterThan(10 ** (-40 / 20));
  });
});

describe('noise', () => {
  it('makes unit-RMS white and pink noise and hum', () => {
    const white = whiteNoise(RATE * 2, 3);
    const pink = pinkNoise(RATE * 2, 3);
    const hum = mainsHum(RATE * 2, 60);
    for (const x of [white, pink, hum]) expect(rms(x)).toBeCloseTo(1, 2);
    // Pink falls 3 dB an octave: much more power at 200 Hz than at 6.4 kHz (5 octaves: ~15 dB).
    const band = (x: Float32Array, hz: number) =>
      [0.9, 0.95, 1, 1.05, 1.1].reduce((sum, k) => sum + tonePower(x, hz * k), 0);
    const tilt = 10 * Math.log10(band(pink, 200) / band(pink, 6400));
    expect(tilt).toBeGreaterThan(10);
    expect(tilt).toBeLessThan(20);
    expect(Math.abs(10 * Math.log10(band(white, 200) / band(white, 6400)))).toBeLessThan(5);
    // The hum is 60 Hz with its harmonics, nothing at 50 Hz.
    expect(tonePower(hum, 60)).toBeGreaterThan(0.5);
    expect(tonePower(hum, 180)).toBeGreaterThan(0.1);
    expect(tonePower(hum, 50)).toBeLessThan(1e-3);
  });
});

describe('mixWithNoise', () => {
  it.each([
    { snr: 10, color: 'pink' as const },
    { snr: 0, color: 'white' as const },
    { snr: 25, color: 'pink' as const },
  ])('mixes $color noise at $snr dB SNR', ({ snr, color }) => {
    const out = join(dir, `mix-${color}-${snr}.wav`);
    const actual = mixWithNoise(cleanPath, out, { snrDb: snr, color });
    expect(Math.abs(actual - snr)).toBeLessThan(0.2);
    // Measured again independently from the written file.
    const mixed = readMonoFloat(out);
    expect(mixed.length).toBe(clean.length);
    expect(Math.abs(snrDb(clean, mixed) - snr)).toBeLessThan(0.2);
    expect(probe(out).codec).toBe('pcm_f32le');
  });

  it('adds mains hum at its level, inside the noise budget', () => {
    const out = join(dir, 'mix-hum.wav');
    const actual = mixWithNoise(cleanPath, out, {
      snrDb: 15,
      color: 'pink',
      humHz: 50,
      humDb: -20,
    });
    expect(Math.abs(actual - 15)).toBeLessThan(0.2);
    const added = readMonoFloat(out).map((x, i) => x - (clean[i] ?? 0));
    // Fundamental at -20 dB re speech less the harmonics' share (2nd -10 dB, 3rd -6 dB: 1.4 dB).
    const fundamentalDb = 10 * Math.log10(tonePower(added, 50) / rms(clean) ** 2);
    expect(fundamentalDb).toBeGreaterThan(-22);
    expect(fundamentalDb).toBeLessThan(-20.5);
    expect(tonePower(added, 150)).toBeGreaterThan(tonePower(added, 100));
    expect(() =>
      mixWithNoise(cleanPath, join(dir, 'bad.wav'), {
        snrDb: 30,
        color: 'white',
        humHz: 60,
        humDb: -20,
      }),
    ).toThrow(/hum/);
  });
});

describe('snrDb and siSdrDb', () => {
  it('scores a signal against itself as perfect and ignores gain only in SI-SDR', () => {
    expect(siSdrDb(clean, clean)).toBeGreaterThan(100);
    expect(snrDb(clean, clean)).toBeGreaterThan(100);
    const noisy = readMonoFloat(join(dir, 'mix-pink-10.wav'));
    const reference = siSdrDb(clean, noisy);
    // Uncorrelated noise: SI-SDR is close to the SNR.
    expect(Math.abs(reference - 10)).toBeLessThan(0.5);
    for (const gain of [0.3, 2.5]) {
      const scaled = noisy.map((x) => x * gain);
      expect(siSdrDb(clean, scaled)).toBeCloseTo(reference, 4);
      expect(snrDb(clean, scaled)).toBeLessThan(snrDb(clean, noisy));
    }
    // A pure gain is no distortion for SI-SDR, but a large error for SNR.
    expect(
      siSdrDb(
        clean,
        clean.map((x) => x * 0.5),
      ),
    ).toBeGreaterThan(100);
    expect(
      snrDb(
        clean,
        clean.map((x) => x * 0.5),
      ),
    ).toBeCloseTo(6.02, 1);
  });

  it('aligns lengths and finds a small delay when asked', () => {
    const longer = new Float32Array(clean.length + 480);
    longer.set(clean);
    expect(siSdrDb(clean, longer)).toBeGreaterThan(100);
    const delayed = new Float32Array(clean.length);
    delayed.set(clean.subarray(0, clean.length - 7), 7);
    expect(siSdrDb(clean, delayed)).toBeLessThan(10);
    expect(siSdrDb(clean, delayed, { maxLagSamples: 10 })).toBeGreaterThan(100);
    expect(snrDb(clean, delayed, { maxLagSamples: 10 })).toBeGreaterThan(100);
  });
});

describe('shortTermLoudness', () => {
  it('reports S every 100 ms, matching a calibrated sine', () => {
    const path = generate(join(dir, 'sine.wav'), 'sine=f=997:sample_rate=48000:duration=6', [
      '-af',
      'volume=0.8', // sine's amplitude is 1/8: 0.1 = -20 dBFS peak, -23.0 LUFS in mono
      '-ac',
      '1',
    ]);
    const values = shortTermLoudness(path);
    expect(values).toHaveLength(60);
    expect(values[0]?.t).toBeCloseTo(0.1, 6);
    expect(values.at(-1)?.t).toBeCloseTo(6, 6);
    for (const { lufs } of values.filter(({ t }) => t >= 3)) expect(lufs).toBeCloseTo(-23, 1);
    expect(medianShortTermIn(values, [{ start: 0, end: 6 }])[0]).toBeCloseTo(-23, 1);
    expect(medianShortTermIn(values, [{ start: 0, end: 2 }])[0]).toBeNaN();
  });
});

describe('twoSpeakers', () => {
  it('alternates two voices, the second 12 dB quieter in short-term loudness', () => {
    const path = join(dir, 'two.wav');
    const { turns } = twoSpeakers(path, { seconds: 48, gapDb: 12, turnSeconds: 8 });
    expect(turns.map((t) => t.speaker)).toEqual(['A', 'B', 'A', 'B', 'A', 'B']);
    expect(turns[0]?.start).toBe(0);
    expect(turns.at(-1)?.end).toBe(48);
    for (let i = 1; i < turns.length; i++) expect(turns[i]?.start).toBe(turns[i - 1]?.end);

    const samples = readMonoFloat(path);
    expect(Math.abs(samples.length - 48 * RATE)).toBeLessThanOrEqual(1);
    const medians = medianShortTermIn(shortTermLoudness(path), turns);
    const a = medians.filter((_, i) => turns[i]?.speaker === 'A');
    const b = medians.filter((_, i) => turns[i]?.speaker === 'B');
    for (const level of a) expect(Math.abs(level - -24)).toBeLessThan(1.5);
    expect(ffmpegEbur128(path).truePeak).toBeLessThan(-1);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean(a) - mean(b) - 12)).toBeLessThan(1);
    // Every B turn is clearly quieter than every A turn.
    expect(Math.max(...b)).toBeLessThan(Math.min(...a) - 9);

    // Two different voices: the default B voice is pitched well above A.
    const turn = (k: number) =>
      samples.subarray(
        Math.round((turns[k]?.start ?? 0) * RATE),
        Math.round((turns[k]?.end ?? 0) * RATE),
      );
    const pitchA = medianPitchHz(turn(0));
    const pitchB = medianPitchHz(turn(1));
    expect(pitchA).toBeGreaterThan(70);
    expect(pitchB).toBeGreaterThan(pitchA * 1.3);
  });
});
