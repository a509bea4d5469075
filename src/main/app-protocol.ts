import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from '../shared/contract/transport';
import { type ErrorCode, toErrorValue } from '../shared/errors';
import { wholeNumberParam } from './services/app/media-access';
import type { Services } from './services/app/services';

const RENDERER_DIR = join(import.meta.dirname, '../renderer');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The browser host's statuses for the errors a media route can answer with. */
const STATUS_FOR: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  // An asset whose audio is gone (its waveform cannot be drawn again without it).
  file_missing: 404,
};

/** studio:// is a secure, standard origin with fetch and media streaming (for Range seeking). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

/**
 * Serves the built renderer and the media routes (the same paths as the browser host) under
 * studio://app, with the app's CSP on every response.
 */
export function handleAppProtocol(services: Services): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    try {
      const [, route, id] = url.pathname.split('/');
      if (route === 'audio' && id) {
        const media = await services.media.audio(
          decodeURIComponent(id),
          request.headers.get('range'),
        );
        return new Response(
          media.body ? (Readable.toWeb(media.body) as ReadableStream<Uint8Array>) : null,
          { status: media.status, headers: withPolicy(media.headers) },
        );
      }
      const query = url.searchParams;
      if (route === 'peaks' && id) {
        // With spp it is a tile of the timeline's zoomable waveform; else a whole level.
        const body = query.has('spp')
          ? await services.media.peakTile(
              decodeURIComponent(id),
              wholeNumberParam(query.get('spp')),
              wholeNumberParam(query.get('from')),
              wholeNumberParam(query.get('count')),
            )
          : await services.media.peaks(
              decodeURIComponent(id),
              Number(query.get('minPairs') ?? Number.NaN),
            );
        return new Response(new Uint8Array(body), {
          headers: withPolicy({
            'Content-Type': 'application/octet-stream',
            'Cache-Control': 'max-age=3600',
          }),
        });
      }
      if (route === 'pcm' && id) {
        const pcm = await services.media.pcm(
          decodeURIComponent(id),
          wholeNumberParam(query.get('from')),
          wholeNumberParam(query.get('frames')),
        );
        return new Response(new Uint8Array(pcm.body), {
          headers: withPolicy({
            'Content-Type': 'application/octet-stream',
            'Cache-Control': 'max-age=3600',
            'X-Channels': String(pcm.channels),
          }),
        });
      }
      return await rendererFile(url.pathname);
    } catch (error) {
      const value = toErrorValue(error);
      return new Response(value.message, {
        status: STATUS_FOR[value.code] ?? 500,
        headers: withPolicy({ 'Content-Type': 'text/plain; charset=utf-8' }),
      });
    }
  });
}

async function rendererFile(pathname: string): Promise<Response> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname));
  const path = join(RENDERER_DIR, relative);
  // No escaping the renderer folder with ../
  if (!path.startsWith(RENDERER_DIR + sep)) return new Response('Not found', { status: 404 });
  const body = await readFile(path).catch(() => null);
  if (!body) return new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(body), {
    headers: withPolicy({
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    }),
  });
}

function withPolicy(headers: Record<string, string>): Record<string, string> {
  return {
    ...headers,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
}
