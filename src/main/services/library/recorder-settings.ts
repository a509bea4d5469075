import { type AudioDevice, deviceKey, RecorderSettings } from '../../../shared/recording';
import { type Db, now } from './database';
import { getShow } from './shows';
import { inTransaction } from './transaction';

/** A show's recorder setup (shows.recorder_json), remembered between sessions. */

/** Seconds counted down before a take until the user changes it. */
export const DEFAULT_COUNT_IN_SEC = 3;

/**
 * The setup of a show that has none saved: one track, "Host", on the default input (the device
 * the OS marks default, else the first input), or no track at all when there is no input.
 */
export function defaultRecorderSettings(devices: readonly AudioDevice[]): RecorderSettings {
  const inputs = devices.filter((device) => device.kind === 'input');
  const device = inputs.find((d) => d.isDefault) ?? inputs[0];
  return {
    tracks: device ? [{ name: 'Host', source: deviceKey(device) }] : [],
    countInSec: DEFAULT_COUNT_IN_SEC,
  };
}

/** The show's saved setup; null until first saved (or when what is stored cannot be read). */
export function getShowRecorderSettings(db: Db, showId: string): RecorderSettings | null {
  getShow(db, showId);
  const json = db.prepare('SELECT recorder_json FROM shows WHERE id = ?').pluck().get(showId) as
    | string
    | null;
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  const parsed = RecorderSettings.safeParse(value);
  if (parsed.success) return parsed.data;
  // A setup this build cannot read must not keep the recorder from opening: start from the default.
  console.warn(`Show ${showId}: unreadable recorder settings, using the defaults.`);
  return null;
}

export function saveShowRecorderSettings(
  db: Db,
  showId: string,
  settings: RecorderSettings,
): RecorderSettings {
  getShow(db, showId);
  const value = RecorderSettings.parse(settings);
  inTransaction(db, 'Saving the recorder settings', () => {
    db.prepare('UPDATE shows SET recorder_json = ?, updated_at = ? WHERE id = ?').run(
      JSON.stringify(value),
      now(),
      showId,
    );
  });
  return value;
}
