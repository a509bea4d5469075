import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { StudioError } from '../../../shared/errors';
import { readFloatFrames } from '../ffmpeg/pcm-stream';
import { runFfmpeg } from '../ffmpeg/run';
import type { Chunk } from './chunk-plan';
import { WORK_RATE } from './raw-pcm';

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
   * Stretches of the source played before the chunk itself (the denoiser learns its noise profile
   * from them); they are cut away from the output again.
   */
  prefix?: { start: number; frames: number };
  /** Output delay of the chain in frames at 48 kHz (measured by probeLatency). */
  latency: number;
  outputChannels: number;
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
export async function renderChunks(render: ChunkRender): Promise<void> {
  const { chunks } = render;
  const done = chunks.map(() => 0);
  const total = chunks.reduce((sum, c) => sum + c.end - c.start, 0);
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  if (render.signal?.aborted) stopAll.abort();
  render.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      chunks.map((chunk, index) =>
        renderChunk(render, chunk, stopAll.signal, (frames) => {
          done[index] = frames;
          render.onProgress?.(done.reduce((a, b) => a + b, 0) / Math.max(1, total));
        }).catch((error: unknown) => {
          stopAll.abort();
          throw error;
        }),
      ),
    );
  } catch (error) {
    // The first failure is the cause; the others were stopped by it.
    if (render.signal?.aborted) throw new StudioError('cancelled', `${render.what}: cancelled`);
    throw error;
  } finally {
    render.signal?.removeEventListener('abort', onAbort);
  }
}

async function renderChunk(
  render: ChunkRender,
  chunk: Chunk,
  signal: AbortSignal,
  progress: (frames: number) => void,
): Promise<void> {
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
  const chain = [...render.filters(chunk), `apad=pad_len=${latency + 1024}`];
  const joined =
    ranges.length > 1
      ? `${ranges.map((_, i) => `[${i}:a]`).join('')}concat=n=${ranges.length}:v=0:a=1,`
      : '[0:a]';
  args.push('-filter_complex', `${joined}${chain.join(',')}[out]`, '-map', '[out]');

  let skip = (prefix?.frames ?? 0) + (chunk.start - chunk.readStart) + latency;
  const wanted = chunk.end - chunk.start;
  let delivered = 0;
  const deliver = async (samples: Float32Array, frames: number) => {
    let from = 0;
    if (skip > 0) {
      from = Math.min(skip, frames);
      skip -= from;
    }
    const take = Math.min(frames - from, wanted - delivered);
    if (take <= 0) return;
    await render.sink(
      chunk.start + delivered,
      samples.subarray(from * outputChannels, (from + take) * outputChannels),
      take,
    );
    delivered += take;
    progress(delivered);
  };
  const consume = (stdout: Readable) =>
    readFloatFrames(stdout, outputChannels, deliver, signal).then(() => {});

  if (!render.transform) {
    args.push('-ac', String(outputChannels), '-c:a', 'pcm_f32le', '-f', 'f32le', '-');
    await runFfmpeg({ what: render.what, args, signal, consumeStdout: consume });
  } else {
    // ffmpeg → Node step → ffmpeg, all streaming; a failure anywhere stops all three.
    const channels = outputChannels;
    args.push('-ac', String(channels), '-c:a', 'pcm_f32le', '-f', 'f32le', '-');
    const transform = render.transform.open(channels);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const pipe = new PassThrough();
    const after = render.transform.afterTransform;
    try {
      await Promise.all([
        runFfmpeg({
          what: render.what,
          args,
          signal: stop.signal,
          consumeStdout: async (stdout) => {
            await readFloatFrames(
              stdout,
              channels,
              async (samples, frames) => {
                const out = await transform.process(samples, frames);
                if (!pipe.write(out)) await once(pipe, 'drain');
              },
              stop.signal,
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
          signal: stop.signal,
          feedStdin: (stdin) =>
            new Promise<void>((resolve, reject) => {
              pipe.pipe(stdin);
              pipe.once('end', resolve);
              pipe.once('error', reject);
            }),
          consumeStdout: consume,
        }),
      ]).catch((error: unknown) => {
        stop.abort();
        throw error;
      });
    } finally {
      signal.removeEventListener('abort', onAbort);
      transform.cancel();
    }
  }
  if (signal.aborted) throw new StudioError('cancelled', `${render.what}: cancelled`);
  if (delivered !== wanted)
    throw new StudioError(
      'internal',
      `${render.what}: ffmpeg returned ${delivered} of ${wanted} samples for ${seconds(chunk.start)} s onwards.`,
    );
}

/** Seconds to the microsecond: ffmpeg rounds to the nearest sample of the 48 kHz time base. */
function seconds(frames: number): string {
  return (frames / WORK_RATE).toFixed(6);
}
