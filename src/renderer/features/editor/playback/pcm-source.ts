/**
 * Audio for playback, fetched in pieces: never a whole file decoded in the renderer. An asset is
 * read in fixed chunks so that replanning, scrubbing and replaying hit the same cache entries.
 */

/** Interleaved 32-bit float frames at 48 kHz; fewer than asked for at the end of the asset. */
export interface PcmBlock {
  channels: number;
  data: Float32Array;
}

/** Reads `frames` frames of an asset from frame `from` (48 kHz). */
export type FetchPcm = (assetId: string, from: number, frames: number) => Promise<PcmBlock>;

/** Samples of one piece, one plane per output channel (1 for mono, 2 for stereo and more). */
export interface PcmPlanes {
  planes: Float32Array<ArrayBuffer>[];
  frames: number;
}

/**
 * A FetchPcm over the host's PCM route: the body is f32le interleaved, the channel count in the
 * X-Channels header. `pcmUrl` builds the route's URL (mediaPaths will have the builder).
 */
export function fetchPcmOverHttp(
  pcmUrl: (assetId: string, from: number, frames: number) => string,
): FetchPcm {
  return async (assetId, from, frames) => {
    const response = await fetch(pcmUrl(assetId, from, frames));
    if (!response.ok) {
      throw new Error(`Audio of asset ${assetId} unavailable (HTTP ${response.status})`);
    }
    const channels = Number(response.headers.get('X-Channels'));
    if (!Number.isInteger(channels) || channels < 1) {
      throw new Error(`Audio of asset ${assetId} came without a channel count`);
    }
    const bytes = await response.arrayBuffer();
    // Float32Array needs a whole number of 4-byte samples; a whole number of frames is expected.
    const samples = Math.floor(bytes.byteLength / 4);
    const data = new Float32Array(bytes, 0, samples - (samples % channels));
    return { channels, data };
  };
}

export const CHUNK_FRAMES = 65_536;
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export interface PcmCache {
  /** The frames [from, from + frames) of an asset; zeros past its end. */
  read(assetId: string, from: number, frames: number): Promise<PcmPlanes>;
  /** Bytes held now (for tests and diagnostics). */
  bytes(): number;
  clear(): void;
}

/** Chunks of recently played audio, least recently used dropped first above `maxBytes`. */
export function createPcmCache(
  fetchPcm: FetchPcm,
  maxBytes = DEFAULT_CACHE_BYTES,
  chunkFrames = CHUNK_FRAMES,
): PcmCache {
  // Map keeps insertion order: re-inserting on use makes the first key the least recent.
  const chunks = new Map<string, PcmBlock>();
  const pending = new Map<string, Promise<PcmBlock>>();
  let held = 0;

  const remember = (key: string, block: PcmBlock) => {
    chunks.set(key, block);
    held += block.data.byteLength;
    for (const [oldKey, old] of chunks) {
      if (held <= maxBytes || oldKey === key) break;
      chunks.delete(oldKey);
      held -= old.data.byteLength;
    }
  };

  const chunk = (assetId: string, index: number): Promise<PcmBlock> => {
    const key = `${assetId}\u0000${index}`;
    const cached = chunks.get(key);
    if (cached) {
      chunks.delete(key);
      chunks.set(key, cached);
      return Promise.resolve(cached);
    }
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const request = fetchPcm(assetId, index * chunkFrames, chunkFrames).then(
      (block) => {
        pending.delete(key);
        remember(key, block);
        return block;
      },
      (error: unknown) => {
        // Not cached: the asset may come back (a drive plugged in again).
        pending.delete(key);
        throw error;
      },
    );
    pending.set(key, request);
    return request;
  };

  return {
    async read(assetId, from, frames) {
      const first = Math.floor(from / chunkFrames);
      const last = Math.floor((from + frames - 1) / chunkFrames);
      const indices = Array.from({ length: last - first + 1 }, (_, k) => first + k);
      const blocks = await Promise.all(indices.map((index) => chunk(assetId, index)));
      const channels = Math.min(2, blocks[0]?.channels ?? 1);
      const planes = Array.from({ length: channels }, () => new Float32Array(frames));
      blocks.forEach((block, k) => {
        const chunkStart = (first + k) * chunkFrames;
        const blockFrames = Math.floor(block.data.length / block.channels);
        const begin = Math.max(from, chunkStart);
        const end = Math.min(from + frames, chunkStart + blockFrames);
        for (let frame = begin; frame < end; frame++) {
          const at = (frame - chunkStart) * block.channels;
          const out = frame - from;
          for (let c = 0; c < channels; c++) {
            // A mono chunk in a stereo piece (should not happen) feeds both sides.
            planes[c]![out] = block.data[at + Math.min(c, block.channels - 1)]!;
          }
        }
      });
      return { planes, frames };
    },
    bytes: () => held,
    clear() {
      chunks.clear();
      pending.clear();
      held = 0;
    },
  };
}
