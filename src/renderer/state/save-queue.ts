export interface SaveQueue<T> {
  /** Keeps only the latest value and saves it after a quiet moment. */
  schedule(value: T): void;
  /**
   * Saves what is waiting now; resolves to whether the latest value is saved. A value whose save
   * failed waits again (unless a newer one replaced it), so the next flush tries it once more
   * instead of reporting success over it.
   */
  flush(): Promise<boolean>;
  /**
   * Forgets the value waiting (a failed one included): for when the user has moved on (another
   * episode or show) or the screen went back to what is stored.
   */
  discard(): void;
}

/**
 * Saves settings as they change without a request per slider step: the latest value is saved
 * after `delayMs` of quiet, one save at a time and in order, so an older value never lands last.
 */
export function createSaveQueue<T>(
  save: (value: T) => Promise<void>,
  delayMs: number,
  onError: (error: unknown, value: T) => void,
): SaveQueue<T> {
  let waiting: { value: T } | null = null;
  // The last value scheduled: only it is worth retrying, an older one would land over it.
  let newest: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The latest save (each waits for the one before); true again once it has settled, since a
  // failed value is back in `waiting` for the next flush to retry.
  let latest: Promise<boolean> = Promise.resolve(true);
  const flush = (): Promise<boolean> => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting) {
      const entry = waiting;
      const { value } = entry;
      waiting = null;
      const run = latest.then(() =>
        save(value).then(
          () => true,
          (error: unknown) => {
            onError(error, value);
            if (newest === entry) waiting = entry;
            return false;
          },
        ),
      );
      latest = run;
      void run.then(() => {
        if (latest === run) latest = Promise.resolve(true);
      });
    }
    return latest;
  };
  return {
    schedule(value) {
      waiting = newest = { value };
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), delayMs);
    },
    flush,
    discard() {
      clearTimeout(timer);
      timer = undefined;
      waiting = newest = null;
    },
  };
}
