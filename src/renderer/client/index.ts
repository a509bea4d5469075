import type { StudioBridge } from '../../shared/contract';
import { electronClient } from './electron-client';
import { httpClient } from './http-client';
import type { StudioClient } from './studio-client';

declare global {
  interface Window {
    /** Present only inside the Electron app (see src/preload). */
    studio?: StudioBridge;
  }
}

/** The client for wherever the UI is running. */
export const client: StudioClient = window.studio ? electronClient(window.studio) : httpClient();
export { ClientError, type StudioClient } from './studio-client';
