import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../main/services/app/data-dir';
import { createServices } from '../main/services/app/services';
import { startHost } from './server';

/** `npm run web`: the browser host on 127.0.0.1 with its own data directory. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.STUDIO_PORT ?? '5178' },
    'data-dir': { type: 'string' },
    renderer: { type: 'string', default: 'out/renderer' },
  },
});

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const dataDir = resolve(values['data-dir'] ?? defaultDataDir('browser-host'));
const services = await createServices({ dataDir, transport: 'http', version });
const { app, url } = await startHost({
  services,
  rendererDir: resolve(values.renderer),
  port: Number(values.port),
});
// Tests and scripts read this line to find the port.
process.stdout.write(`Podcast Studio browser host: ${url}\nData directory: ${dataDir}\n`);

let stopping = false;
async function stop() {
  // A second Ctrl-C means now.
  if (stopping) process.exit(130);
  stopping = true;
  // Running jobs get a few seconds to stop cleanly (they are marked interrupted either way).
  setTimeout(() => process.exit(1), 5000).unref();
  await app.close();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
