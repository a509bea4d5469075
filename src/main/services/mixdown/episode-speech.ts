import { join } from 'node:path';
import type { Interval } from '../../../shared/edit/ducking';
import type { Edit } from '../../../shared/edit/model';
import { StudioError } from '../../../shared/errors';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import { isUnreadablePeaks } from '../media/peaks-file';
import type { PeaksRedraw } from '../media/rebuild-peaks';
import { readSpeechActivity } from '../render/speech-activity';

/**
 * Where the speech is in an edit whose music ducks, for renderEdit's `activity`, from the speech
 * assets' stored waveforms. A waveform file that is gone or damaged is drawn again from the
 * asset's audio first (`onRedraw` names it, for progress), so the music ducks under every voice
 * instead of quietly not ducking under one. Any other failure to read one is the answer.
 */
export async function episodeSpeechActivity(
  context: { db: Db; dataDir: string; peaks: PeaksRedraw },
  edit: Edit,
  { signal, onRedraw }: { signal?: AbortSignal; onRedraw?: (name: string) => void } = {},
): Promise<Map<string, Interval[]>> {
  const { db, dataDir } = context;
  const peaksPath = (assetId: string) => {
    const peaks = getAssetRow(db, assetId).peaks_path;
    return peaks ? join(dataDir, peaks) : null;
  };
  const read = async () => {
    const unreadable: string[] = [];
    const failures: unknown[] = [];
    const activity = await readSpeechActivity(edit, peaksPath, (assetId, error) => {
      if (error === undefined || isUnreadablePeaks(error)) unreadable.push(assetId);
      else failures.push(error);
    });
    if (failures.length > 0) throw failures[0];
    return { activity, unreadable };
  };

  const first = await read();
  if (first.unreadable.length === 0) return first.activity;
  for (const assetId of first.unreadable) {
    onRedraw?.(getAssetRow(db, assetId).original_name);
    // Shared with the timeline's requests, so not cancelled here: checked once it is done.
    await context.peaks.redraw(assetId);
    if (signal?.aborted) throw new StudioError('cancelled', 'Cancelled');
  }
  const again = await read();
  if (again.unreadable.length > 0) {
    const names = again.unreadable.map((id) => getAssetRow(db, id).original_name).join(', ');
    throw new StudioError(
      'media_unreadable',
      `The waveform of ${names} was drawn again but still cannot be read, so the music cannot duck under it.`,
      { assetIds: again.unreadable },
    );
  }
  return again.activity;
}
