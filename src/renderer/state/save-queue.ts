export interface SaveQueue<T> {
  /** Keeps only the latest value and saves it after a quiet moment. */
  schedule(value: T): void;
  /** Saves what is waiting now; resolves to whether the save still on its way (if any) succeeded. */
  flush(): Promise<boolean>;
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The latest save (each waits for the one before); true again once it has settled, so a
  // failure, already reported, does not hold back later flushes.
  let latest: Promise<boolean> = Promise.resolve(true);
  const flush = (): Promise<boolean> => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting) {
      const { value } = waiting;
      waiting = null;
      const run = latest.then(() =>
        save(value).then(
          () => true,
          (error: unknown) => {
            onError(error, value);
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
      waiting = { value };
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), delayMs);
    },
    flush,
  };
}
