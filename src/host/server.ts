import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { enqueueImports } from '../main/services/app/import-job';
import { wholeNumberParam } from '../main/services/app/media-access';
import type { Services } from '../main/services/app/services';
import { fileSystemError, tempPathFor } from '../main/services/files/atomic';
import { getEpisodeAssetRow } from '../main/services/library/assets';
import { getEpisode } from '../main/services/library/episodes';
import { CONTENT_SECURITY_POLICY, HTTP_API_PREFIX } from '../shared/contract';
import type { ErrorCode } from '../shared/errors';
import { StudioError, toErrorValue } from '../shared/errors';

export interface HostOptions {
  services: Services;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port: number;
}

const STATUS_FOR: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  file_missing: 404,
  conflict: 409,
  forbidden: 403,
};

/**
 * The browser host: the real UI in any Chromium, over HTTP, against the same services. Requests are
 * POST /api/request/<name> answering a Result; events stream over SSE at /api/events; media and
 * peaks are GET /audio/<id> (Range), /peaks/<id> (a level or a tile) and /pcm/<id> (a decoded
 * range); dropped files upload to /api/upload.
 * It listens on 127.0.0.1 only and refuses requests from other origins.
 */
export async function startHost(
  options: HostOptions,
): Promise<{ app: FastifyInstance; url: string }> {
  const { services } = options;
  // forceCloseConnections: an open event stream must not keep the host from stopping.
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  let origin = '';
  // Any local process could otherwise drive the library and read files through imports: every
  // request needs this launch's secret, given once in the printed link and kept in a cookie.
  const token = randomBytes(24).toString('base64url');

  // Another site in the same browser must not drive the library (CSRF, DNS rebinding).
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) {
      return reply
        .code(403)
        .send({ ok: false, error: { code: 'forbidden', message: 'Unknown host' } });
    }
    const from = request.headers.origin;
    if (
      request.method !== 'GET' &&
      from &&
      from !== origin &&
      from !== origin.replace('127.0.0.1', 'localhost')
    ) {
      return reply
        .code(403)
        .send({ ok: false, error: { code: 'forbidden', message: 'Cross-origin request refused' } });
    }
    if (cookieValue(request.headers.cookie, SESSION_COOKIE) === token) return;
    const url = new URL(request.url, origin || 'http://127.0.0.1');
    if (url.searchParams.get('token') === token) {
      reply.header('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      // Keep the secret out of the address bar and history once the cookie holds it.
      if (request.method === 'GET' && url.pathname === '/') return reply.redirect('/');
      return;
    }
    return reply.code(401).send({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          'Open the link the browser host printed when it started: it carries this session’s access token.',
      },
    });
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  app.post<{ Params: { name: string } }>(
    `${HTTP_API_PREFIX}/request/:name`,
    async (request, reply) => {
      const result = await services.dispatch(request.params.name, request.body ?? {});
      if (!result.ok) reply.code(STATUS_FOR[result.error.code] ?? 500);
      return result;
    },
  );

  app.get(`${HTTP_API_PREFIX}/events`, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    });
    res.write(': connected\n\n');
    const unsubscribe = services.bus.onAny((name, payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  // Uploads stream straight to disk: a browser cannot hand over a file path.
  app.addContentTypeParser('application/octet-stream', (_request, _payload, done) => done(null));
  app.post<{ Querystring: { episodeId?: string; name?: string; relinkAssetId?: string } }>(
    `${HTTP_API_PREFIX}/upload`,
    async (request, reply) => {
      try {
        const { episodeId, name, relinkAssetId } = request.query;
        if (!episodeId || !name)
          throw new StudioError('invalid_input', 'episodeId and name are required');
        // Checked before reading a byte: nothing to clean up.
        getEpisode(services.db, episodeId);
        if (relinkAssetId) getEpisodeAssetRow(services.db, relinkAssetId, episodeId);
        const uploads = join(services.dataDir, 'uploads');
        await mkdir(uploads, { recursive: true });
        const finalPath = join(
          uploads,
          `${randomUUID()}-${name.replace(/[^\w.\- ]+/g, '_').slice(-120)}`,
        );
        const temp = tempPathFor(finalPath);
        try {
          await pipeline(request.raw, createWriteStream(temp));
          await rename(temp, finalPath);
        } catch (error) {
          await rm(temp, { force: true });
          throw fileSystemError(error, `Uploading ${name}`, finalPath);
        }
        let jobIds: string[];
        try {
          jobIds = enqueueImports(services, episodeId, [
            { path: finalPath, name, staged: true, ...(relinkAssetId ? { relinkAssetId } : {}) },
          ]);
        } catch (error) {
          await rm(finalPath, { force: true });
          throw error;
        }
        return { ok: true, value: { jobIds } };
      } catch (error) {
        const value = toErrorValue(error);
        reply.code(STATUS_FOR[value.code] ?? 500);
        return { ok: false, error: value };
      }
    },
  );

  app.get<{ Params: { id: string } }>('/audio/:id', async (request, reply) => {
    try {
      const response = await services.media.audio(request.params.id, request.headers.range ?? null);
      reply.code(response.status).headers(response.headers);
      return reply.send(response.body ?? '');
    } catch (error) {
      const value = toErrorValue(error);
      return reply.code(STATUS_FOR[value.code] ?? 500).send({ ok: false, error: value });
    }
  });

  app.get<{
    Params: { id: string };
    Querystring: { minPairs?: string; spp?: string; from?: string; count?: string };
  }>('/peaks/:id', async (request, reply) => {
    try {
      const { query } = request;
      // With spp it is a tile of the timeline's zoomable waveform; else a whole level.
      const body =
        query.spp !== undefined
          ? await services.media.peakTile(
              request.params.id,
              wholeNumberParam(query.spp),
              wholeNumberParam(query.from),
              wholeNumberParam(query.count),
            )
          : await services.media.peaks(request.params.id, Number(query.minPairs));
      return reply
        .header('Content-Type', 'application/octet-stream')
        .header('Cache-Control', 'max-age=3600')
        .send(body);
    } catch (error) {
      const value = toErrorValue(error);
      return reply.code(STATUS_FOR[value.code] ?? 500).send({ ok: false, error: value });
    }
  });

  app.get<{ Params: { id: string }; Querystring: { from?: string; frames?: string } }>(
    '/pcm/:id',
    async (request, reply) => {
      try {
        const pcm = await services.media.pcm(
          request.params.id,
          wholeNumberParam(request.query.from),
          wholeNumberParam(request.query.frames),
        );
        return reply
          .header('Content-Type', 'application/octet-stream')
          .header('Cache-Control', 'max-age=3600')
          .header('X-Channels', String(pcm.channels))
          .send(pcm.body);
      } catch (error) {
        const value = toErrorValue(error);
        return reply.code(STATUS_FOR[value.code] ?? 500).send({ ok: false, error: value });
      }
    },
  );

  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${options.rendererDir}/index.html is missing). Run: npm run build`,
    );
  }
  await app.register(fastifyStatic, { root: options.rendererDir, prefix: '/' });

  const address = await app.listen({ host: '127.0.0.1', port: options.port });
  origin = address.replace('[::1]', '127.0.0.1');
  return { app, url: `${origin}/?token=${token}` };
}

const SESSION_COOKIE = 'studio_session';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
