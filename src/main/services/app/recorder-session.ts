import { rmdir, statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StudioError, toErrorValue } from '../../../shared/errors';
import {
  type AudioDevice,
  audioBackends,
  type InterruptedTake,
  type RecorderSettings,
  type RecorderStatus,
  type RecorderTrackSetup,
  type TakeMarker,
  type TakeSaved,
} from '../../../shared/recording';
import { formatDuration, MODEL_RATE } from '../../../shared/time';
import { getEpisode } from '../library/episodes';
import { addMarkers } from '../library/markers';
import { getShowRecorderSettings, saveShowRecorderSettings } from '../library/recorder-settings';
import { type DeviceWatch, listDevices, watchDevices } from '../recording/devices';
import {
  getDefaultSink,
  getSourceVolume,
  type Loopback,
  loadLoopback,
  setLoopbackVolume,
  setSourceVolume,
  unloadLeftoverLoopbacks,
  unloadModule,
} from '../recording/pulse-control';
import { Recorder, type TakeResult, type TrackLevel } from '../recording/recorder';
import { recoverTake } from '../recording/recover';
import { parseSourceSpec, type SourceSpec } from '../recording/source-spec';
import { readManifest } from '../recording/take';
import { addTakeToEpisode } from './add-take';
import { refuseUnlistedDevices } from './listed-sources';
import type { Services } from './services';
import { createTakeFolder, findInterruptedTakes, takesRoot } from './take-folders';
import { takeSaved } from './take-saved';

/** How often the status is pushed while armed, so the clock and the disk figures move. */
const STATUS_EVERY_MS = 1000;
/** How often devices are listed again for hot-plug: soon enough to feel live, a few ms each. */
const DEVICE_WATCH_MS = 2000;

export interface RecorderSessionOptions {
  /**
   * Asks the OS for the microphone (macOS: the privacy prompt; false when the user refused).
   * Called before arming an avfoundation source. Absent: nothing is asked (Linux, tests, CLI).
   */
  askMicrophoneAccess?: () => Promise<boolean>;
  /** better-sqlite3's native build for this runtime, for take locks (Electron's ABI in the app). */
  nativeBinding?: string;
}

export const MICROPHONE_REFUSED =
  'Podcast Studio may not use the microphone. Allow it in System Settings › Privacy & Security › Microphone, then arm again.';

/**
 * The app's one recorder: arms an episode's tracks (one engine `Recorder`), records takes into
 * `<data dir>/takes/<episode>/<time>/`, and on stop adds each take's tracks and markers to the
 * episode. Pushes `recorder.levels` (meters) and `recorder.status` (every change, and once a
 * second while armed), and `recorder.devices` on hot-plug once the devices were asked for. Also
 * lists the takes a crash left behind and recovers them.
 *
 * Requests that change the state run one at a time (a lock), so two windows pressing Record and
 * Stop at once cannot interleave. Adding a stopped take to the library runs after the lock is
 * released: the next take can be armed while the last one is imported.
 */
export class RecorderSession {
  private recorder: Recorder | null = null;
  private episodeId: string | null = null;
  private markers: TakeMarker[] = [];
  /** Something the user did not ask for and should read: why a take stopped on its own. */
  private notice: string | null = null;
  private diskFreeBytes: number | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly saving = new Set<Promise<void>>();
  private interruptedTakes: InterruptedTake[] = [];
  private readonly recovering = new Set<string>();
  private closed = false;
  /** Per armed track: its OS input level in percent, or null where the OS offers none. */
  private gains: (number | null)[] = [];
  /** The headphone level, 0 = off; off at every arm so nobody gets feedback through speakers. */
  private monitorLevel = 0;
  /** Per armed track index: the loopback playing it to the headphones. */
  private readonly loopbacks = new Map<number, Loopback>();
  /** Hot-plug polling, started by the first device request; null before that and after close. */
  private deviceWatch: DeviceWatch | null = null;
  /** Unloading the monitoring loopbacks a crashed app left behind (see start). */
  private leftovers: Promise<void> = Promise.resolve();

  private get lockOptions() {
    return { nativeBinding: this.options.nativeBinding };
  }

  constructor(
    private readonly services: Services,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly options: RecorderSessionOptions = {},
  ) {}

  /**
   * Finds the takes a crash left marked `recording`, and unloads the monitoring loopbacks a crash
   * left playing; called once when the services start.
   */
  async start(): Promise<void> {
    // Loopbacks belong to the sound server, so after a crash or kill -9 the microphones would
    // play into the headphones until it restarts. Not awaited here: a hung server must not hold
    // up the app's start (pactl gives up after 5 s); setMonitor and close wait for it. Linux only:
    // elsewhere there is no PulseAudio or PipeWire to ask.
    if (process.platform === 'linux')
      this.leftovers = unloadLeftoverLoopbacks({ env: this.env }).then(
        () => {},
        // No sound server (or no pactl): nothing can be playing through one.
        () => {},
      );
    this.interruptedTakes = await findInterruptedTakes(this.services.dataDir, this.lockOptions);
    await this.refreshDisk();
  }

  /**
   * The devices now. The first call also starts watching for hot-plug, pushed as
   * `recorder.devices` until close: only a UI asks, so the CLI and tests never poll the audio system.
   */
  async devices(): Promise<AudioDevice[]> {
    if (this.closed || this.deviceWatch) return listDevices({ env: this.env });
    const watch = watchDevices(
      (change) => this.services.bus.emit('recorder.devices', change.devices),
      {
        env: this.env,
        intervalMs: DEVICE_WATCH_MS,
        // The audio server went away or hung for a moment: the UI keeps the last list it got.
        onError: () => {},
      },
    );
    this.deviceWatch = watch;
    try {
      return await watch.ready;
    } catch (error) {
      // Nothing answered, so there is no baseline to watch from; the next request starts over.
      if (this.deviceWatch === watch) this.deviceWatch = null;
      throw error;
    }
  }

  async status(): Promise<RecorderStatus> {
    await this.refreshDisk();
    return this.snapshot();
  }

  arm(episodeId: string, tracks: RecorderTrackSetup[]): Promise<RecorderStatus> {
    return this.exclusive(async () => {
      if (this.closed)
        throw new StudioError('cancelled', 'The app is closing; nothing can be armed.');
      if (this.recorder) {
        const title = this.episodeTitle(this.episodeId);
        throw new StudioError(
          'conflict',
          `The recorder is already armed${title ? ` for “${title}”` : ''}: stop or disarm it first.`,
          { episodeId: this.episodeId },
        );
      }
      getEpisode(this.services.db, episodeId);
      const specs = tracks.map((track) => specOf(track.source));
      // Asked before any capture starts: a refusal leaves nothing running. On macOS ffmpeg would
      // otherwise fail with a bare "not authorized" that says nothing of where to allow it.
      const ask = this.options.askMicrophoneAccess;
      if (ask && specs.some((spec) => spec?.scheme === 'avfoundation') && !(await ask()))
        throw new StudioError('permission_denied', MICROPHONE_REFUSED);
      if (tracks.some(isDeviceSource))
        refuseUnlistedDevices(tracks, await listDevices({ env: this.env }));
      let armed: Recorder | null = null;
      // Errors from the engine (a bad spec, a missing device) already say what to do.
      const recorder = await Recorder.arm({
        sources: tracks.map((track) => ({ name: track.name, spec: track.source })),
        env: this.env,
        nativeBinding: this.options.nativeBinding,
        onLevels: (levels) => {
          if (armed && armed === this.recorder) this.emitLevels(armed, levels);
        },
        onTrackLost: () => {
          if (armed && armed === this.recorder) this.emitStatus();
        },
        onTakeEnded: (error) => {
          if (armed) this.takeEnded(armed, error);
        },
      });
      armed = recorder;
      this.gains = await Promise.all(recorder.tracks.map((track) => this.readGain(track.source)));
      this.recorder = recorder;
      this.episodeId = episodeId;
      this.markers = [];
      this.notice = null;
      this.monitorLevel = 0;
      this.startTicker();
      return this.changed();
    });
  }

  /**
   * Remembers a show's setup. The UI arms what it saved, so a device must be one the listing
   * gives now or one the show's setup already named (a device unplugged since it was chosen).
   */
  async saveSettings(showId: string, settings: RecorderSettings): Promise<void> {
    const { db } = this.services;
    if (settings.tracks.some(isDeviceSource)) {
      const saved = getShowRecorderSettings(db, showId)?.tracks.map((track) => track.source);
      const devices = await listDevices({ env: this.env }).catch(() => []);
      refuseUnlistedDevices(settings.tracks, devices, new Set(saved));
    }
    saveShowRecorderSettings(db, showId, settings);
  }

  /** Closes the sources. A take still open is stopped and saved first: nothing is thrown away. */
  disarm(): Promise<RecorderStatus> {
    return this.exclusive(async () => {
      const recorder = this.recorder;
      if (!recorder) return this.snapshot();
      if (isTakeOpen(recorder)) {
        const { saved } = await this.stopTake(null);
        // The answer is a status, so the save's outcome reaches the user as the notice.
        void saved.then(
          (result) => this.setNotice(result.message),
          (error: unknown) => this.setNotice(toErrorValue(error).message),
        );
        return this.snapshot();
      }
      await this.reset();
      await recorder.close();
      return this.changed();
    });
  }

  /** Sets an armed track's OS input level (the PulseAudio/PipeWire source's volume). */
  setGain(track: number, percent: number): Promise<RecorderStatus> {
    return this.exclusive(async () => {
      const recorder = this.armedRecorder();
      const armed = recorder.tracks[track];
      if (!armed)
        throw new StudioError(
          'invalid_input',
          `There is no track ${track + 1}: ${recorder.tracks.length} track${recorder.tracks.length === 1 ? ' is' : 's are'} armed.`,
        );
      const spec = specOf(armed.source);
      if (spec?.scheme !== 'pulse' || this.gains[track] === null)
        throw new StudioError(
          'conflict',
          `“${armed.name}” has no input level the recorder can set: ${noGainReason(spec)}`,
        );
      await setSourceVolume(spec.value, percent, { env: this.env });
      // Read back: the server may round it, and the status must show what it really is.
      this.gains[track] = await this.readGain(armed.source);
      return this.changed();
    });
  }

  /**
   * Plays the armed PulseAudio/PipeWire inputs to the default output (the headphones) at `level`
   * percent, one loopback per track; 0 removes them.
   */
  setMonitor(level: number): Promise<RecorderStatus> {
    return this.exclusive(async () => {
      const recorder = this.armedRecorder();
      if (level === 0) {
        await this.stopMonitoring();
        return this.changed();
      }
      const inputs = recorder.tracks.flatMap((track, index) => {
        const spec = specOf(track.source);
        return spec?.scheme === 'pulse' ? [{ index, source: spec.value }] : [];
      });
      if (inputs.length === 0)
        throw new StudioError(
          'conflict',
          'None of the armed tracks records from a PulseAudio or PipeWire input, so there is nothing to play to the headphones (test signals and files are not monitored).',
        );
      const tool = { env: this.env };
      // A leftover loopback of the same input would play it twice, out of our control.
      await this.leftovers;
      try {
        const sink = await getDefaultSink(tool);
        if (!sink)
          throw new StudioError(
            'audio_unavailable',
            'There is no output to monitor on: connect headphones and choose them as the output in the system’s sound settings.',
          );
        for (const { index, source } of inputs) {
          const loopback = this.loopbacks.get(index);
          if (loopback) await setLoopbackVolume(loopback, level, tool);
          // What the headphones play, played to them again, would feed back without end.
          else if (source !== `${sink}.monitor`)
            this.loopbacks.set(index, await loadLoopback(source, sink, level, tool));
        }
        if (this.loopbacks.size === 0)
          throw new StudioError(
            'conflict',
            `The armed tracks record what “${sink}” plays, so monitoring them there would feed back. Choose headphones as the output in the system’s sound settings.`,
          );
      } catch (error) {
        // Half-on monitoring at a level the user did not get is worse than none.
        await this.stopMonitoring();
        this.emitStatus();
        throw error;
      }
      this.monitorLevel = level;
      return this.changed();
    });
  }

  // Record, pause, resume and markers happen at the instant the request arrived, not when the lock
  // is free: a marker behind a slow pactl call or another marker's fsync would otherwise land late.

  record(): Promise<RecorderStatus> {
    const atMs = performance.now();
    return this.exclusive(async () => {
      const recorder = this.armedRecorder();
      if (recorder.state !== 'armed')
        throw new StudioError('conflict', 'A take is already being recorded: stop it first.');
      const episodeId = this.episodeId!;
      getEpisode(this.services.db, episodeId);
      const dir = await createTakeFolder(this.services.dataDir, episodeId);
      try {
        await recorder.start(dir, { episodeId, atMs });
      } catch (error) {
        // Only the empty folder made above; the engine removes the files it made.
        await rmdir(dir).catch(() => {});
        throw error;
      }
      this.markers = [];
      this.notice = null;
      return this.changed();
    });
  }

  pause(): Promise<RecorderStatus> {
    const atMs = performance.now();
    return this.exclusive(async () => {
      this.openTake().pause(atMs);
      return this.changed();
    });
  }

  resume(): Promise<RecorderStatus> {
    const atMs = performance.now();
    return this.exclusive(async () => {
      this.openTake().resume(atMs);
      return this.changed();
    });
  }

  marker(title?: string): Promise<TakeMarker> {
    const atMs = performance.now();
    return this.exclusive(async () => {
      const recorder = this.openTake();
      const name = title?.trim() || `Marker ${this.markers.length + 1}`;
      const marker = await recorder.addMarker(name, atMs);
      this.markers.push(marker);
      this.emitStatus();
      return marker;
    });
  }

  /** Stops the take, then adds its tracks and markers to the episode. */
  async stop(): Promise<TakeSaved> {
    const { saved } = await this.exclusive(() => this.stopTake(null));
    return saved;
  }

  interrupted(): InterruptedTake[] {
    return [...this.interruptedTakes];
  }

  /**
   * Repairs a take found interrupted at start and adds it to its episode. Only a folder from that
   * list is accepted: the path comes from the renderer and must not reach anything else on disk.
   */
  async recover(dirInput: string): Promise<TakeSaved> {
    const dir = resolve(dirInput);
    const listed = this.interruptedTakes.find((take) => take.dir === dir);
    if (!listed)
      throw new StudioError(
        'not_found',
        `${dirInput} is not one of the interrupted takes found when the app started; only those can be recovered here.`,
        { path: dirInput },
      );
    if (this.recovering.has(dir))
      throw new StudioError('conflict', `The take in ${dir} is already being recovered.`, {
        path: dir,
      });
    this.recovering.add(dir);
    try {
      const episodeId = listed.episodeId;
      if (episodeId === null || this.episodeTitle(episodeId) === null)
        throw new StudioError(
          'not_found',
          `The episode this take was recorded for no longer exists (deleted, or in the trash), so it cannot be added. Restore the episode from the trash and recover again; the take’s files are kept in ${dir}.`,
          { path: dir, episodeId },
        );
      await recoverTake(dir, this.lockOptions);
      const manifest = await readManifest(dir);
      const saved = await this.addToEpisode(dir, episodeId, manifest, { recovered: true });
      this.setInterrupted(this.interruptedTakes.filter((take) => take.dir !== dir));
      return saved;
    } finally {
      this.recovering.delete(dir);
    }
  }

  /**
   * Stops watching devices and disarms; a take that is open is stopped and added to its episode
   * before this resolves.
   */
  async close(): Promise<void> {
    this.closed = true;
    const watch = this.deviceWatch;
    this.deviceWatch = null;
    // Awaited: no pactl may still be running once the services are gone.
    await watch?.stop();
    await this.leftovers;
    await this.exclusive(async () => {
      const recorder = this.recorder;
      if (!recorder) return;
      if (isTakeOpen(recorder)) {
        await this.stopTake(null).catch((error: unknown) =>
          console.warn('Stopping the take while closing:', error),
        );
        return;
      }
      await this.reset();
      await recorder.close();
    });
    await Promise.all([...this.saving]);
    this.stopTicker();
  }

  /**
   * Under the lock: ends the take in the engine (files final, take.json 'stopped') and goes back
   * to idle; `saved` then adds it to the episode. If stopping fails the take is left for recovery.
   */
  private async stopTake(
    reason: StudioError | null,
  ): Promise<{ saved: Promise<TakeSaved>; result: TakeResult }> {
    const recorder = this.openTake();
    const episodeId = this.episodeId!;
    const dir = recorder.takeDir;
    const elapsedSec = recorder.elapsedFrames() / MODEL_RATE;
    let result: TakeResult;
    try {
      result = await recorder.stop();
    } catch (error) {
      await recorder.close().catch(() => null);
      await this.reset();
      this.emitStatus();
      if (dir !== null) await this.keepIfInterrupted(dir);
      const value = toErrorValue(error);
      const kept = dir ? ` Its files are kept in ${dir}` : '';
      throw new StudioError(
        value.code,
        value.code === 'disk_full'
          ? `The disk is full: recording stopped at ${formatDuration(elapsedSec)}, and the take could not be finished there.${kept ? `${kept}: free some space, then recover it from the interrupted takes.` : ''}`
          : `Stopping the take failed: ${value.message}${kept ? `${kept}; recover it from the interrupted takes.` : ''}`,
        value.details,
      );
    }
    await recorder.close().catch(() => null);
    await this.reset();
    this.emitStatus();
    const saved = this.addToEpisode(result.dir, episodeId, result, {
      recovered: false,
      reason,
      stoppedAtSec: Math.max(0, ...result.durations),
    });
    const settled = saved.then(
      () => {},
      () => {},
    );
    this.saving.add(settled);
    void settled.finally(() => this.saving.delete(settled));
    return { saved, result };
  }

  /** Adds a stopped or recovered take's tracks and markers to its episode. */
  private async addToEpisode(
    dir: string,
    episodeId: string,
    manifest: Pick<TakeResult, 'markers' | 'sampleRate'>,
    how: Parameters<typeof takeSaved>[2],
  ): Promise<TakeSaved> {
    const { db, bus } = this.services;
    let showId: string;
    try {
      showId = getEpisode(db, episodeId).showId;
    } catch (error) {
      if (error instanceof StudioError && error.code === 'not_found')
        throw new StudioError(
          'not_found',
          `The take is kept in ${dir}, but its episode no longer exists (deleted, or in the trash), so it was not added. Restore the episode from the trash, then add the take with: studio recover ${dir} --episode ${episodeId}`,
          { path: dir, episodeId },
        );
      throw error;
    }
    const added = await addTakeToEpisode(this.services, dir, episodeId);
    const markers = manifest.markers ?? [];
    // The take's tracks start at 0 on the timeline (there are no clip offsets yet), so a marker's
    // frame in the take is its position in the episode.
    addMarkers(
      db,
      episodeId,
      markers.map((marker) => ({
        positionSamples: Math.round((marker.frame * MODEL_RATE) / manifest.sampleRate),
        title: marker.title,
        kind: 'note' as const,
      })),
    );
    bus.emit('library.changed', { scope: 'tracks', showId, episodeId });
    return takeSaved(added, markers.length, how);
  }

  /** The engine stopped writing by itself (disk full, every source lost): finish and save. */
  private takeEnded(recorder: Recorder, error: StudioError): void {
    void this.exclusive(async () => {
      if (this.recorder !== recorder || !isTakeOpen(recorder)) return;
      this.notice = `${error.message} Saving what was recorded…`;
      const { saved } = await this.stopTake(error);
      void saved.then(
        (result) => this.setNotice(result.message),
        (failure: unknown) => this.setNotice(toErrorValue(failure).message),
      );
    }).catch((failure: unknown) => this.setNotice(toErrorValue(failure).message));
  }

  private async keepIfInterrupted(dir: string): Promise<void> {
    const found = await findInterruptedTakes(this.services.dataDir, this.lockOptions).catch(
      () => [],
    );
    const take = found.find((t) => t.dir === resolve(dir));
    if (take && !this.interruptedTakes.some((t) => t.dir === take.dir))
      this.setInterrupted([...this.interruptedTakes, take]);
  }

  /** The UI asked for the list once, at start: every later change is pushed. */
  private setInterrupted(takes: InterruptedTake[]): void {
    this.interruptedTakes = takes;
    this.services.bus.emit('recorder.interrupted', [...takes]);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => {});
    return run;
  }

  private armedRecorder(): Recorder {
    if (!this.recorder || this.recorder.state === 'closed')
      throw new StudioError('conflict', 'The recorder is not armed: arm the tracks first.');
    return this.recorder;
  }

  private openTake(): Recorder {
    const recorder = this.armedRecorder();
    if (!isTakeOpen(recorder))
      throw new StudioError('conflict', 'No take is being recorded: press Record first.');
    return recorder;
  }

  private episodeTitle(episodeId: string | null): string | null {
    if (episodeId === null) return null;
    try {
      return getEpisode(this.services.db, episodeId).title;
    } catch {
      return null;
    }
  }

  private async reset(): Promise<void> {
    this.recorder = null;
    this.episodeId = null;
    this.markers = [];
    this.gains = [];
    this.stopTicker();
    await this.stopMonitoring();
  }

  /** Unloads every loopback. One already gone (its device unplugged) is no reason to fail. */
  private async stopMonitoring(): Promise<void> {
    const modules = [...this.loopbacks.values()].map((loopback) => loopback.module);
    this.loopbacks.clear();
    this.monitorLevel = 0;
    await Promise.all(
      modules.map((module) => unloadModule(module, { env: this.env }).catch(() => {})),
    );
  }

  /** A source's OS input level; null where there is none or it cannot be read (old pactl). */
  private async readGain(source: string): Promise<number | null> {
    const spec = specOf(source);
    if (spec?.scheme !== 'pulse') return null;
    return getSourceVolume(spec.value, { env: this.env }).catch(() => null);
  }

  private snapshot(): RecorderStatus {
    const recorder = this.recorder;
    const state = recorder && recorder.state !== 'closed' ? recorder.state : 'idle';
    const errors = recorder?.trackErrors() ?? [];
    const bytesPerSecond = recorder?.bytesPerSecond() ?? 0;
    return {
      state,
      episodeId: recorder ? this.episodeId : null,
      tracks: (recorder?.tracks ?? []).map((track, i) => ({
        name: track.name,
        source: track.source,
        channels: track.channels,
        error: errors[i] ?? null,
        gainPercent: this.gains[i] ?? null,
      })),
      elapsedSec: recorder && isTakeOpen(recorder) ? recorder.elapsedFrames() / MODEL_RATE : 0,
      markers: [...this.markers],
      diskFreeBytes: this.diskFreeBytes,
      secondsLeft:
        this.diskFreeBytes !== null && bytesPerSecond > 0
          ? this.diskFreeBytes / bytesPerSecond
          : null,
      notice: this.notice,
      monitorLevel: recorder ? this.monitorLevel : 0,
    };
  }

  private changed(): RecorderStatus {
    const status = this.snapshot();
    this.services.bus.emit('recorder.status', status);
    return status;
  }

  private emitStatus(): void {
    this.changed();
  }

  private setNotice(notice: string): void {
    this.notice = notice;
    this.emitStatus();
  }

  private emitLevels(recorder: Recorder, levels: TrackLevel[]): void {
    const tracks = recorder.tracks.map(() => ({ peak: 0, rms: 0 }));
    for (const level of levels)
      if (level.track >= 0 && level.track < tracks.length)
        tracks[level.track] = { peak: level.peak, rms: level.rms };
    const elapsedSec = isTakeOpen(recorder) ? recorder.elapsedFrames() / MODEL_RATE : 0;
    this.services.bus.emit('recorder.levels', { elapsedSec, tracks });
  }

  /** Free space where takes go (the data dir until the first take makes the folder). */
  private async refreshDisk(): Promise<void> {
    for (const dir of [takesRoot(this.services.dataDir), this.services.dataDir]) {
      try {
        const stats = await statfs(dir);
        this.diskFreeBytes = stats.bavail * stats.bsize;
        return;
      } catch {}
    }
    this.diskFreeBytes = null;
  }

  private startTicker(): void {
    this.stopTicker();
    const ticker = setInterval(() => {
      void this.refreshDisk().then(() => {
        if (this.ticker === ticker) this.emitStatus();
      });
    }, STATUS_EVERY_MS);
    ticker.unref();
    this.ticker = ticker;
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }
}

const isDeviceSource = (track: RecorderTrackSetup): boolean =>
  (audioBackends as readonly string[]).includes(track.source.slice(0, track.source.indexOf(':')));

/** A track's parsed source; null for a spec the engine refuses (it says why when arming). */
function specOf(source: string): SourceSpec | null {
  try {
    return parseSourceSpec(source);
  } catch {
    return null;
  }
}

function noGainReason(spec: SourceSpec | null): string {
  switch (spec?.scheme) {
    case 'lavfi':
    case 'file':
      return 'test signals and files are recorded as they are.';
    case 'pulse':
      return 'PulseAudio did not report its volume. Set it in the system’s sound settings.';
    case undefined:
      return 'its source is not one the recorder knows.';
    default:
      return 'only PulseAudio and PipeWire inputs are supported for now. Set the level on the device or in the system’s sound settings.';
  }
}

const isTakeOpen = (recorder: Recorder): boolean =>
  recorder.state === 'recording' || recorder.state === 'paused';
