import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHost } from '../../src/host/server';
import { tempDir } from '../helpers/audio';
import { testServices } from '../helpers/services';

async function host() {
  const services = await testServices();
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const { app, url } = await startHost({ services, rendererDir, port: 0 });
  return { app, url, base: new URL(url).origin, token: new URL(url).searchParams.get('token') };
}

describe('browser host access', () => {
  it('answers only with this launch’s token, then by cookie', async () => {
    const { app, url, base, token } = await host();
    expect(token).toMatch(/^[\w-]{20,}$/);

    const anonymous = await fetch(`${base}/api/request/shows.list`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.message).toMatch(/link the browser host printed/);
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);

    // The printed link sets the cookie and drops the token from the address.
    const opened = await fetch(url, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe('/');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] as string;

    const page = await fetch(`${base}/`, { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const shows = await fetch(`${base}/api/request/shows.list`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await shows.json()).toEqual({ ok: true, value: [] });
    await app.close();
  });

  it('refuses other sites and other host names even with the cookie', async () => {
    const { app, base, token } = await host();
    const session = `studio_session=${token}`;
    const crossSite = await fetch(`${base}/api/request/shows.create`, {
      method: 'POST',
      headers: {
        cookie: session,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'x' }),
    });
    expect(crossSite.status).toBe(403);
    // fetch will not forge a Host header; a DNS-rebinding page's requests carry its own name.
    const rebound = await new Promise<{ status: number }>((resolve, reject) => {
      const request = httpRequest(
        `${base}/api/request/shows.list`,
        { method: 'POST', headers: { cookie: session, host: 'evil.example:80' } },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0 });
        },
      );
      request.on('error', reject);
      request.end('{}');
    });
    expect(rebound.status).toBe(403);
    await app.close();
  });

  it('answers the recorder’s status over HTTP', async () => {
    const { app, base, token } = await host();
    const response = await fetch(`${base}/api/request/recorder.status`, {
      method: 'POST',
      headers: { cookie: `studio_session=${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
    expect(body).toMatchObject({
      ok: true,
      value: { state: 'idle', episodeId: null, tracks: [], elapsedSec: 0, markers: [] },
    });
    expect(body.value.diskFreeBytes).toBeGreaterThan(0);
    await app.close();
  });

  it('stops promptly with an event stream open', async () => {
    const { app, base, token } = await host();
    const events = await fetch(`${base}/api/events`, {
      headers: { cookie: `studio_session=${token}` },
    });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
