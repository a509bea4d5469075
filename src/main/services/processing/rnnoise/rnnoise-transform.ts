import type { ChunkTransform } from '../render-chunks';
import { openRnnoiseWorker, type RnnoiseWorkerStream } from './rnnoise-worker-task';

/**
 * RNNoise as a step between two ffmpeg processes: interleaved float frames in, the same number
 * out, time-aligned. Each channel runs on its own worker thread (RNNoise is mono).
 */
export function rnnoiseTransform(strength: number, channels: number): ChunkTransform {
  const streams: RnnoiseWorkerStream[] = Array.from({ length: channels }, () =>
    openRnnoiseWorker({ strength }),
  );
  const split = (samples: Float32Array, frames: number) =>
    streams.map((_, c) => {
      const channel = new Float32Array(frames);
      for (let i = 0; i < frames; i++) channel[i] = samples[i * channels + c]!;
      return channel;
    });
  const join = (parts: Float32Array[]) => {
    const frames = Math.min(...parts.map((p) => p.length));
    const out = new Float32Array(frames * channels);
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < frames; i++) out[i * channels + c] = parts[c]![i]!;
    return out;
  };
  return {
    process: async (samples, frames) =>
      join(await Promise.all(split(samples, frames).map((part, c) => streams[c]!.process(part)))),
    flush: async () => join(await Promise.all(streams.map((s) => s.flush()))),
    cancel: () => {
      for (const s of streams) s.cancel();
    },
  };
}
