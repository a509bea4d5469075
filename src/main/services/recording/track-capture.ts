import type { Readable } from 'node:stream';
import { StudioError, toErrorValue } from '../../../shared/errors';
import { runFfmpeg } from '../ffmpeg/run';
import { CaptureClock } from './capture-clock';
import { LevelMeter } from './level-meter';
import { type CheckedSource, captureArgs } from './source-spec';
import type { WavTrackWriter } from './wav-file';

/**
 * How much audio a capture must deliver before it counts as running: a device's clock estimate
 * needs about a second of blocks to settle within a millisecond; a paced source only needs audio
 * waiting in its queue.
 */
const DEVICE_READY_MS = 1000;
const PACED_READY_MS = 250;
/** How far back a take may start: audio already delivered is kept this long. */
const RECENT_MS = 2000;
/** A paced source's ffmpeg may run this far ahead of the clock before it is held back. */
const PACED_AHEAD_MS = 2000;
// 20 ms: fine enough for meters at 20 Hz, and half the writes of a 10 ms tick.
const PACE_EVERY_MS = 20;

/** Frames of one capture that go into the take: from `from`, up to `to` (open while null). */
interface Segment {
  from: number;
  to: number | null;
}

export interface TrackCaptureOptions {
  sampleRate: number;
  /** Seconds of audio that may wait for the disk before the take is given up as too slow. */
  maxPendingSec?: number;
  env?: NodeJS.ProcessEnv;
  /** The capture ended on its own (device lost, file over); null error = it just ended. */
  onEnded: (error: string | null) => void;
  /** Writing into the take failed (disk full): nothing more is written for this track. */
  onWriteFailed: (error: unknown) => void;
}

/**
 * One source, captured by its own ffmpeg from the moment the recorder is armed until it closes.
 * Everything it delivers is metered; only the frames inside the take's segments reach the file.
 *
 * Devices run on their own clock: a CaptureClock learns when their frame 0 was captured. Test
 * sources and files have no clock of their own, so Node paces them: ffmpeg decodes ahead into the
 * pipe and frames are released at exactly the sample rate from a shared instant, which makes them
 * behave like perfectly synchronised devices (two of them started together stay sample-aligned).
 */
export class TrackCapture {
  readonly paced: boolean;
  readonly meter = new LevelMeter();
  /** Frames delivered so far (for a paced source: released by the pacer). */
  captured = 0;
  /** Why the capture ended; undefined while it runs. */
  endedWith: string | null | undefined = undefined;

  private readonly clock: CaptureClock;
  private readonly frameBytes: number;
  private readonly abort = new AbortController();
  private carry = Buffer.alloc(0);
  private recent: { from: number; bytes: Buffer }[] = [];
  private segments: Segment[] = [];
  private writer: WavTrackWriter | null = null;
  private writes: Promise<void> = Promise.resolve();
  private writeFailed = false;
  /** Bytes handed to the write chain and not yet written: grows only when the disk stalls. */
  private pendingBytes = 0;
  /** Set once READY_MS of audio is in (see `ready`). */
  isReady = false;
  private waiters: { frame: number; resolve: () => void }[] = [];

  // Pacing (test sources and files).
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private decoderDone = false;
  private decoderError: string | null = null;
  private paceStartMs: number | null = null;
  private pacer: NodeJS.Timeout | null = null;
  private drained: (() => void) | null = null;

  private readyResolve!: () => void;
  /** Resolves once enough audio has been delivered (paced: decoded and waiting) to start a take. */
  readonly ready: Promise<void>;

  constructor(
    readonly source: CheckedSource,
    private readonly options: TrackCaptureOptions,
  ) {
    this.paced = source.scheme === 'lavfi' || source.scheme === 'file';
    this.clock = new CaptureClock(options.sampleRate);
    this.frameBytes = source.channels * 4;
    this.ready = new Promise((resolve) => {
      this.readyResolve = () => {
        this.isReady = true;
        resolve();
      };
    });
  }

  get channels(): number {
    return this.source.channels;
  }

  private get readyFrames(): number {
    const ms = this.paced ? PACED_READY_MS : DEVICE_READY_MS;
    return Math.round((this.options.sampleRate * ms) / 1000);
  }

  /** Starts ffmpeg. Resolves when the capture has ended (see `endedWith`). */
  run(): Promise<void> {
    return runFfmpeg({
      args: captureArgs(this.source, this.source.channels, this.options.sampleRate),
      what: `Recording ${this.source.text}`,
      signal: this.abort.signal,
      env: this.options.env,
      consumeStdout: (stdout) => this.consume(stdout),
    }).then(
      () => this.decoderEnded(null),
      (error: unknown) => this.decoderEnded(captureError(error)),
    );
  }

  private async consume(stdout: Readable): Promise<void> {
    for await (const data of stdout as AsyncIterable<Buffer>) {
      const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, data]) : data;
      const whole = bytes.length - (bytes.length % this.frameBytes);
      this.carry = Buffer.from(bytes.subarray(whole));
      if (whole === 0) continue;
      const frames = bytes.subarray(0, whole);
      if (!this.paced) {
        this.deliver(frames, performance.now());
        continue;
      }
      this.queue.push(frames);
      this.queuedBytes += frames.length;
      if (this.queuedBytes >= this.readyFrames * this.frameBytes) this.readyResolve();
      const ahead = (this.options.sampleRate * PACED_AHEAD_MS) / 1000;
      while (this.queuedBytes > ahead * this.frameBytes && !this.abort.signal.aborted)
        await new Promise<void>((resolve) => {
          this.drained = resolve;
        });
    }
  }

  private decoderEnded(error: string | null): void {
    this.decoderDone = true;
    this.decoderError = error;
    // A paced source may still have decoded audio to play out; it ends when the pacer has it all.
    if (this.paced && this.queuedBytes > 0 && !this.abort.signal.aborted) this.readyResolve();
    else this.end(error);
  }

  private end(error: string | null): void {
    if (this.endedWith !== undefined) return;
    this.endedWith = error;
    if (this.pacer) clearInterval(this.pacer);
    this.readyResolve();
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    if (!this.abort.signal.aborted) this.options.onEnded(error);
  }

  /** Paced sources: start releasing frames, frame 0 at `atMs` (performance.now() time). */
  beginPacing(atMs: number): void {
    if (!this.paced || this.paceStartMs !== null) return;
    this.paceStartMs = atMs;
    if (this.decoderDone && this.queuedBytes === 0) {
      this.end(this.decoderError);
      return;
    }
    this.pacer = setInterval(() => this.pace(), PACE_EVERY_MS);
  }

  private pace(): void {
    const now = performance.now();
    let due = this.frameAt(now) - this.captured;
    while (due > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const frames = head.length / this.frameBytes;
      const take = Math.min(frames, due);
      const bytes = take === frames ? head : head.subarray(0, take * this.frameBytes);
      if (take === frames) this.queue.shift();
      else this.queue[0] = head.subarray(take * this.frameBytes);
      this.queuedBytes -= bytes.length;
      due -= take;
      this.deliver(bytes, now);
    }
    this.drained?.();
    this.drained = null;
    if (this.decoderDone && this.queuedBytes === 0) this.end(this.decoderError);
  }

  /** Whole frames from the source, `arrivalMs` when they came (paced: when they were due). */
  private deliver(bytes: Buffer, arrivalMs: number): void {
    const from = this.captured;
    this.captured += bytes.length / this.frameBytes;
    if (!this.paced) this.clock.observe(arrivalMs, this.captured);
    this.meter.add(bytes);
    this.recent.push({ from, bytes });
    const keep = this.captured - (this.options.sampleRate * RECENT_MS) / 1000;
    while (this.recent.length > 1 && this.recent[1]!.from <= keep) this.recent.shift();
    if (this.writer) this.writeInSegments(from, bytes);
    if (this.captured >= this.readyFrames) this.readyResolve();
    if (this.waiters.length > 0) {
      const waiting = this.waiters;
      this.waiters = waiting.filter((w) => w.frame > this.captured);
      for (const w of waiting) if (w.frame <= this.captured) w.resolve();
    }
  }

  /**
   * The capture frame taken at `timeMs` (performance.now() time): exact for paced sources; for a
   * device, from its clock's estimate, which follows the device's drift once it is measured (so a
   * pause ten minutes in still cuts every track at the same instant).
   */
  frameAt(timeMs: number): number {
    const startMs = this.paced ? this.paceStartMs : this.clock.startAt(timeMs);
    if (startMs === null || !Number.isFinite(startMs)) return this.captured;
    return Math.max(0, Math.round(((timeMs - startMs) * this.options.sampleRate) / 1000));
  }

  /** Frames from here on go to `writer` (the take's file for this track). */
  attach(writer: WavTrackWriter): void {
    this.writer = writer;
  }

  /**
   * Starts writing at capture frame `from` (until `to`, when the take's length is known); audio
   * already delivered is taken from the recent past.
   */
  openSegment(from: number, to: number | null = null): void {
    const start = Math.max(from, this.oldestKept());
    const segment: Segment = { from: start, to: to === null ? null : Math.max(start, to) };
    this.segments.push(segment);
    for (const chunk of this.recent) {
      const end = chunk.from + chunk.bytes.length / this.frameBytes;
      if (end > segment.from) this.writeInSegments(chunk.from, chunk.bytes, segment);
    }
  }

  /**
   * Stops writing at capture frame `to`, or at what was already delivered (and so written) if
   * that is later; returns where the segment ends. A segment that already has its end keeps it.
   */
  closeSegment(to: number): number {
    const open = this.segments.at(-1);
    if (!open) return to;
    if (open.to === null) open.to = Math.max(open.from, to, this.captured);
    return open.to;
  }

  /** Where the last segment ends; null while it is open (or there is none). */
  segmentEnd(): number | null {
    return this.segments.at(-1)?.to ?? null;
  }

  /** Resolves once frame `frame` has been delivered, the capture ended, or `timeoutMs` passed. */
  waitFor(frame: number, timeoutMs: number): Promise<void> {
    if (this.captured >= frame || this.endedWith !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(resolve, timeoutMs) : undefined;
      this.waiters.push({
        frame,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /**
   * No more writes are queued from here on (the take is ending); those already queued still run.
   * Then `flush` waits for them: late blocks can no longer land after the file is finished.
   */
  detach(): void {
    this.writer = null;
  }

  /** Waits for every write handed to the file so far. */
  flush(): Promise<void> {
    return this.writes;
  }

  /** Syncs the file's header if it is due, in turn with the writes (for a track not growing). */
  syncIfDue(writer: WavTrackWriter): void {
    this.queueWrite(() => writer.syncIfDue());
  }

  /**
   * Runs file work in turn with the track's other writes; the first failure stops all later
   * work on the file and is reported once.
   */
  private queueWrite(work: () => Promise<void>, done: () => void = () => {}): void {
    this.writes = this.writes.then(async () => {
      done();
      if (this.writeFailed) return;
      await work().catch((error: unknown) => this.failWriting(error));
    });
  }

  private failWriting(error: unknown): void {
    this.writeFailed = true;
    this.options.onWriteFailed(error);
  }

  /** Stops writing (the take failed): later audio is only metered. */
  stopWriting(): void {
    this.writeFailed = true;
  }

  /** Where frame 0 of the capture was, and the device's drift, measured over everything so far. */
  clockFit(): { startMs: number; driftPpm: number | null } {
    if (this.paced) return { startMs: this.paceStartMs ?? 0, driftPpm: 0 };
    return this.clock.fit();
  }

  /** The first frame the take wrote from this capture, if any. */
  get firstFrame(): number | null {
    return this.segments[0]?.from ?? null;
  }

  /** Ends ffmpeg (and the pacer); the capture's own ending is not reported as a loss. */
  close(): void {
    this.abort.abort();
    if (this.pacer) clearInterval(this.pacer);
    this.drained?.();
    this.end(this.endedWith ?? null);
  }

  private oldestKept(): number {
    return this.recent[0]?.from ?? this.captured;
  }

  private writeInSegments(from: number, bytes: Buffer, only?: Segment): void {
    if (this.writeFailed || !this.writer) return;
    const end = from + bytes.length / this.frameBytes;
    for (const segment of only ? [only] : this.segments) {
      const a = Math.max(from, segment.from);
      const b = Math.min(end, segment.to ?? Number.POSITIVE_INFINITY);
      if (b <= a) continue;
      const part = bytes.subarray((a - from) * this.frameBytes, (b - from) * this.frameBytes);
      const writer = this.writer;
      const limit = (this.options.maxPendingSec ?? 10) * this.options.sampleRate * this.frameBytes;
      if (this.pendingBytes + part.length > limit) {
        // The disk has not kept up for seconds: memory would grow without end. End the take.
        this.failWriting(
          new StudioError(
            'disk_slow',
            `The disk is too slow: ${this.options.maxPendingSec ?? 10} s of audio waited to be written.`,
          ),
        );
        return;
      }
      this.pendingBytes += part.length;
      this.queueWrite(
        () => writer.append(part),
        () => {
          this.pendingBytes -= part.length;
        },
      );
    }
  }
}

/** A capture's failure in words, or null for an ending that is really a stop. */
function captureError(error: unknown): string | null {
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
  return deviceProblem(error) ?? toErrorValue(error).message;
}

/**
 * What ffmpeg's device errors mean for the person recording, by the words the OS puts in its
 * stderr: a device another program holds (ALSA hw devices, exclusive-mode Windows drivers), and
 * macOS refusing the microphone (the app has no permission).
 */
export function deviceProblem(error: unknown): string | null {
  if (!(error instanceof StudioError) || error.code !== 'ffmpeg_failed') return null;
  const stderr = ((error.details?.stderr as string[] | undefined) ?? []).join('\n');
  if (/Device or resource busy|EBUSY|already in use|exclusive mode/i.test(stderr))
    return 'The device is in use by another program. Close that program (or stop its recording), or choose another device.';
  if (/not authori[sz]ed|permission denied|Operation not permitted|TCC/i.test(stderr))
    return 'The computer refused access to the microphone. On macOS allow Podcast Studio in System Settings › Privacy & Security › Microphone, then arm again.';
  return null;
}
