import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../shared/contract';
import type { ErrorValue } from '../../shared/errors';

/** The one interface the UI talks to; it never knows whether Electron IPC or HTTP is underneath. */
export interface StudioClient {
  readonly transport: 'electron' | 'http';
  /** Resolves with the output or rejects with a ClientError carrying the service's error value. */
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>>;
  /** Subscribes to a pushed event; returns the unsubscribe. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Imports dropped or picked files into an episode; returns the job ids. */
  /** Imports files as new tracks; with `relinkAssetId`, one file gives that missing asset its audio back. */
  importFiles(episodeId: string, files: File[], relinkAssetId?: string): Promise<string[]>;
  audioUrl(assetId: string): string;
  peaksUrl(assetId: string, minPairs: number): string;
}

export class ClientError extends Error {
  constructor(readonly value: ErrorValue) {
    super(value.message);
  }
}
