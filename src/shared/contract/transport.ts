import type { Result } from '../errors';
import type { EventName, EventPayload } from './events';
import type { RequestInput, RequestName, RequestOutput } from './requests';

/** Names shared by the transports so main, preload and the browser host agree. */
export const IPC_REQUEST_CHANNEL = 'studio:request';
export const IPC_EVENT_CHANNEL = 'studio:event';
/**
 * Electron serves the renderer and its media from one privileged scheme (`studio://app/...`), so
 * the UI uses the same relative URLs and the same CSP on both transports.
 */
export const APP_SCHEME = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const HTTP_API_PREFIX = '/api';

/** The preload's `window.studio`: the whole bridge. */
export interface StudioBridge {
  request<K extends RequestName>(
    name: K,
    input: RequestInput<K>,
  ): Promise<Result<RequestOutput<K>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The absolute path of a dropped or picked file (Electron only knows it). */
  pathForFile(file: File): string;
}

/** The most frames one `mediaPaths.pcm` request may ask for: 20 s at 48 kHz. */
export const PCM_RANGE_MAX_FRAMES = 48_000 * 20;

/** URL paths for media, the same on both transports under their own origin. */
export const mediaPaths = {
  audio: (assetId: string) => `/audio/${encodeURIComponent(assetId)}`,
  peaks: (assetId: string, minPairs: number) =>
    `/peaks/${encodeURIComponent(assetId)}?minPairs=${Math.max(1, Math.round(minPairs))}`,
  /**
   * One STPL level block (src/shared/peaks.ts) of pairs [from, from + count) at `spp` samples per
   * pair (one of PEAK_TILE_SPPS; count at most PEAK_TILE_MAX_PAIRS). Positions count samples of
   * the block's sampleRate (the source's). Past the end the block has fewer pairs, possibly none.
   */
  peakTile: (assetId: string, spp: number, from: number, count: number) =>
    `/peaks/${encodeURIComponent(assetId)}?spp=${spp}&from=${from}&count=${count}`,
  /**
   * Frames [from, from + frames) of the played file as 32-bit float little-endian interleaved PCM
   * at 48 kHz (frames at most PCM_RANGE_MAX_FRAMES); the `X-Channels` header gives the channel
   * count (1 or 2). Past the end the answer is shorter, possibly empty.
   */
  pcm: (assetId: string, from: number, frames: number) =>
    `/pcm/${encodeURIComponent(assetId)}?from=${from}&frames=${frames}`,
};

/** One policy for the Electron window and the browser host: our own code and media only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // wavesurfer.js styles its shadow DOM with inline <style>; no script is ever inline.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
