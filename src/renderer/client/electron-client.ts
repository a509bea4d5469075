import { APP_ORIGIN, APP_SCHEME, mediaPaths, type StudioBridge } from '../../shared/contract';
import { ClientError, type StudioClient } from './studio-client';

/** Over the preload's window.studio; media from the app's own studio:// origin. */
export function electronClient(bridge: StudioBridge): StudioClient {
  // Relative in the app; absolute when the renderer comes from electron-vite's dev server.
  const base = window.location.protocol === `${APP_SCHEME}:` ? '' : APP_ORIGIN;
  return {
    transport: 'electron',
    async request(name, input) {
      const result = await bridge.request(name, input);
      if (!result.ok) throw new ClientError(result.error);
      return result.value;
    },
    on: (name, listener) => bridge.on(name, listener),
    async importFiles(episodeId, files, relinkAssetId) {
      const paths = files.map((file) => bridge.pathForFile(file));
      const result = await bridge.request('media.importPaths', {
        episodeId,
        paths,
        ...(relinkAssetId ? { relinkAssetId } : {}),
      });
      if (!result.ok) throw new ClientError(result.error);
      return result.value.jobIds;
    },
    audioUrl: (assetId) => base + mediaPaths.audio(assetId),
    peaksUrl: (assetId, minPairs) => base + mediaPaths.peaks(assetId, minPairs),
  };
}
