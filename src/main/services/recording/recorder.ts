import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import {
  defaultTrackName,
  type TakeManifest,
  type TakeMarker,
  type TakeTrack,
} from '../../../shared/recording';
import { MODEL_RATE } from '../../../shared/time';
import { fileSystemError, makeDirectory } from '../files/atomic';
import type { TrackLevel } from './level-meter';
import { checkSource, parseSourceSpec } from './source-spec';
import {
  readManifest,
  releaseSpace,
  reserveSpace,
  SPACE_RESERVE,
  TAKE_MANIFEST,
  writeManifest,
} from './take';
import { removeTakeFiles } from './take-cleanup';
import { lockTake } from './take-lock';
import { TrackCapture } from './track-capture';
import { WavTrackWriter } from './wav-file';

export type { TrackLevel } from './level-meter';

/** One track to record: what it is called and where its audio comes from (a source spec). */
export interface RecorderSource {
  name: string;
  spec: string;
}

export interface ArmOptions {
  sources: RecorderSource[];
  /** Environment for ffmpeg and pactl (PULSE_SERVER); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Resolves relative `file:` paths; default process.cwd(). */
  cwd?: string;
  /** Per-track peak and RMS about 20 times a second, from arming until closed. */
  onLevels?: (levels: TrackLevel[]) => void;
  /** One capture ended on its own (device unplugged, file over); the others go on. */
  onTrackLost?: (track: number, message: string) => void;
  /** The take stopped being written on its own (disk full, every source lost); call stop(). */
  onTakeEnded?: (error: StudioError) => void;
  /** Header rewrite + fsync interval; default 500 ms (the promise is "at least once a second"). */
  syncEveryMs?: number;
  /** How long a source may take to deliver its first audio; default 15 s. */
  armTimeoutMs?: number;
  /** Seconds of audio that may wait for a disk that does not keep up before the take is given up (default 10). */
  maxPendingSec?: number;
  /** better-sqlite3's native build for this runtime, for the take's lock (Electron's ABI in the app). */
  nativeBinding?: string;
}

export interface TakeResult extends TakeManifest {
  /** The take folder, absolute. */
  dir: string;
  /** Per track, in order: seconds of audio in the file. */
  durations: number[];
}

export type RecorderState = 'armed' | 'recording' | 'paused' | 'closed';

/** 40 ms: setInterval runs a little late, and the meters must reach the UI at 20 Hz or more. */
const LEVELS_EVERY_MS = 40;
/** Idle tracks (paused, device lost) still get their header synced this often. */
const SYNC_EVERY_MS = 500;
/** take.json is rewritten with each track's current sync figures this often while recording. */
const MANIFEST_EVERY_MS = 30_000;
/** After stop, how long to wait for a device to hand over audio it captured before the stop. */
const STOP_GRACE_MS = 2000;

interface OpenTake {
  dir: string;
  manifest: TakeManifest;
  writers: WavTrackWriter[];
  startMs: number;
  pausedMs: number;
  pausedAt: number | null;
  markers: TakeMarker[];
  problem: StudioError | null;
  manifestWrites: Promise<void>;
  timers: NodeJS.Timeout[];
  /** Releases the take folder's lock (take-lock.ts) and removes its file. */
  unlock: () => Promise<void>;
}

/**
 * The recorder: arms every source at once (one ffmpeg each, metered from then on), then records
 * takes on one shared clock. A take's start, pauses and stop are moments on the computer's
 * monotonic clock; each track turns them into its own frame numbers (its capture clock says which
 * frame was captured when), so every file starts at the same instant and pauses cut every track at
 * the same instant. Each track's offset from that shared start and its device's drift are measured
 * over the whole take and stored in take.json.
 */
export class Recorder {
  private current: OpenTake | null = null;
  private closed = false;
  private readonly levelsTimer: NodeJS.Timeout | null;

  private constructor(
    private readonly captures: TrackCapture[],
    readonly tracks: readonly { name: string; source: string; channels: number }[],
    private readonly options: ArmOptions,
  ) {
    this.levelsTimer = options.onLevels
      ? setInterval(
          () => options.onLevels?.(captures.map((c, i) => c.meter.take(i))),
          LEVELS_EVERY_MS,
        )
      : null;
  }

  /**
   * Checks every source (a bad spec or missing device fails here, before anything runs), starts
   * one capture per source in the same tick, and resolves once every one delivers audio.
   */
  static async arm(options: ArmOptions): Promise<Recorder> {
    if (options.sources.length === 0)
      throw new StudioError('invalid_input', 'A take needs at least one source.');
    const names = options.sources.map((s, i) => s.name.trim() || defaultTrackName(i));
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined)
      throw new StudioError(
        'invalid_input',
        `Two tracks are named "${repeated}": give each track its own name.`,
        { name: repeated },
      );
    const specs = options.sources.map((s) => parseSourceSpec(s.spec, options.cwd));
    const checked = await Promise.all(specs.map((spec) => checkSource(spec, { env: options.env })));

    let recorder: Recorder | null = null;
    const captures: TrackCapture[] = checked.map(
      (source, i) =>
        new TrackCapture(source, {
          sampleRate: MODEL_RATE,
          env: options.env,
          maxPendingSec: options.maxPendingSec,
          onEnded: (error) => recorder?.trackEnded(i, error),
          onWriteFailed: (error) => recorder?.writeFailed(i, error),
        }),
    );
    for (const capture of captures) void capture.run();

    const timeoutMs = options.armTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.all(captures.map((c) => c.ready)).then(() => 'ready' as const),
      timedOut,
    ]);
    clearTimeout(timer);
    const failed = captures.findIndex((c) => c.endedWith !== undefined && c.captured === 0);
    if (outcome === 'timeout' || failed >= 0) {
      for (const capture of captures) capture.close();
      const i =
        failed >= 0
          ? failed
          : Math.max(
              0,
              captures.findIndex((c) => !c.isReady),
            );
      const why =
        failed >= 0
          ? (captures[i]!.endedWith ?? 'it ended at once')
          : `it gave no steady audio within ${Math.round(timeoutMs / 1000)} s`;
      throw new StudioError('audio_unavailable', `Cannot record "${names[i]}": ${why}`, {
        source: checked[i]!.text,
      });
    }
    // Test sources and files start playing together, at one instant.
    const now = performance.now();
    for (const capture of captures) capture.beginPacing(now);
    recorder = new Recorder(
      captures,
      checked.map((source, i) => ({
        name: names[i]!,
        source: source.text,
        channels: source.channels,
      })),
      options,
    );
    return recorder;
  }

  get state(): RecorderState {
    if (this.closed) return 'closed';
    if (!this.current) return 'armed';
    return this.current.pausedAt === null ? 'recording' : 'paused';
  }

  /** Per track: why its capture ended, or null while it runs. */
  trackErrors(): (string | null)[] {
    return this.captures.map((c) =>
      c.endedWith === undefined ? null : (c.endedWith ?? `${c.source.text} ended.`),
    );
  }

  /** The open take's folder, if any. */
  get takeDir(): string | null {
    return this.current?.dir ?? null;
  }

  /** Bytes per second all tracks write together. */
  bytesPerSecond(): number {
    return this.tracks.reduce((sum, t) => sum + t.channels * 4 * MODEL_RATE, 0);
  }

  /** Frames on the take's timeline so far (pauses left out); 0 without a take. */
  elapsedFrames(atMs = performance.now()): number {
    const take = this.current;
    if (!take) return 0;
    const until = take.pausedAt ?? atMs;
    return Math.max(0, Math.round(((until - take.startMs - take.pausedMs) * MODEL_RATE) / 1000));
  }

  /**
   * Starts a take in `out` (created if missing; refused if it holds a take): one WAV per track and
   * take.json saying 'recording'. The take starts at `atMs` (default: when this is called, not
   * once the files exist: audio from that instant is kept while they are made). With `frames`,
   * every track gets exactly that many frames (see whenComplete).
   */
  async start(
    out: string,
    extra: { episodeId?: string | null; frames?: number; atMs?: number } = {},
  ): Promise<TakeManifest> {
    const pressedMs = extra.atMs ?? performance.now();
    if (this.state !== 'armed')
      throw new StudioError(
        'conflict',
        this.closed ? 'The recorder is closed.' : 'A take is already being recorded.',
      );
    const lost = this.trackErrors().findIndex((e) => e !== null);
    if (lost >= 0)
      throw new StudioError(
        'audio_unavailable',
        `Track "${this.tracks[lost]!.name}" has no audio any more (${this.trackErrors()[lost]}). Disarm and arm again.`,
      );
    const existing = await readManifest(out).catch((error: unknown) => {
      if (error instanceof StudioError && error.code === 'not_found') return null;
      throw error;
    });
    if (existing)
      throw new StudioError(
        'conflict',
        `${out} already holds a take (${TAKE_MANIFEST}); choose another folder.`,
        { path: out },
      );
    const createdDir = (await stat(out).catch(() => null)) === null;
    await makeDirectory(out).catch((error: unknown) => {
      throw fileSystemError(error, 'Creating the take folder', out);
    });
    // Held from before take.json says 'recording' until it says 'stopped': while it is held, no
    // one recovers the take from under the recorder; once the process is gone, anyone may.
    let unlock: () => Promise<void>;
    try {
      unlock = lockTake(out, { nativeBinding: this.options.nativeBinding });
    } catch (error) {
      await removeTakeFiles(out, [], createdDir);
      throw error;
    }
    const files = this.tracks.map((_, i) => `track-${i + 1}.wav`);
    const writers: WavTrackWriter[] = [];
    const manifest: TakeManifest = {
      version: 1,
      status: 'recording',
      sampleRate: MODEL_RATE,
      startedAt: new Date().toISOString(),
      stoppedAt: null,
      pid: process.pid,
      hostname: hostname(),
      tracks: this.tracks.map(
        (track, i): TakeTrack => ({
          file: files[i]!,
          name: track.name,
          source: track.source,
          channels: track.channels,
          frames: null,
          error: null,
        }),
      ),
      markers: [],
      episodeId: extra.episodeId ?? null,
    };
    try {
      for (const [i, track] of this.tracks.entries())
        writers.push(
          await WavTrackWriter.create(
            join(out, files[i]!),
            track.channels,
            MODEL_RATE,
            this.options.syncEveryMs,
          ),
        );
      await reserveSpace(out);
      await writeManifest(out, manifest);
    } catch (error) {
      await Promise.all(writers.map((writer) => writer.close()));
      await unlock();
      await removeTakeFiles(out, [...files, TAKE_MANIFEST, SPACE_RESERVE], createdDir);
      throw fileSystemError(error, 'Creating the take’s files', out);
    }
    if (this.state !== 'armed') {
      // Closed while the files were being made.
      await Promise.all(writers.map((writer) => writer.close()));
      await unlock();
      await removeTakeFiles(out, [...files, TAKE_MANIFEST, SPACE_RESERVE], createdDir);
      throw new StudioError('cancelled', 'The recorder was closed before the take started.');
    }
    const startMs = pressedMs;
    // The take exists before the first frame is handed to a file: a write that fails at once (the
    // audio already delivered is written as the segment opens) must find it to end it.
    this.current = {
      dir: out,
      manifest,
      writers,
      startMs,
      pausedMs: 0,
      pausedAt: null,
      markers: [],
      problem: null,
      manifestWrites: Promise.resolve(),
      timers: [],
      unlock,
    };
    for (const [i, capture] of this.captures.entries()) {
      capture.attach(writers[i]!);
      const from = capture.frameAt(startMs);
      capture.openSegment(from, extra.frames === undefined ? null : from + extra.frames);
    }
    const take = this.current;
    take.timers.push(
      setInterval(() => {
        for (const [i, capture] of this.captures.entries()) capture.syncIfDue(take.writers[i]!);
      }, SYNC_EVERY_MS),
      // A take recovered after a crash is lined up with the figures saved here.
      setInterval(
        () => this.saveManifest(take, this.withSync(take, take.manifest)),
        MANIFEST_EVERY_MS,
      ),
    );
    return manifest;
  }

  /** Resolves once every track has all the frames `start(…, { frames })` asked for (or ended). */
  async whenComplete(): Promise<void> {
    await Promise.all(
      this.captures.map((capture) => {
        const to = capture.segmentEnd();
        return to === null ? Promise.resolve() : capture.waitFor(to, Number.POSITIVE_INFINITY);
      }),
    );
  }

  /** Pauses the take: every track stops being written at the same instant. */
  pause(atMs = performance.now()): void {
    const take = this.current;
    if (!take || take.pausedAt !== null) return;
    const now = atMs;
    take.pausedAt = now;
    for (const capture of this.captures) capture.closeSegment(capture.frameAt(now));
  }

  /** Resumes a paused take: every track is written again from the same instant. */
  resume(atMs = performance.now()): void {
    const take = this.current;
    if (!take || take.pausedAt === null || take.problem) return;
    const now = Math.max(atMs, take.pausedAt);
    take.pausedMs += now - take.pausedAt;
    take.pausedAt = null;
    for (const capture of this.captures)
      if (capture.endedWith === undefined) capture.openSegment(capture.frameAt(now));
  }

  /** A marker at the take's current time, saved in take.json at once (it survives a crash). */
  async addMarker(title: string, atMs = performance.now()): Promise<TakeMarker> {
    const take = this.current;
    if (!take) throw new StudioError('conflict', 'Markers can only be dropped during a take.');
    const marker: TakeMarker = { frame: this.elapsedFrames(atMs), title };
    take.markers.push(marker);
    await this.saveManifest(take, this.withSync(take, take.manifest));
    return marker;
  }

  /**
   * Rewrites take.json (status 'recording') in turn with the other writes of it. One failed write
   * does not doom the next: each waits for the one before, whatever became of it.
   */
  private saveManifest(take: OpenTake, manifest: TakeManifest): Promise<void> {
    const write = take.manifestWrites
      .catch(() => {})
      .then(() => writeManifest(take.dir, { ...manifest, markers: [...take.markers] }));
    take.manifestWrites = write.catch(() => {});
    return write;
  }

  /** The manifest with each track's sync figures as they stand. */
  private withSync(take: OpenTake, manifest: TakeManifest): TakeManifest {
    return {
      ...manifest,
      tracks: manifest.tracks.map((track, i) => ({ ...track, sync: this.syncOf(i, take.startMs) })),
    };
  }

  /**
   * Ends the take: every track is cut at the same instant, waits (briefly) for audio its device
   * captured before that instant, finishes the files and writes take.json 'stopped' with each
   * track's frames, sync figures and error. Then the captures are closed.
   */
  async stop(): Promise<TakeResult> {
    const take = this.current;
    if (!take) throw new StudioError('conflict', 'No take is being recorded.');
    try {
      return await this.finish(take);
    } finally {
      // Also when finishing failed: the take is then left 'recording', for recovery.
      await take.unlock();
    }
  }

  private async finish(take: OpenTake): Promise<TakeResult> {
    const now = performance.now();
    if (take.pausedAt === null) take.pausedAt = now;
    for (const timer of take.timers) clearInterval(timer);
    const ends = this.captures.map((capture) => capture.closeSegment(capture.frameAt(now)));
    await Promise.all(this.captures.map((c, i) => c.waitFor(ends[i]!, STOP_GRACE_MS)));
    for (const capture of this.captures) capture.detach();
    await Promise.all(this.captures.map((c) => c.flush()));
    const errors = this.trackErrors();
    this.closeCaptures();
    const frames = await Promise.all(take.writers.map((writer) => writer.finish()));
    await take.manifestWrites.catch(() => {});
    const stopped: TakeManifest = {
      ...take.manifest,
      status: 'stopped',
      stoppedAt: new Date().toISOString(),
      markers: take.markers,
      tracks: take.manifest.tracks.map((track, i) => ({
        ...track,
        frames: frames[i]!,
        error: take.problem?.message ?? errors[i] ?? null,
        sync: this.syncOf(i, take.startMs),
      })),
    };
    this.current = null;
    await releaseSpace(take.dir);
    await writeManifest(take.dir, stopped);
    return { ...stopped, dir: take.dir, durations: frames.map((n) => n / MODEL_RATE) };
  }

  /** Closes the captures; a take still open is stopped (and kept) first. */
  async close(): Promise<TakeResult | null> {
    const result = this.current ? await this.stop() : null;
    this.closeCaptures();
    return result;
  }

  private closeCaptures(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.levelsTimer) clearInterval(this.levelsTimer);
    for (const capture of this.captures) capture.close();
  }

  /**
   * Where track i's first written frame lies on the take's clock, in frames, by the clock fitted
   * over the whole take; and its device's drift.
   */
  private syncOf(i: number, takeStartMs: number): TakeTrack['sync'] {
    const capture = this.captures[i]!;
    const fit = capture.clockFit();
    const first = capture.firstFrame;
    if (first === null) return { offsetFrames: 0, driftPpm: fit.driftPpm };
    const rate = MODEL_RATE * (1 + (fit.driftPpm ?? 0) / 1e6);
    const firstMs = fit.startMs + (first * 1000) / rate;
    return {
      // `|| 0`: a paced track's offset rounds to -0 when it is a hair early.
      offsetFrames: Math.round(((firstMs - takeStartMs) * MODEL_RATE) / 1000) || 0,
      driftPpm: fit.driftPpm === null ? null : Math.round(fit.driftPpm * 10) / 10,
    };
  }

  private trackEnded(i: number, error: string | null): void {
    const message = error ?? `${this.tracks[i]!.source} ended.`;
    this.options.onTrackLost?.(i, message);
    const take = this.current;
    if (take && !take.problem && this.captures.every((c) => c.endedWith !== undefined)) {
      take.problem = new StudioError(
        'audio_unavailable',
        'Every source stopped delivering audio, so the take was stopped. Everything recorded up to then is kept.',
      );
      this.options.onTakeEnded?.(take.problem);
    }
  }

  private writeFailed(i: number, error: unknown): void {
    const take = this.current;
    if (!take || take.problem) return;
    const file = take.manifest.tracks[i]!.file;
    const cause = fileSystemError(error, `Recording ${file}`, join(take.dir, file));
    take.problem = new StudioError(
      cause.code,
      `${cause.message} Recording stopped; everything written up to then is kept.`,
      cause.details,
    );
    // One disk holds every track: stop them all at the same point rather than one by one.
    for (const capture of this.captures) capture.stopWriting();
    this.options.onTakeEnded?.(take.problem);
  }
}
