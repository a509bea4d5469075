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

/** URL paths for media, the same on both transports under their own origin. */
export const mediaPaths = {
  audio: (assetId: string) => `/audio/${encodeURIComponent(assetId)}`,
  peaks: (assetId: string, minPairs: number) =>
    `/peaks/${encodeURIComponent(assetId)}?minPairs=${Math.max(1, Math.round(minPairs))}`,
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
