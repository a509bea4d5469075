/** How the recorder writes times and sizes. */

/** "0:01:05": the take clock, always with hours so it does not change width at the hour. */
export function formatClock(seconds: number): string {
  const whole = Math.floor(Number.isFinite(seconds) && seconds > 0 ? seconds : 0);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** "1:05.250": a marker's place, to the millisecond (minutes go past 59 rather than add hours). */
export function formatMarkerTime(seconds: number): string {
  const ms = Math.round(Math.max(0, Number.isFinite(seconds) ? seconds : 0) * 1000);
  const m = Math.floor(ms / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${m}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/** "212 GB", "740 MB": decimal units, as file managers show free space. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** "about 310 h", "about 42 min", "under a minute": how long recording can go on. */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  if (seconds < 2 * 3600) return `about ${Math.floor(seconds / 60)} min`;
  return `about ${Math.floor(seconds / 3600)} h`;
}
