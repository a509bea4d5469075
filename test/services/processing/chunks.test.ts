// Parallel chunks joined sample for sample: the chunked result of a filter chain equals what one
// ffmpeg makes of the whole file with the same chain: no gap, no repeated samples, no offset at
// the joins, and the chain's delay taken out.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_GRID,
  type Chunk,
  planChunks,
} from '../../../src/main/services/processing/chunk-plan';
import { limiterChain } from '../../../src/main/services/processing/filter-chain';
import { probeLatency } from '../../../src/main/services/processing/latency';
import { processFile } from '../../../src/main/services/processing/process-file';
import { renderChunks } from '../../../src/main/services/processing/render-chunks';
import { speechLike, tempDir } from '../../helpers/audio';
import { RATE, readMonoFloat } from '../../helpers/speech';
import { only } from './step-fixtures';

const dir = tempDir('studio-chunks-');
/** Largest difference allowed from the whole-file render (measured: 0, identical samples). */
const TOLERANCE = 1e-5;

/** ffmpeg over the whole file, delay removed, as many frames out as in: the reference. */
function wholeFile(
  input: string,
  filters: string[],
  latency: number,
  frames: number,
): Float32Array {
  const out = join(dir, 'reference.wav');
  const chain = [
    // In float, as the engine filters (render-chunks.ts).
    'aformat=sample_fmts=fltp|flt',
    ...filters,
    `apad=pad_len=${latency + 1024}`,
    `atrim=start_sample=${latency}:end_sample=${latency + frames}`,
  ];
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', input, '-af', chain.join(','), '-c:a', 'pcm_f32le', out],
  ]);
  return readMonoFloat(out);
}

function maxDifference(a: Float32Array, b: Float32Array): { max: number; at: number } {
  let max = 0;
  let at = -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max) {
      max = d;
      at = i;
    }
  }
  return { max, at };
}

describe('processFile on a 72 s input (two chunks on two cores)', () => {
  it('high-pass only equals one ffmpeg over the whole file', async () => {
    const input = speechLike(join(dir, 'long.wav'), 72);
    const frames = 72 * RATE;
    // The cleanup step's plan (8 s of roll): at least two chunks wherever there are two cores.
    const plan = planChunks(frames, 8 * RATE);
    expect(plan.length).toBe(Math.min(2, availableParallelism()));
    const output = join(dir, 'long-high-passed.wav');
    await processFile({ input, output, settings: only({ highPass: true }) });
    const chunked = readMonoFloat(output);
    const reference = wholeFile(input, ['highpass=f=80:poles=2'], 0, frames);
    expect(chunked.length).toBe(frames);
    expect(reference.length).toBe(frames);
    const { max, at } = maxDifference(chunked, reference);
    expect(max, `at ${(at / RATE).toFixed(3)} s`).toBeLessThan(TOLERANCE);
  });
});

describe('renderChunks with five uneven chunks on a 20 s input, at the roll the engine uses', () => {
  const frames = 20 * RATE;
  const input = speechLike(join(dir, 'short.wav'), 20);
  // Joins at 3, 9, 12 and 18 s (on the 3 s grid).
  const bounds = [0, 1, 3, 4, 6].map((k) => k * CHUNK_GRID);
  /** The chunks with the engine's roll: 8 s for cleanup, 1 s for the limiter (up to the grid). */
  const chunksWith = (rollSeconds: number): Chunk[] => {
    const roll = Math.ceil((rollSeconds * RATE) / CHUNK_GRID) * CHUNK_GRID;
    return bounds.map((start, i) => {
      const end = bounds[i + 1] ?? frames;
      return {
        start,
        end,
        readStart: Math.max(0, start - roll),
        readEnd: Math.min(frames, end + roll),
      };
    });
  };

  async function chunked(
    chunks: Chunk[],
    filters: string[],
    latency: number,
  ): Promise<Float32Array> {
    const out = new Float32Array(frames);
    const written = new Uint8Array(frames);
    await renderChunks({
      source: { path: input, inputArgs: [], channels: 1 },
      chunks,
      filters: () => filters,
      latency,
      outputChannels: 1,
      sink: async (frame, samples, count) => {
        out.set(samples.subarray(0, count), frame);
        for (let f = frame; f < frame + count; f++) written[f]!++;
      },
      what: 'Rendering chunks',
    });
    // Every frame delivered exactly once.
    const counts = new Map<number, number>();
    for (const n of written) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts.entries()]).toEqual([[1, frames]]);
    return out;
  }

  const chains: Array<[string, string[], number]> = [
    [
      'high-pass and hum notches',
      ['highpass=f=80:poles=2', 'bandreject=f=50:width_type=q:width=25'],
      8,
    ],
    ['afftdn (delays its output by 1200 frames)', ['afftdn=nr=20'], 8],
    ['the leveler (250 ms frames, on the chunk grid)', ['dynaudnorm=f=250:g=15:m=10:p=0.9'], 8],
    ['the limiter (oversampled, with look-ahead)', limiterChain(6, -1), 1],
  ];
  for (const [name, filters, rollSeconds] of chains) {
    it(`${name}: joined chunks equal the whole-file render`, async () => {
      const latency = await probeLatency(filters);
      const result = await chunked(chunksWith(rollSeconds), filters, latency);
      const reference = wholeFile(input, filters, latency, frames);
      const { max, at } = maxDifference(result, reference);
      expect(max, `at ${(at / RATE).toFixed(3)} s (latency ${latency})`).toBeLessThan(TOLERANCE);
    });
  }

  it('the material would show a slip of one frame at any join', () => {
    // Neighbouring samples around each join differ by far more than the tolerance (in every
    // 10-frame stretch of the 100 frames around it; the smallest measured: 7e-4 at 3 s).
    const reference = readMonoFloat(input);
    for (const start of bounds.slice(1)) {
      let smallest = Number.POSITIVE_INFINITY;
      for (let f = start - 50; f < start + 50; f += 10) {
        let step = 0;
        for (let k = f; k < f + 10; k++)
          step = Math.max(step, Math.abs(reference[k]! - reference[k - 1]!));
        smallest = Math.min(smallest, step);
      }
      expect(smallest, `join at ${start / RATE} s`).toBeGreaterThan(10 * TOLERANCE);
    }
  });
});
