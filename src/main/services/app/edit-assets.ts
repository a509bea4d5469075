import { existsSync } from 'node:fs';
import type { EditAsset } from '../../../shared/domain';
import type { Edit } from '../../../shared/edit';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import { playbackPath } from '../media/asset-files';

/** The assets an edit's clips play, each with whether its file is still on disk. */
export function describeEditAssets(db: Db, dataDir: string, edit: Edit): EditAsset[] {
  const ids = new Set(edit.tracks.flatMap((track) => track.clips.map((clip) => clip.assetId)));
  return [...ids].map((id) => {
    const row = getAssetRow(db, id);
    return {
      id,
      name: row.original_name,
      channels: row.channels,
      sampleRate: row.sample_rate,
      durationSamples: row.duration_samples,
      offline: !existsSync(playbackPath(dataDir, row)),
    };
  });
}
