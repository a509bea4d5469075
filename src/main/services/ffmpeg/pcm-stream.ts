import type { Readable } from 'node:stream';

/**
 * Reads interleaved 32-bit float PCM from a pipe and hands it on in whole frames. Pipe chunks
 * arrive at any length and byte offset, so they are regrouped in one aligned staging buffer; the
 * samples passed to `onFrames` are only valid during the call (the buffer is reused).
 */
export async function readFloatFrames(
  stream: Readable,
  channels: number,
  onFrames: (samples: Float32Array, frames: number) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  const frameBytes = 4 * channels;
  let staging = new Uint8Array(1 << 20);
  let filled = 0;
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) break;
    if (filled + chunk.length > staging.length) {
      const grown = new Uint8Array(Math.max(staging.length * 2, filled + chunk.length));
      grown.set(staging.subarray(0, filled));
      staging = grown;
    }
    staging.set(chunk, filled);
    filled += chunk.length;
    const n = Math.floor(filled / frameBytes);
    if (n === 0) continue;
    await onFrames(new Float32Array(staging.buffer, 0, n * channels), n);
    staging.copyWithin(0, n * frameBytes, filled);
    filled -= n * frameBytes;
    total += n;
  }
  return total;
}
