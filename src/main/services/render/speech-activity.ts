import {
  type Interval,
  SPEECH_LEVEL_SPP,
  speechActivity,
  speechAssetIds,
} from '../../../shared/edit/ducking';
import type { Edit } from '../../../shared/edit/model';
import { readPeaksTile } from '../media/peaks-file';

/** More pairs than any level holds: readPeaksTile then returns the whole level. */
const ALL_PAIRS = 2 ** 31;

/**
 * Where each speech asset of `edit` has speech, for renderEdit's `activity`: read from the level
 * at SPEECH_LEVEL_SPP of each asset's stored peaks file. Empty (and nothing read) unless a music
 * track ducks. An asset without a peaks file (`peaksPath` gives null) or whose file cannot be read
 * is left out, so it ducks nothing; `onMissing` hears about it.
 */
export async function readSpeechActivity(
  edit: Edit,
  peaksPath: (assetId: string) => string | null | undefined,
  onMissing?: (assetId: string, error?: unknown) => void,
): Promise<Map<string, Interval[]>> {
  const activity = new Map<string, Interval[]>();
  await Promise.all(
    speechAssetIds(edit).map(async (assetId) => {
      let path: string | null | undefined;
      try {
        path = peaksPath(assetId);
      } catch (error) {
        onMissing?.(assetId, error);
        return;
      }
      if (!path) {
        onMissing?.(assetId);
        return;
      }
      try {
        const level = await readPeaksTile(path, SPEECH_LEVEL_SPP, 0, ALL_PAIRS);
        activity.set(assetId, speechActivity(level));
      } catch (error) {
        onMissing?.(assetId, error);
      }
    }),
  );
  return activity;
}
