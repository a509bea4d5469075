// Shared by the processing step tests: material made with espeak-ng and ffmpeg, and the few
// measurements they need (tone level by Goertzel, band level through ffmpeg filters, alignment).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  presetById,
  type SettingsOverrides,
  withOverrides,
} from '../../../src/main/services/processing/presets';
import type { ProcessingSettings } from '../../../src/shared/processing';
import { RATE, readMonoFloat, writeMonoFloat } from '../../helpers/speech';

/** The "None" preset (every step off, loudness left alone) with the given steps switched on. */
export function only(overrides: SettingsOverrides): ProcessingSettings {
  return withOverrides(presetById('none').settings, overrides);
}

/**
 * `text` spoken by espeak-ng, at 48 kHz mono float, with the leading and trailing silence espeak
 * adds cut away (so the caller knows exactly where speech starts and ends).
 */
export function espeak(text: string, gainDb = -3): Float32Array {
  const work = mkdtempSync(join(tmpdir(), 'studio-espeak-'));
  try {
    const raw = join(work, 'raw.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-w', raw, text]);
    const resampled = join(work, 'resampled.wav');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-i', raw, '-af', `aresample=${RATE},volume=${gainDb}dB`],
      ...['-ac', '1', '-c:a', 'pcm_f32le', resampled],
    ]);
    const samples = readMonoFloat(resampled);
    let first = 0;
    while (first < samples.length && Math.abs(samples[first]!) < 1e-4) first++;
    let last = samples.length;
    while (last > first && Math.abs(samples[last - 1]!) < 1e-4) last--;
    return samples.slice(first, last);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes 48 kHz mono float samples as a 32-bit float WAV. */
export function writeWav(path: string, samples: Float32Array): string {
  return writeMonoFloat(path, samples, 'f32');
}

/**
 * Level of the sinusoid at `hz` in dBFS (RMS of that component), by a Hann-windowed Goertzel
 * over samples [from, to): long windows resolve a fraction of a hertz, and the Hann window keeps
 * nearby speech harmonics from leaking in.
 */
export function toneLevelDb(x: Float32Array, hz: number, from = 0, to = x.length): number {
  const n = to - from;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    const s = x[from + i]! * hann + coefficient * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  // A sine of amplitude A gives |X| = A·n/4 through a Hann window; its RMS is A/√2.
  const amplitude = (4 * Math.sqrt(Math.max(power, 0))) / n;
  return 20 * Math.log10(Math.max(amplitude / Math.SQRT2, 1e-12));
}

/** RMS level in dBFS of a file after ffmpeg filters (a band: 'highpass=f=5000,...'). */
export function filteredLevelDb(path: string, filters: string): number {
  const work = mkdtempSync(join(tmpdir(), 'studio-band-'));
  try {
    const out = join(work, 'band.wav');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-i', path, '-af', filters, '-ac', '1', '-c:a', 'pcm_f32le', out],
    ]);
    return rmsDb(readMonoFloat(out));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function rmsDb(x: ArrayLike<number>, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return 10 * Math.log10(Math.max(sum / Math.max(1, to - from), 1e-24));
}

/**
 * The shift of `processed` against `reference` (processed[i + lag] ≈ reference[i]) with the
 * highest correlation, searched over ±maxLag on the first `span` samples.
 */
export function bestLag(
  reference: Float32Array,
  processed: Float32Array,
  maxLag: number,
  span = 8 * RATE,
): number {
  let best = Number.NEGATIVE_INFINITY;
  let at = 0;
  const end = Math.min(span, reference.length - maxLag, processed.length - maxLag);
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = maxLag; i < end; i++) sum += reference[i]! * processed[i + lag]!;
    if (sum > best) {
      best = sum;
      at = lag;
    }
  }
  return at;
}

/** The largest sample-to-sample step in [from, to). */
export function maxJump(x: Float32Array, from = 1, to = x.length): number {
  let max = 0;
  for (let i = Math.max(1, from); i < Math.min(to, x.length); i++)
    max = Math.max(max, Math.abs(x[i]! - x[i - 1]!));
  return max;
}

/** Ways to spell the energy above 5 kHz and below 3 kHz (three 2-pole stages: 36 dB/octave). */
export const ABOVE_5K = 'highpass=f=5000:poles=2,highpass=f=5000:poles=2,highpass=f=5000:poles=2';
export const BELOW_3K = 'lowpass=f=3000:poles=2,lowpass=f=3000:poles=2,lowpass=f=3000:poles=2';
