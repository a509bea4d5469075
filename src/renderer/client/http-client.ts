import { type EventName, eventNames, HTTP_API_PREFIX, mediaPaths } from '../../shared/contract';
import { type ErrorValue, isErrorValue } from '../../shared/errors';
import { ClientError, type StudioClient } from './studio-client';

/** Over the browser host: POST per request, one EventSource for all events. */
export function httpClient(): StudioClient {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  function connect() {
    if (source) return;
    source = new EventSource(`${HTTP_API_PREFIX}/events`);
    for (const name of eventNames) {
      source.addEventListener(name, (event) => {
        const payload = JSON.parse((event as MessageEvent<string>).data) as unknown;
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  }

  async function readResult<T>(response: Response): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ClientError({
        code: 'internal',
        message: `The studio answered ${response.status} without data.`,
      });
    }
    const result = body as { ok: boolean; value?: T; error?: ErrorValue };
    if (result.ok) return result.value as T;
    throw new ClientError(
      isErrorValue(result.error)
        ? result.error
        : { code: 'internal', message: `Request failed (${response.status})` },
    );
  }

  return {
    transport: 'http',
    async request(name, input) {
      const response = await fetch(`${HTTP_API_PREFIX}/request/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      }).catch(() => {
        throw new ClientError({
          code: 'internal',
          message: 'The studio is not reachable. Is the browser host running?',
        });
      });
      return readResult(response);
    },
    on(name, listener) {
      connect();
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    async importFiles(episodeId, files, relinkAssetId) {
      const jobIds: string[] = [];
      for (const file of files) {
        const query = new URLSearchParams({ episodeId, name: file.name });
        if (relinkAssetId) query.set('relinkAssetId', relinkAssetId);
        const response = await fetch(`${HTTP_API_PREFIX}/upload?${query}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream' },
          body: file,
        });
        const value = await readResult<{ jobIds: string[] }>(response);
        jobIds.push(...value.jobIds);
      }
      return jobIds;
    },
    audioUrl: (assetId) => mediaPaths.audio(assetId),
    peaksUrl: (assetId, minPairs) => mediaPaths.peaks(assetId, minPairs),
  };
}
