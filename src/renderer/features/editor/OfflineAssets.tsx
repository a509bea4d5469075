import { useEffect, useRef } from 'react';
import { client } from '../../client';
import { useEditor } from '../../state/editor';
import { useStudio } from '../../state/store';
import { retryAsset } from './peak-tiles';

const ACCEPT =
  'audio/*,video/*,.wav,.aif,.aiff,.flac,.mp3,.m4a,.aac,.ogg,.opus,.webm,.mp4,.mov,.mkv';

/**
 * Recordings whose files went missing (moved or deleted outside the app): their clips are drawn
 * hatched and stay silent, everything else works, and each can be relinked to the same recording.
 */
export function OfflineAssets() {
  const episodeId = useEditor((s) => s.episodeId);
  const assets = useEditor((s) => s.assets);
  const picker = useRef<HTMLInputElement>(null);
  const relinking = useRef<string | null>(null);
  const offline = Object.values(assets).filter((asset) => asset.offline);

  // Waveform tiles that failed while an asset was offline are fetched again once it is back.
  useEffect(() => {
    for (const asset of Object.values(assets)) if (!asset.offline) retryAsset(asset.id);
  }, [assets]);

  if (!episodeId || offline.length === 0) return null;
  return (
    <div className="offline-assets" role="alert">
      <p>
        {offline.length === 1 ? 'A recording is' : `${offline.length} recordings are`} missing from
        the library folder, so {offline.length === 1 ? 'its' : 'their'} clips are silent. Point to
        the same file to bring {offline.length === 1 ? 'it' : 'them'} back.
      </p>
      <ul>
        {offline.map((asset) => (
          <li key={asset.id}>
            <strong>{asset.name}</strong>{' '}
            <button
              type="button"
              onClick={() => {
                relinking.current = asset.id;
                picker.current?.click();
              }}
            >
              Relink…
            </button>
          </li>
        ))}
      </ul>
      <input
        ref={picker}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="relink-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          const assetId = relinking.current;
          e.target.value = '';
          if (!file || !assetId) return;
          client
            .importFiles(episodeId, [file], assetId)
            .then(() => useStudio.getState().setPanel('jobs'))
            .catch((error: unknown) =>
              useStudio.getState().notify({ kind: 'error', message: (error as Error).message }),
            );
        }}
      />
    </div>
  );
}
