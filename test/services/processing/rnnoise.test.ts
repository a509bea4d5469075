import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRnnoiseDenoiser,
  RnnoiseDenoiser,
} from '../../../src/main/services/processing/rnnoise/rnnoise-denoiser';
import {
  openRnnoiseWorker,
  runRnnoiseInWorker,
} from '../../../src/main/services/processing/rnnoise/rnnoise-worker-task';
import { StudioError } from '../../../src/shared/errors';
import { generate, tempDir } from '../../helpers/audio';

const dir = tempDir();
const RATE = 48_000;

/** Raw 32-bit float samples, as ffmpeg's f32le writes them. */
function readF32(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** Real speech: espeak-ng, resampled to 48 kHz mono float. */
function speech(): Float32Array {
  const wav = join(dir, 'speech.wav');
  execFileSync('espeak-ng', [
    '-w',
    wav,
    'The quick brown fox jumps over the lazy dog. Podcasts are recorded in many rooms, some quiet ' +
      'and some with a humming fan or traffic outside the window. Noise reduction should keep ' +
      'the voice natural while the hiss underneath it goes away.',
  ]);
  const raw = join(dir, 'speech.f32');
  const args = ['-v', 'error', '-y', '-i', wav, '-ar', `${RATE}`, '-ac', '1', '-f', 'f32le', raw];
  execFileSync('ffmpeg', args);
  return readF32(raw);
}

function noise(color: 'white' | 'pink', samples: number): Float32Array {
  const source = `anoisesrc=color=${color}:sample_rate=${RATE}:amplitude=1:seed=20261123`;
  return readF32(
    generate(join(dir, `${color}.f32`), source, ['-t', `${samples / RATE}`, '-f', 'f32le']),
  );
}

/** clean + noise scaled so the mix has the given SNR. */
function mix(clean: Float32Array, noiseSamples: Float32Array, snrDb: number): Float32Array {
  const gain = Math.sqrt(energy(clean) / energy(noiseSamples) / 10 ** (snrDb / 10));
  return clean.map((v, i) => v + gain * noiseSamples[i]!);
}

function energy(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return sum;
}

function snrDb(clean: Float32Array, test: Float32Array): number {
  let error = 0;
  for (let i = 0; i < clean.length; i++) error += (test[i]! - clean[i]!) ** 2;
  return 10 * Math.log10(energy(clean) / error);
}

/** Streams x through the denoiser in blocks cycling through `sizes`, then flushes. */
function stream(denoiser: RnnoiseDenoiser, x: Float32Array, sizes: number[] = [x.length]) {
  const parts: Float32Array[] = [];
  for (let at = 0, j = 0; at < x.length; j++) {
    const size = sizes[j % sizes.length]!;
    parts.push(denoiser.process(x.subarray(at, at + size)));
    at += size;
  }
  parts.push(denoiser.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function denoise(x: Float32Array, strength = 1, sizes?: number[]): Promise<Float32Array> {
  const denoiser = await createRnnoiseDenoiser({ strength });
  try {
    return stream(denoiser, x, sizes);
  } finally {
    denoiser.destroy();
  }
}

/** The first sample where a and b differ bit for bit (-1: identical); faster than toEqual. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function argMaxAbs(x: Float32Array, from = 0, to = x.length): number {
  let best = from;
  for (let i = from; i < to; i++) if (Math.abs(x[i]!) > Math.abs(x[best]!)) best = i;
  return best;
}

let clean: Float32Array;
beforeAll(() => {
  clean = speech();
});

describe('RNNoise framing', () => {
  it('gives back exactly as many samples as it was given, whatever the block sizes', async () => {
    const denoiser = await createRnnoiseDenoiser({ strength: 1 });
    for (const length of [0, 1, 100, 479, 480, 481, 959, 960, 961, 1441, 12_345]) {
      for (const sizes of [[1], [7, 479, 481, 0], [4801], [length || 1]]) {
        const x = clean.subarray(20_000, 20_000 + length);
        expect(stream(denoiser, x, sizes).length, `length ${length}, blocks ${sizes}`).toBe(length);
      }
    }
    denoiser.destroy();
  });

  it('never hands out a sample before its frame is through RNNoise', async () => {
    const denoiser = await createRnnoiseDenoiser({ strength: 1 });
    let taken = 0;
    let given = 0;
    for (const size of [1, 500, 479, 481, 3, 2000, 17]) {
      given += denoiser.process(clean.subarray(taken, taken + size)).length;
      taken += size;
      const latency = RnnoiseDenoiser.latencySamples;
      expect(given).toBe(Math.max(0, Math.floor(taken / 480) * 480 - latency));
    }
    expect(given + denoiser.flush().length).toBe(taken);
    denoiser.destroy();
  });

  it('does not depend on how the input is cut into blocks', async () => {
    const x = clean.subarray(0, 5 * RATE);
    const whole = await denoise(x);
    for (const sizes of [[1, 2, 3, 5, 7, 11, 13], [479], [481], [4799, 1]]) {
      expect(firstDifference(await denoise(x, 1, sizes), whole)).toBe(-1);
    }
  });

  it('starts a fresh stream after flush', async () => {
    const x = clean.subarray(0, 3 * RATE);
    const denoiser = await createRnnoiseDenoiser({ strength: 1 });
    const first = stream(denoiser, x, [1000]);
    const second = stream(denoiser, x, [777]);
    denoiser.destroy();
    expect(firstDifference(second, first)).toBe(-1);
    expect(firstDifference(first, await denoise(x))).toBe(-1);
  });
});

describe('RNNoise time alignment (latency compensated)', () => {
  it('puts a click in speech at the sample it came in on', async () => {
    const x = clean.subarray(0, 4 * RATE);
    const without = await denoise(x, 1, [1234]);
    for (const at of [10_000, 48_001, 100_123, 150_479]) {
      const withClick = x.slice();
      withClick[at] = withClick[at]! + 0.9;
      const out = await denoise(withClick, 1, [1234]);
      // What the click changed: RNNoise is not linear, but the change peaks where the click is.
      const change = out.map((v, i) => v - without[i]!);
      expect(argMaxAbs(change)).toBe(at);
    }
  });

  it('lines the denoised speech up with the clean speech (cross-correlation peaks at lag 0)', async () => {
    const noisy = mix(clean, noise('white', clean.length), 10);
    const out = await denoise(noisy, 1, [4096]);
    // Three seconds of speech from the middle are plenty and keep 3001 lags quick.
    const from = Math.floor(clean.length / 2 - 1.5 * RATE);
    const correlation = (lag: number) => {
      let sum = 0;
      for (let i = from; i < from + 3 * RATE; i++) sum += clean[i]! * out[i + lag]!;
      return sum;
    };
    let bestLag = 0;
    for (let lag = -1500; lag <= 1500; lag++) {
      if (correlation(lag) > correlation(bestLag)) bestLag = lag;
    }
    expect(bestLag).toBe(0);
  });
});

describe('RNNoise noise reduction on espeak-ng speech', () => {
  // Measured improvements on this material: white at 0 dB +11.5 dB, at 5 dB +8.8; pink at 0 dB
  // +8.6, at 5 dB +6.4. The floors leave about 2 dB of room. (On near-clean input, 20 dB, full
  // strength costs about 3 dB: RNNoise's own colouring of the voice; use a lower strength there.)
  const floors = [
    { color: 'white', snr: 0, gain: 9 },
    { color: 'white', snr: 5, gain: 6.5 },
    { color: 'pink', snr: 0, gain: 6.5 },
    { color: 'pink', snr: 5, gain: 4.5 },
  ] as const;
  for (const { color, snr, gain } of floors) {
    it(`raises the SNR against the clean speech by ≥ ${gain} dB in ${color} noise at ${snr} dB`, async () => {
      const noisy = mix(clean, noise(color, clean.length), snr);
      expect(snrDb(clean, noisy)).toBeCloseTo(snr, 1);
      const out = await denoise(noisy, 1, [1000]);
      expect(snrDb(clean, out) - snr).toBeGreaterThanOrEqual(gain);
    });
  }
});

describe('RNNoise strength (wet/dry mix)', () => {
  it('at 0 returns the input unchanged, sample for sample', async () => {
    const noisy = mix(clean, noise('pink', clean.length), 5);
    expect(firstDifference(await denoise(noisy, 0, [333, 4801]), noisy)).toBe(-1);
  });

  it('at 0.5 is the average of the input and the fully denoised signal', async () => {
    const noisy = mix(clean, noise('pink', clean.length), 5);
    const wet = await denoise(noisy, 1);
    const half = await denoise(noisy, 0.5);
    let worst = 0;
    for (let i = 0; i < noisy.length; i++) {
      worst = Math.max(worst, Math.abs(half[i]! - 0.5 * (wet[i]! + noisy[i]!)));
    }
    expect(worst).toBeLessThan(1e-6);
    const snrs = [noisy, half, wet].map((x) => snrDb(clean, x));
    expect(snrs[1]).toBeGreaterThan(snrs[0]!);
    expect(snrs[2]).toBeGreaterThan(snrs[1]!);
  });

  it('refuses a strength outside 0 to 1', async () => {
    for (const strength of [-0.1, 1.5, Number.NaN]) {
      const error = await createRnnoiseDenoiser({ strength }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).code).toBe('invalid_input');
    }
  });
});

describe('RNNoise lifetime', () => {
  it('destroy frees the state: later calls throw, a second destroy is harmless', async () => {
    const denoiser = await createRnnoiseDenoiser({ strength: 1 });
    denoiser.process(clean.subarray(0, 1000));
    denoiser.destroy();
    denoiser.destroy();
    expect(() => denoiser.process(clean.subarray(0, 480))).toThrow(/destroyed/);
    expect(() => denoiser.flush()).toThrow(/destroyed/);
  });

  it('creating and destroying many denoisers keeps working (state is freed, not leaked)', async () => {
    const x = clean.subarray(0, 4800);
    const expected = await denoise(x);
    for (let i = 0; i < 200; i++) expect(firstDifference(await denoise(x), expected)).toBe(-1);
  });
});

describe('RNNoise on a worker thread', () => {
  it('gives the same samples as in-process', async () => {
    const noisy = mix(clean, noise('white', clean.length), 5);
    const inWorker = await runRnnoiseInWorker(noisy, { strength: 0.8 });
    expect(firstDifference(inWorker, await denoise(noisy, 0.8))).toBe(-1);
  });

  it('streams blocks in order, copying them so the caller can reuse its buffer', async () => {
    const x = clean.subarray(0, 2 * RATE);
    const worker = openRnnoiseWorker({ strength: 1 });
    const reused = new Float32Array(1111);
    const calls: Promise<Float32Array>[] = [];
    for (let at = 0; at < x.length; at += reused.length) {
      const block = x.subarray(at, at + reused.length);
      reused.set(block);
      calls.push(worker.process(reused.subarray(0, block.length)));
    }
    calls.push(worker.flush());
    const parts = await Promise.all(calls);
    const out = new Float32Array(x.length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    expect(at).toBe(x.length);
    expect(firstDifference(out, await denoise(x))).toBe(-1);
  });

  it('reports a bad strength from the worker as invalid_input', async () => {
    const error = await runRnnoiseInWorker(clean, { strength: 2 }).catch((e: unknown) => e);
    expect((error as StudioError).code).toBe('invalid_input');
  });

  it('cancels with the abort signal', async () => {
    const abort = new AbortController();
    const long = new Float32Array(3 * 60 * RATE);
    const run = runRnnoiseInWorker(long, { strength: 1, signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    const error = await run.catch((e: unknown) => e);
    expect((error as StudioError).code).toBe('cancelled');
  });
});
