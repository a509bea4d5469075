/** How the recorder's meters and live waveforms map linear levels onto the screen. */

/** The bottom of the meters: quieter than this reads as silence. */
export const METER_FLOOR_DB = -60;

/** A peak at or above this is a clip: fixed-point sources stop just below 1.0, float ones go past it. */
export const CLIP_LEVEL = 0.999;

/** The scale's tick marks, in dBFS. */
export const METER_TICKS = [-60, -48, -36, -24, -18, -12, -6, 0] as const;

/** Linear amplitude (1.0 = full scale) to dBFS; silence is -Infinity. */
export function linearToDbfs(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : Number.NEGATIVE_INFINITY;
}

/** Where a dBFS value sits on the meter, 0 at the floor to 1 at full scale. */
export function dbToFraction(db: number): number {
  if (!(db > METER_FLOOR_DB)) return 0;
  return Math.min(1, (db - METER_FLOOR_DB) / -METER_FLOOR_DB);
}

/** Where a linear level sits on the meter (dB scale, so speech at -30 dBFS is still visible). */
export function levelToFraction(linear: number): number {
  return dbToFraction(linearToDbfs(linear));
}

/** "-12.3 dBFS", or "−∞" below the floor, for labels and screen readers. */
export function formatDbfs(linear: number): string {
  const db = linearToDbfs(linear);
  if (db <= METER_FLOOR_DB) return '−∞ dBFS';
  return `${db.toFixed(1)} dBFS`;
}
