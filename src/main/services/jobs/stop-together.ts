/**
 * For work split into parts that run at once: one signal that aborts when the caller cancels
 * (`outer`) or when any part fails and calls `stop()`, so the other parts stop too.
 */
export function stopTogether(outer?: AbortSignal): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  return {
    signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
    stop: () => controller.abort(),
  };
}
