import { join } from 'node:path';
import { afterAll } from 'vitest';
import { call } from '../../src/main/services/app/dispatch';
import { createServices, type Services } from '../../src/main/services/app/services';
import type { RequestName, RequestOutput } from '../../src/shared/contract';
import { tempDir } from './audio';

/** Real services (real SQLite, real ffmpeg) on a fresh data dir, closed after the file. */
export async function testServices(dataDir = join(tempDir(), 'data')): Promise<Services> {
  const services = await createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
  afterAll(() => services.close());
  return services;
}

/** A request through the same validation gate the UI uses; throws the StudioError on failure. */
export function request<K extends RequestName>(
  services: Services,
  name: K,
  input: unknown = {},
): Promise<RequestOutput<K>> {
  return call(services.dispatch, name, input);
}
