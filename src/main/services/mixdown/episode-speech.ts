import { join } from 'node:path';
import type { Interval } from '../../../shared/edit/ducking';
import type { Edit } from '../../../shared/edit/model';
import { StudioError } from '../../../shared/errors';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import { rebuildPeaks } from '../media/rebuild-peaks';
import { readSpeechActivity } from '../render/speech-activity';

/**
 * Where the speech is in an edit whose music ducks, for renderEdit's `activity`, from the speech
 * assets' stored waveforms. A waveform that is gone or unreadable is drawn again from the asset's
 * audio first (`onRedraw` names it, for progress), so the music ducks under every voice instead of
 * quietly not ducking under one.
 */
export async function episodeSpeechActivity(
  context: { db: Db; dataDir: string },
  edit: Edit,
  { signal, onRedraw }: { signal?: AbortSignal; onRedraw?: (name: string) => void } = {},
): Promise<Map<string, Interval[]>> {
  const { db, dataDir } = context;
  const peaksPath = (assetId: string) => {
    const peaks = getAssetRow(db, assetId).peaks_path;
    return peaks ? join(dataDir, peaks) : null;
  };
  const unreadable: string[] = [];
  const activity = await readSpeechActivity(edit, peaksPath, (assetId) => unreadable.push(assetId));
  if (unreadable.length === 0) return activity;
  for (const assetId of unreadable) {
    onRedraw?.(getAssetRow(db, assetId).original_name);
    await rebuildPeaks(context, assetId, signal);
  }
  const still: string[] = [];
  const repaired = await readSpeechActivity(edit, peaksPath, (assetId) => still.push(assetId));
  if (still.length > 0) {
    const names = still.map((id) => getAssetRow(db, id).original_name).join(', ');
    throw new StudioError(
      'internal',
      `The waveform of ${names} was drawn again but still cannot be read, so the music cannot duck under it.`,
      { assetIds: still },
    );
  }
  return repaired;
}
