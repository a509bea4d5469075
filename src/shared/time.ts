/** The model counts time in integer samples at this rate; seconds appear only at the edges. */
export const MODEL_RATE = 48_000;

export function secondsToSamples(seconds: number): number {
  return Math.round(seconds * MODEL_RATE);
}

export function samplesToSeconds(samples: number): number {
  return samples / MODEL_RATE;
}

/** "1:02:03" or "2:03" for a duration in seconds; tenths when asked. */
export function formatDuration(seconds: number, withTenths = false): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const whole = Math.floor(safe);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const tenths = withTenths ? `.${Math.floor((safe - whole) * 10)}` : '';
  const ss = `${s.toString().padStart(2, '0')}${tenths}`;
  return h > 0 ? `${h}:${m.toString().padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
