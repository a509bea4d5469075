import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { StudioError } from '../../../shared/errors';
import type { Levels } from '../../../shared/processing';
import { readFloatFrames } from '../ffmpeg/pcm-stream';
import { runFfmpeg } from '../ffmpeg/run';
import { stopTogether } from '../jobs/stop-together';
import { joinMeters, type MeterResult, MeterStream } from '../media/analysis/meter-stream';
import type { Chunk } from './chunk-plan';
import { WORK_RATE } from './raw-pcm';

/** Frames of audio before a chunk that the meter's filters settle on (their slowest pole: ~5 ms). */
const PRIME_FRAMES = WORK_RATE / 2;

/** A 48 kHz PCM source the chunks seek in: a PCM WAV, or a raw work file. */
export interface PcmSource {
  path: string;
  /** ffmpeg input options placed before `-i` (raw work files need their format spelled out). */
  inputArgs: string[];
  channels: number;
}

/** A step run in Node between two ffmpeg processes (RNNoise): same frame count out as in. */
export interface ChunkTransform {
  process(samples: Float32Array, frames: number): Promise<Float32Array>;
  flush(): Promise<Float32Array>;
  cancel(): void;
}

export interface ChunkRender {
  source: PcmSource;
  chunks: Chunk[];
  /** The filter chain, as for `-af`; empty for none. */
  filters: (chunk: Chunk) => string[];
  /**
   * A Node step after `filters`, then `afterTransform` in a second ffmpeg. Opened per chunk with
   * the channel count; its output must be time-aligned with its input.
   */
  transform?: { open: (channels: number) => ChunkTransform; afterTransform: string[] };
  /**
   * A stretch of the source played before the chunk itself (the denoiser learns its noise
   * profile from it); it is cut away from the output again.
   */
  prefix?: { start: number; frames: number };
  /** Output delay of the chain in frames at 48 kHz (measured by probeLatency). */
  latency: number;
  outputChannels: number;
  /**
   * Measure what the chunks deliver (on worker threads, as it streams): integrated loudness and
   * LRA, and true peak when asked. renderChunks then returns the levels of the whole.
   */
  meter?: { truePeak: boolean };
  /** Receives each chunk's own frames, in order within a chunk, at their timeline position. */
  sink: (frame: number, samples: Float32Array, frames: number) => Promise<void>;
  what: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * Renders the chunks in parallel, one ffmpeg each. Every chunk reads its pre-roll and post-roll
 * (so filters with memory are settled at the joins), the chain's delay is taken out, and exactly
 * the chunk's own frames reach the sink: joined, the chunks cover the timeline sample for sample.
 */
export async function renderChunks(render: ChunkRender): Promise<Levels | null> {
  const { chunks } = render;
  const done = chunks.map(() => 0);
  const total = chunks.reduce((sum, c) => sum + c.end - c.start, 0);
  const all = stopTogether(render.signal);
  try {
    const measured = await Promise.all(
      chunks.map((chunk, index) =>
        renderChunk(render, chunk, all.signal, (frames) => {
          done[index] = frames;
          render.onProgress?.(done.reduce((a, b) => a + b, 0) / Math.max(1, total));
        }).catch((error: unknown) => {
          all.stop();
          throw error;
        }),
      ),
    );
    return render.meter
      ? joinMeters(
          measured.filter((m): m is MeterResult => m !== null),
          WORK_RATE,
          render.outputChannels,
        )
      : null;
  } catch (error) {
    // The first failure is the cause; the others were stopped by it.
    if (render.signal?.aborted) throw new StudioError('cancelled', `${render.what}: cancelled`);
    throw error;
  }
}

async function renderChunk(
  render: ChunkRender,
  chunk: Chunk,
  signal: AbortSignal,
  progress: (frames: number) => void,
): Promise<MeterResult | null> {
  const { source, prefix, latency, outputChannels } = render;
  const ranges = [
    ...(prefix ? [prefix] : []),
    { start: chunk.readStart, frames: chunk.readEnd - chunk.readStart },
  ];
  const args = ['-nostdin', '-hide_banner', '-v', 'error'];
  for (const range of ranges) {
    args.push(...source.inputArgs, '-ss', seconds(range.start), '-t', seconds(range.frames));
    args.push('-i', source.path);
  }
  // Zeros after the end so the chain's delay does not swallow the last frames.
  // Filters work in float: a 16-bit source must not be rounded back to 16 bits between steps.
  const chain = [
    'aformat=sample_fmts=fltp|flt',
    ...render.filters(chunk),
    `apad=pad_len=${latency + 1024}`,
  ];
  const joined =
    ranges.length > 1
      ? `${ranges.map((_, i) => `[${i}:a]`).join('')}concat=n=${ranges.length}:v=0:a=1,`
      : '[0:a]';
  args.push('-filter_complex', `${joined}${chain.join(',')}[out]`, '-map', '[out]');

  const head = (prefix?.frames ?? 0) + latency;
  let skip = head + (chunk.start - chunk.readStart);
  const wanted = chunk.end - chunk.start;
  let delivered = 0;
  let seen = 0;
  const meter = render.meter
    ? new MeterStream(WORK_RATE, outputChannels, render.meter.truePeak)
    : null;
  // The meter's filters start from the audio just before the chunk, as one long meter would.
  const primeFrom = Math.max(chunk.readStart, chunk.start - PRIME_FRAMES);
  const deliver = async (samples: Float32Array, frames: number) => {
    let from = 0;
    if (skip > 0) {
      from = Math.min(skip, frames);
      skip -= from;
      const timeline = chunk.readStart + seen - head;
      const primeStart = Math.max(0, primeFrom - timeline);
      if (meter && primeStart < from)
        await meter.prime(samples.subarray(primeStart * outputChannels, from * outputChannels));
    }
    seen += frames;
    const take = Math.min(frames - from, wanted - delivered);
    if (take <= 0) return;
    const part = samples.subarray(from * outputChannels, (from + take) * outputChannels);
    if (meter) await meter.push(part);
    await render.sink(chunk.start + delivered, part, take);
    delivered += take;
    progress(delivered);
  };
  const consume = (stdout: Readable) =>
    readFloatFrames(stdout, outputChannels, deliver, signal).then(() => {});

  try {
    await runChunkProcesses(render, args, outputChannels, consume, signal);
  } catch (error) {
    meter?.cancel();
    throw error;
  }
  if (signal.aborted) throw new StudioError('cancelled', `${render.what}: cancelled`);
  if (delivered !== wanted) {
    meter?.cancel();
    throw new StudioError(
      'internal',
      `${render.what}: ffmpeg returned ${delivered} of ${wanted} samples for ${seconds(chunk.start)} s onwards.`,
    );
  }
  return meter ? meter.finish() : null;
}

/** One ffmpeg; or, with a Node step, ffmpeg → step → ffmpeg, all streaming. */
async function runChunkProcesses(
  render: ChunkRender,
  args: string[],
  outputChannels: number,
  consume: (stdout: Readable) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  if (!render.transform) {
    args.push('-ac', String(outputChannels), '-c:a', 'pcm_f32le', '-f', 'f32le', '-');
    await runFfmpeg({ what: render.what, args, signal, consumeStdout: consume });
  } else {
    // ffmpeg → Node step → ffmpeg, all streaming; a failure anywhere stops all three.
    const channels = outputChannels;
    args.push('-ac', String(channels), '-c:a', 'pcm_f32le', '-f', 'f32le', '-');
    const transform = render.transform.open(channels);
    const parts = stopTogether(signal);
    const pipe = new PassThrough();
    const after = render.transform.afterTransform;
    try {
      await Promise.all([
        runFfmpeg({
          what: render.what,
          args,
          signal: parts.signal,
          consumeStdout: async (stdout) => {
            await readFloatFrames(
              stdout,
              channels,
              async (samples, frames) => {
                const out = await transform.process(samples, frames);
                if (!pipe.write(out)) await once(pipe, 'drain', { signal: parts.signal });
              },
              parts.signal,
            );
            pipe.end(await transform.flush());
          },
        }),
        runFfmpeg({
          what: render.what,
          args: [
            ...['-nostdin', '-hide_banner', '-v', 'error'],
            ...['-f', 'f32le', '-ar', String(WORK_RATE), '-ac', String(channels), '-i', '-'],
            ...(after.length ? ['-af', after.join(',')] : []),
            ...['-ac', String(outputChannels), '-c:a', 'pcm_f32le', '-f', 'f32le', '-'],
          ],
          signal: parts.signal,
          feedStdin: (stdin) =>
            new Promise<void>((resolve, reject) => {
              pipe.pipe(stdin);
              pipe.once('end', resolve);
              pipe.once('error', reject);
            }),
          consumeStdout: consume,
        }),
      ]).catch((error: unknown) => {
        parts.stop();
        throw error;
      });
    } finally {
      transform.cancel();
    }
  }
}

/** Seconds to the microsecond: ffmpeg rounds to the nearest sample of the 48 kHz time base. */
function seconds(frames: number): string {
  return (frames / WORK_RATE).toFixed(6);
}
