import { StudioError } from '../../../shared/errors';
import type { TakeManifest } from '../../../shared/recording';
import { MODEL_RATE } from '../../../shared/time';
import { Recorder, type TakeResult, type TrackLevel } from './recorder';
import { splitSourceName } from './source-spec';

export type { TakeResult, TrackLevel } from './recorder';

export interface RecordOptions {
  /**
   * Source specs as typed (`lavfi:…`, `file:…`, `pulse:…`), each optionally named (`host=pulse:…`;
   * unnamed tracks are `track-<n>`); one track each, in this order.
   */
  sources: string[];
  /** The take folder: created if missing; must not hold a take already. */
  out: string;
  /** Stop after exactly this many seconds of audio on every track; else record until `signal`. */
  durationSec?: number;
  /** Stops the take (the CLI's Ctrl-C): captures end, files are finalized, status 'stopped'. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onLevels?: (levels: TrackLevel[]) => void;
  /** Called once take.json says 'recording', as the take's clock starts. */
  onStarted?: (manifest: TakeManifest) => void;
  syncEveryMs?: number;
}

/**
 * Records one take without a UI (the CLI): arms every source, starts the take as soon as all of
 * them deliver audio, and stops after `durationSec` (each track then holds exactly
 * `durationSec × 48000` frames) or when `signal` aborts. A track whose capture fails mid-take keeps
 * what it wrote and reports the error in take.json; the others go on.
 */
export async function recordTake(options: RecordOptions): Promise<TakeResult> {
  if (
    options.durationSec !== undefined &&
    !(Number.isFinite(options.durationSec) && options.durationSec > 0)
  )
    throw new StudioError('invalid_input', 'Duration must be a positive number of seconds.');
  if (options.sources.length === 0)
    throw new StudioError('invalid_input', 'A take needs at least one --source.');
  const sources = options.sources.map((text, i) => {
    const { name, spec } = splitSourceName(text);
    return { name: name ?? `track-${i + 1}`, spec };
  });
  let ended: () => void = () => {};
  const takeEnded = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const recorder = await Recorder.arm({
    sources,
    env: options.env,
    cwd: options.cwd,
    onLevels: options.onLevels,
    onTakeEnded: () => ended(),
    syncEveryMs: options.syncEveryMs,
  });
  try {
    if (options.signal?.aborted) throw new StudioError('cancelled', 'Recording was cancelled.');
    const frames =
      options.durationSec === undefined ? undefined : Math.round(options.durationSec * MODEL_RATE);
    const manifest = await recorder.start(options.out, { frames });
    options.onStarted?.(manifest);
    const stopped = new Promise<void>((resolve) => {
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
      if (options.signal?.aborted) resolve();
    });
    await Promise.race([
      stopped,
      takeEnded,
      ...(frames === undefined ? [] : [recorder.whenComplete()]),
    ]);
    return await recorder.stop();
  } finally {
    await recorder.close();
  }
}
