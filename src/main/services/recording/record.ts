import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StudioError, toErrorValue } from '../../../shared/errors';
import { defaultTrackName, type TakeManifest, type TakeTrack } from '../../../shared/recording';
import { MODEL_RATE } from '../../../shared/time';
import { runFfmpeg } from '../ffmpeg/run';
import { fileSystemError, makeDirectory } from '../files/atomic';
import {
  type CheckedSource,
  captureArgs,
  checkSource,
  parseSourceSpec,
  splitSourceName,
} from './source-spec';
import { readManifest, TAKE_MANIFEST, writeManifest } from './take';
import { removeTakeFiles } from './take-cleanup';
import { WavTrackWriter } from './wav-file';

/** One track's meter reading over the last ~50 ms, linear (1.0 = full scale). */
export interface TrackLevel {
  track: number;
  peak: number;
  rms: number;
}

export interface RecordOptions {
  /**
   * Source specs as typed (`lavfi:…`, `file:…`, `pulse:…`), each optionally named (`host=pulse:…`;
   * unnamed tracks are `track-<n>`); one track each, in this order.
   */
  sources: string[];
  /** The take folder: created if missing; must not hold a take already. */
  out: string;
  /** Stop after this many seconds of audio on every track; without it, record until `signal`. */
  durationSec?: number;
  /** Stops the take (the CLI's Ctrl-C): captures end, headers are finalized, status 'stopped'. */
  signal?: AbortSignal;
  /** Environment for ffmpeg and pactl (PULSE_SERVER); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Resolves relative `file:` paths; default process.cwd(). */
  cwd?: string;
  /** Per-track peak and RMS about 20 times a second while recording. */
  onLevels?: (levels: TrackLevel[]) => void;
  /** Called once take.json says 'recording', just before the captures start. */
  onStarted?: (manifest: TakeManifest) => void;
  /** Header rewrite + fsync interval; default 500 ms (the promise is "at least once a second"). */
  syncEveryMs?: number;
}

export interface TakeResult extends TakeManifest {
  /** The take folder, absolute. */
  dir: string;
  /** Per track, in order: seconds of audio in the file. */
  durations: number[];
}

const LEVELS_EVERY_MS = 50;

class Meter {
  peak = 0;
  sumSquares = 0;
  count = 0;
  private carry = Buffer.alloc(0);

  add(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 4);
    for (let i = 0; i < whole; i += 4) {
      const sample = bytes.readFloatLE(i);
      const magnitude = Math.abs(sample);
      if (magnitude > this.peak) this.peak = magnitude;
      this.sumSquares += sample * sample;
    }
    this.count += whole / 4;
    this.carry = Buffer.from(bytes.subarray(whole));
  }

  take(track: number): TrackLevel {
    const level = {
      track,
      peak: this.peak,
      rms: this.count > 0 ? Math.sqrt(this.sumSquares / this.count) : 0,
    };
    this.peak = 0;
    this.sumSquares = 0;
    this.count = 0;
    return level;
  }
}

/**
 * Records a take: every source is checked first (nothing is created when one is wrong), then one
 * ffmpeg per source is started in the same tick, each writing raw 48 kHz float to a pipe that Node
 * writes into `<out>/track-<n>.wav`, syncing header and data at least once a second. take.json
 * says 'recording' before the first sample and 'stopped' once every file is final.
 *
 * With `durationSec` each track is cut at exactly `durationSec × 48000` frames of its own clock.
 * A track whose capture fails (device lost, disk full) keeps what it wrote and reports the error;
 * the others go on. If every track fails before writing anything, the take is removed and the
 * first error is thrown.
 */
export async function recordTake(options: RecordOptions): Promise<TakeResult> {
  const sampleRate = MODEL_RATE;
  if (options.sources.length === 0)
    throw new StudioError('invalid_input', 'A take needs at least one --source.');
  if (
    options.durationSec !== undefined &&
    !(Number.isFinite(options.durationSec) && options.durationSec > 0)
  )
    throw new StudioError('invalid_input', `Duration must be a positive number of seconds.`);
  const named = options.sources.map(splitSourceName);
  const names = named.map(({ name }, i) => name ?? defaultTrackName(i));
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined)
    throw new StudioError(
      'invalid_input',
      `Two sources are named "${repeated}": give each track its own name.`,
      { name: repeated },
    );
  const specs = named.map(({ spec }) => parseSourceSpec(spec, options.cwd));
  const sources: CheckedSource[] = await Promise.all(
    specs.map((spec) => checkSource(spec, { env: options.env })),
  );

  const dir = options.out;
  const existing = await readManifest(dir).catch((error: unknown) => {
    if (error instanceof StudioError && error.code === 'not_found') return null;
    throw error;
  });
  if (existing)
    throw new StudioError(
      'conflict',
      `${dir} already holds a take (${TAKE_MANIFEST}); choose another folder.`,
      { path: dir },
    );
  const createdDir = (await stat(dir).catch(() => null)) === null;
  await makeDirectory(dir).catch((error: unknown) => {
    throw fileSystemError(error, 'Creating the take folder', dir);
  });

  const files = sources.map((_, i) => `track-${i + 1}.wav`);
  const writers: WavTrackWriter[] = [];
  try {
    for (const [i, source] of sources.entries()) {
      writers.push(
        await WavTrackWriter.create(
          join(dir, files[i]!),
          source.channels,
          sampleRate,
          options.syncEveryMs,
        ),
      );
    }
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.close()));
    await removeTakeFiles(dir, files, createdDir);
    throw fileSystemError(error, 'Creating the take’s track files', dir);
  }

  const manifest: TakeManifest = {
    version: 1,
    status: 'recording',
    sampleRate,
    startedAt: new Date().toISOString(),
    stoppedAt: null,
    pid: process.pid,
    hostname: hostname(),
    tracks: sources.map(
      (source, i): TakeTrack => ({
        file: files[i]!,
        name: names[i]!,
        source: source.text,
        channels: source.channels,
        frames: null,
        error: null,
      }),
    ),
  };
  try {
    await writeManifest(dir, manifest);
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.close()));
    await removeTakeFiles(dir, files, createdDir);
    throw error;
  }

  options.onStarted?.(manifest);
  const stops = sources.map(() => new AbortController());
  const stopAll = () => {
    for (const stop of stops) stop.abort();
  };
  options.signal?.addEventListener('abort', stopAll, { once: true });
  if (options.signal?.aborted) stopAll();
  const targetFrames =
    options.durationSec === undefined ? null : Math.round(options.durationSec * sampleRate);
  // A device that stops delivering must not hold the take open forever.
  const watchdog =
    options.durationSec === undefined
      ? null
      : setTimeout(stopAll, options.durationSec * 1000 + 5000);

  const meters = sources.map(() => new Meter());
  const levelsTimer = options.onLevels
    ? setInterval(() => options.onLevels?.(meters.map((m, i) => m.take(i))), LEVELS_EVERY_MS)
    : null;

  const capture = async (i: number): Promise<string | null> => {
    const writer = writers[i]!;
    const stop = stops[i]!;
    let full = false;
    const consumeStdout = async (stdout: Readable) => {
      for await (const data of stdout as AsyncIterable<Buffer>) {
        if (full) continue;
        let chunk = data;
        if (targetFrames !== null) {
          const room = targetFrames * writer.frameBytes - writer.frames * writer.frameBytes;
          if (chunk.length >= room) {
            chunk = chunk.subarray(0, room);
            full = true;
            stop.abort();
          }
        }
        if (chunk.length === 0) continue;
        meters[i]!.add(chunk);
        await writer.append(chunk).catch((error: unknown) => {
          throw fileSystemError(error, `Recording ${files[i]}`, join(dir, files[i]!));
        });
      }
    };
    try {
      await runFfmpeg({
        args: captureArgs(sources[i]!, sources[i]!.channels, sampleRate),
        what: `Recording ${sources[i]!.text}`,
        signal: stop.signal,
        env: options.env,
        consumeStdout,
      });
      return null;
    } catch (error) {
      if (error instanceof StudioError && error.code === 'cancelled') return null;
      // Ctrl-C in a terminal reaches the whole process group: ffmpeg ends on SIGINT/SIGTERM with
      // 255 and says nothing. That is the stop the user asked for, not a failed capture.
      if (
        error instanceof StudioError &&
        error.code === 'ffmpeg_failed' &&
        error.details?.exitCode === 255 &&
        (error.details.stderr as string[] | undefined)?.length === 0
      )
        return null;
      return toErrorValue(error).message;
    }
  };

  const errors = await Promise.all(sources.map((_, i) => capture(i)));
  options.signal?.removeEventListener('abort', stopAll);
  if (watchdog) clearTimeout(watchdog);
  if (levelsTimer) clearInterval(levelsTimer);

  const frames = await Promise.all(writers.map((writer) => writer.finish()));
  if (frames.every((n) => n === 0) && errors.every((e) => e !== null)) {
    await removeTakeFiles(dir, [...files, TAKE_MANIFEST], createdDir);
    throw new StudioError('ffmpeg_failed', errors[0]!, { errors });
  }
  const stopped: TakeManifest = {
    ...manifest,
    status: 'stopped',
    stoppedAt: new Date().toISOString(),
    tracks: manifest.tracks.map((track, i) => ({
      ...track,
      frames: frames[i]!,
      error: errors[i] ?? null,
    })),
  };
  await writeManifest(dir, stopped);
  return { ...stopped, dir, durations: frames.map((n) => n / sampleRate) };
}
