import { type DuckPoint, duckEnvelopes, type Interval } from '../../../../shared/edit/ducking';
import { editLength } from '../../../../shared/edit/geometry';
import type { Edit } from '../../../../shared/edit/model';
import { MODEL_RATE } from '../../../../shared/time';
import { createPcmCache, DEFAULT_CACHE_BYTES, type FetchPcm } from './pcm-source';
import {
  type GainPoint,
  type PlannedSegment,
  planDucking,
  planSegments,
  segmentKey,
  sliceEnvelope,
  trackMix,
} from './plan-segments';

/**
 * Plays an edit in real time with Web Audio. A timer plans the timeline a block at a time a
 * little ahead of the output (plan-segments.ts), fetches each piece's PCM through a chunk cache
 * and starts one AudioBufferSourceNode per piece at its exact sample, through a gain node that
 * carries the clip's gain and fades, into per-track volume and pan nodes using the render's law.
 */

export interface PlaybackEngineOptions {
  fetchPcm: FetchPcm;
  /** Called once, on first use; default a 48 kHz AudioContext. An OfflineAudioContext works too. */
  audioContext?: () => BaseAudioContext;
  /** Playback reached the end of the edit (not called for pause or seek). */
  onEnded?: () => void;
  /** An asset's audio could not be fetched; its clips stay silent, the rest plays. Once per asset per play. */
  onError?: (assetId: string, error: unknown) => void;
  /** Cap of the PCM chunk cache, default 64 MB. */
  cacheBytes?: number;
  /**
   * Where each speech asset has speech (loadSpeechActivity), for music tracks that duck; can be
   * replaced later with setActivity. Without it nothing ducks.
   */
  activity?: ReadonlyMap<string, readonly Interval[]>;
}

export interface PlaybackEngine {
  /** Plays `edit` from a timeline sample; resolves once the first audio is scheduled. */
  play(edit: Edit, fromSample: number): Promise<void>;
  pause(): void;
  /** Moves the playhead; playing continues from there. */
  seek(sample: number): void;
  /** The edit changed while playing: playing goes on with it from the current position. */
  update(edit: Edit): void;
  /** The timeline sample being heard now (output latency accounted for); read it per frame. */
  position(): number;
  playing(): boolean;
  /** While paused: a short grain of `edit` at `sample`, for dragging the playhead; rate-limited. */
  scrub(edit: Edit, sample: number): void;
  /**
   * Speech activity by asset (loadSpeechActivity) for ducking music tracks; heard at once while
   * playing. Pass a new Map when it changes (it is compared by identity).
   */
  setActivity(activity: ReadonlyMap<string, readonly Interval[]>): void;
  dispose(): void;
}

/** Planning block: each timer tick schedules whole blocks. */
const BLOCK_FRAMES = MODEL_RATE;
/** How far ahead of the output audio is kept scheduled; covers a 1 s timer in a background tab. */
const LOOKAHEAD_S = 1.5;
const TICK_MS = 200;
/** Between deciding to start and the first sample: time for the graph to reach the audio thread. */
const START_LEAD_S = 0.05;
/** How long play() waits for the first block's audio before starting anyway (pieces then start late). */
const FIRST_FETCH_WAIT_MS = 400;
/** An edit change takes effect this far ahead, so old and new pieces meet at one sample. */
const UPDATE_LEAD_S = 0.03;
/** A piece is never started closer to now than this (a start in the past would shift it). */
const START_SAFETY_S = 0.01;
/** Pause fades out over this instead of cutting (a cut mid-waveform clicks). */
const STOP_FADE_S = 0.005;
const GRAIN_FRAMES = Math.round(0.07 * MODEL_RATE);
const GRAIN_FADE_S = 0.004;
const SCRUB_INTERVAL_MS = 60;

interface TrackNodes {
  /** Mono pieces connect here (one channel), stereo pieces to `stereoIn`. */
  monoIn: GainNode;
  stereoIn: ChannelSplitterNode;
  monoLeft: GainNode;
  monoRight: GainNode;
  stereoLeft: GainNode;
  stereoRight: GainNode;
  /** The duck gain of a music track that ducks under speech (1 otherwise), before the volume. */
  duck: GainNode;
  volume: GainNode;
}

/** A piece handed to Web Audio, or waiting for its PCM. */
interface LivePiece {
  source: AudioBufferSourceNode | null;
  cancelled: boolean;
}

interface PlanWindow {
  from: number;
  to: number;
  pieces: Map<string, LivePiece>;
}

/** One run of audio: a play from a position, or one scrub grain. */
interface Run {
  edit: Edit;
  anchorSample: number;
  /** Context time at which anchorSample is rendered; null until the first audio is ready. */
  anchorTime: number | null;
  master: GainNode;
  tracks: Map<string, TrackNodes>;
  windows: PlanWindow[];
  scheduledUntil: number;
  /** Assets whose fetch failed during this run: not asked again. */
  failed: Set<string>;
}

export function createPlaybackEngine(options: PlaybackEngineOptions): PlaybackEngine {
  const cache = createPcmCache(options.fetchPcm, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  const makeContext =
    options.audioContext ??
    (() => new AudioContext({ sampleRate: MODEL_RATE, latencyHint: 'interactive' }));
  let ctx: BaseAudioContext | null = null;
  let edit: Edit | null = null;
  let run: Run | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let pausedAt = 0;
  let lastPosition = 0;
  const reported = new Set<string>();
  const grains = new Set<Run>();
  let pendingScrub: number | null = null;
  let scrubTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  let activity: ReadonlyMap<string, readonly Interval[]> = options.activity ?? new Map();
  // The duck envelopes of the last edit asked for, recomputed when the edit or activity changes.
  let envelopeMemo: {
    edit: Edit;
    activity: ReadonlyMap<string, readonly Interval[]>;
    envelopes: Map<string, DuckPoint[]>;
  } | null = null;
  const envelopesOf = (forEdit: Edit): Map<string, DuckPoint[]> => {
    if (envelopeMemo?.edit !== forEdit || envelopeMemo.activity !== activity) {
      envelopeMemo = { edit: forEdit, activity, envelopes: duckEnvelopes(forEdit, activity) };
    }
    return envelopeMemo.envelopes;
  };

  const context = (): BaseAudioContext => {
    ctx ??= makeContext();
    // Resumed inside the caller's gesture (play, scrub), before any await, for autoplay rules.
    if (isRealtime(ctx) && ctx.state === 'suspended') void ctx.resume();
    return ctx;
  };

  /** Whole context frames, so every start and ramp lands on a sample. */
  const frameCeil = (c: BaseAudioContext, time: number) =>
    Math.ceil(time * c.sampleRate - 1e-6) / c.sampleRate;

  // One division of whole frames: the nearest double to the frame's time, so Web Audio does not
  // see an event a hair after the frame it belongs to.
  const timeOf = (r: Run, anchorTime: number, sample: number) =>
    (Math.round(anchorTime * MODEL_RATE) + sample - r.anchorSample) / MODEL_RATE;

  const sampleAt = (r: Run, anchorTime: number, time: number) =>
    r.anchorSample + (time - anchorTime) * MODEL_RATE;

  const report = (r: Run, assetId: string, error: unknown) => {
    r.failed.add(assetId);
    if (reported.has(assetId)) return;
    reported.add(assetId);
    options.onError?.(assetId, error);
  };

  const newRun = (c: BaseAudioContext, runEdit: Edit, anchorSample: number): Run => {
    const master = c.createGain();
    master.connect(c.destination);
    return {
      edit: runEdit,
      anchorSample,
      anchorTime: null,
      master,
      tracks: new Map(),
      windows: [],
      scheduledUntil: anchorSample,
      failed: new Set(),
    };
  };

  const setParam = (param: AudioParam, value: number, time: number) => {
    param.cancelScheduledValues(time);
    param.setValueAtTime(value, time);
  };

  const applyTrackMix = (r: Run, trackId: string, nodes: TrackNodes, time: number) => {
    const track = r.edit.tracks.find((t) => t.id === trackId);
    if (!track) return;
    const mix = trackMix(track);
    setParam(nodes.volume.gain, mix.gain, time);
    setParam(nodes.monoLeft.gain, mix.monoLeft, time);
    setParam(nodes.monoRight.gain, mix.monoRight, time);
    setParam(nodes.stereoLeft.gain, mix.stereoLeft, time);
    setParam(nodes.stereoRight.gain, mix.stereoRight, time);
  };

  const trackNodes = (c: BaseAudioContext, r: Run, trackId: string): TrackNodes => {
    const existing = r.tracks.get(trackId);
    if (existing) return existing;
    // Two gains per side instead of StereoPannerNode, whose law for stereo input differs from the
    // render's (it moves one side into the other instead of scaling each by √2·cos/sin).
    const monoIn = c.createGain();
    monoIn.channelCount = 1;
    monoIn.channelCountMode = 'explicit';
    const stereoIn = c.createChannelSplitter(2);
    const merger = c.createChannelMerger(2);
    const nodes: TrackNodes = {
      monoIn,
      stereoIn,
      monoLeft: c.createGain(),
      monoRight: c.createGain(),
      stereoLeft: c.createGain(),
      stereoRight: c.createGain(),
      duck: c.createGain(),
      volume: c.createGain(),
    };
    monoIn.connect(nodes.monoLeft).connect(merger, 0, 0);
    monoIn.connect(nodes.monoRight).connect(merger, 0, 1);
    stereoIn.connect(nodes.stereoLeft, 0).connect(merger, 0, 0);
    stereoIn.connect(nodes.stereoRight, 1).connect(merger, 0, 1);
    merger.connect(nodes.duck).connect(nodes.volume).connect(r.master);
    applyTrackMix(r, trackId, nodes, 0);
    r.tracks.set(trackId, nodes);
    return nodes;
  };

  const automate = (param: AudioParam, envelope: GainPoint[], at: (sample: number) => number) => {
    const [first, ...rest] = envelope;
    if (!first) return;
    // Also the value before the first event, in case rounding puts that event after the frame.
    param.value = first.gain;
    param.setValueAtTime(first.gain, at(first.sample));
    for (const point of rest) param.linearRampToValueAtTime(point.gain, at(point.sample));
  };

  /**
   * Schedules the duck gains of the window [from, to] (ramps continue from window to window: each
   * starts with its value at `from`, where the previous one ended).
   */
  const automateDucks = (c: BaseAudioContext, r: Run, from: number, to: number) => {
    const anchorTime = r.anchorTime;
    if (anchorTime === null || to <= from) return;
    const at = (sample: number) => timeOf(r, anchorTime, sample);
    for (const planned of planDucking(r.edit, envelopesOf(r.edit), from, to)) {
      const param = trackNodes(c, r, planned.trackId).duck.gain;
      const [first, ...rest] = planned.envelope;
      if (!first) continue;
      param.setValueAtTime(first.gain, at(first.sample));
      for (const point of rest) param.linearRampToValueAtTime(point.gain, at(point.sample));
    }
  };

  /**
   * Fetches a piece and starts it at its sample, never before `notBefore` (context time). A piece
   * whose audio comes too late starts late with its first samples dropped, never shifted.
   */
  const startPiece = async (
    r: Run,
    window: PlanWindow,
    key: string,
    segment: PlannedSegment,
    notBefore: number,
  ): Promise<void> => {
    const live: LivePiece = { source: null, cancelled: false };
    window.pieces.set(key, live);
    if (r.failed.has(segment.assetId)) return;
    let pcm: Awaited<ReturnType<typeof cache.read>>;
    try {
      pcm = await cache.read(segment.assetId, segment.sourceFrom, segment.frames);
    } catch (error) {
      report(r, segment.assetId, error);
      return;
    }
    const c = ctx;
    const anchorTime = r.anchorTime;
    if (live.cancelled || !c || anchorTime === null) return;
    const at = (sample: number) => timeOf(r, anchorTime, sample);
    const earliest = Math.max(notBefore, frameCeil(c, c.currentTime + START_SAFETY_S));
    const skip = Math.max(0, Math.ceil((earliest - at(segment.timelineStart)) * MODEL_RATE - 1e-6));
    if (skip >= segment.frames) return;
    const frames = segment.frames - skip;
    const startSample = segment.timelineStart + skip;
    const buffer = c.createBuffer(pcm.planes.length, frames, MODEL_RATE);
    pcm.planes.forEach((plane, channel) => {
      buffer.copyToChannel(plane.subarray(skip), channel);
    });
    const source = c.createBufferSource();
    source.buffer = buffer;
    const gain = c.createGain();
    // The envelope from where the piece really starts: automation in the past is clamped to now.
    automate(gain.gain, sliceEnvelope(segment.envelope, startSample, startSample + frames), at);
    const nodes = trackNodes(c, r, segment.trackId);
    source.connect(gain).connect(pcm.planes.length === 1 ? nodes.monoIn : nodes.stereoIn);
    source.onended = () => {
      source.disconnect();
      gain.disconnect();
      if (window.pieces.get(key) === live) window.pieces.delete(key);
    };
    source.start(at(startSample));
    live.source = source;
  };

  /** Plans and starts whole blocks until the lookahead is covered; the promise is for play(). */
  const scheduleAhead = (r: Run): Promise<void> => {
    const c = ctx;
    if (!c || r.anchorTime === null) return Promise.resolve();
    const horizon = sampleAt(r, r.anchorTime, c.currentTime + LOOKAHEAD_S);
    const end = editLength(r.edit);
    const started: Promise<void>[] = [];
    while (r.scheduledUntil < Math.min(horizon, end)) {
      const window: PlanWindow = {
        from: r.scheduledUntil,
        to: r.scheduledUntil + BLOCK_FRAMES,
        pieces: new Map(),
      };
      r.windows.push(window);
      for (const segment of planSegments(r.edit, window.from, window.to)) {
        started.push(startPiece(r, window, segmentKey(segment), segment, 0));
      }
      automateDucks(c, r, window.from, window.to);
      r.scheduledUntil = window.to;
    }
    // Blocks wholly played are done with (their sources disconnect themselves on ended).
    const anchorTime = r.anchorTime;
    r.windows = r.windows.filter((w) => timeOf(r, anchorTime, w.to) >= c.currentTime);
    return Promise.all(started).then(() => undefined);
  };

  const cancelPiece = (live: LivePiece, time: number) => {
    live.cancelled = true;
    live.source?.stop(time);
  };

  /** Silences a run at once (a few ms fade) and lets go of its nodes. */
  const stopRun = (r: Run) => {
    const c = ctx;
    if (!c) return;
    const now = c.currentTime;
    const gain = r.master.gain;
    gain.cancelScheduledValues(now);
    gain.setValueAtTime(gain.value, now);
    gain.linearRampToValueAtTime(0, now + STOP_FADE_S);
    for (const window of r.windows) {
      for (const live of window.pieces.values()) cancelPiece(live, now + STOP_FADE_S);
    }
    r.windows = [];
    const master = r.master;
    setTimeout(() => master.disconnect(), 100);
  };

  const heardTime = (c: BaseAudioContext): number => {
    if (isRealtime(c)) {
      const stamp = c.getOutputTimestamp?.();
      if (stamp?.contextTime && stamp.performanceTime) {
        return stamp.contextTime + (performance.now() - stamp.performanceTime) / 1000;
      }
      return c.currentTime - (c.baseLatency ?? 0) - (c.outputLatency ?? 0);
    }
    return c.currentTime;
  };

  const currentPosition = (): number => {
    const r = run;
    const c = ctx;
    if (!r || !c) return pausedAt;
    if (r.anchorTime === null) return r.anchorSample;
    const heard = Math.round(sampleAt(r, r.anchorTime, heardTime(c)));
    const end = Math.max(editLength(r.edit), r.anchorSample);
    // Never backwards within a run: the output timestamp jitters by a few ms.
    lastPosition = Math.min(end, Math.max(lastPosition, heard, r.anchorSample));
    return lastPosition;
  };

  const halt = () => {
    if (timer) clearInterval(timer);
    timer = null;
    if (run) stopRun(run);
    run = null;
  };

  const tick = () => {
    const r = run;
    if (!r || r.anchorTime === null) return;
    const end = editLength(r.edit);
    if (currentPosition() >= end) {
      pausedAt = end;
      halt();
      options.onEnded?.();
      return;
    }
    void scheduleAhead(r);
  };

  const stopGrains = () => {
    for (const grain of grains) stopRun(grain);
    grains.clear();
  };

  const play = async (playEdit: Edit, fromSample: number): Promise<void> => {
    if (disposed) return;
    halt();
    stopGrains();
    const c = context();
    edit = playEdit;
    reported.clear();
    const from = Math.max(0, Math.round(fromSample));
    const r = newRun(c, playEdit, from);
    run = r;
    lastPosition = from;
    // The first block's audio before the clock starts, so the start is not cut; bounded, since a
    // slow fetch should delay only its own piece.
    const first = planSegments(playEdit, from, from + BLOCK_FRAMES);
    await Promise.race([
      Promise.all(
        first.map((s) =>
          cache.read(s.assetId, s.sourceFrom, s.frames).catch((error: unknown) => {
            report(r, s.assetId, error);
          }),
        ),
      ),
      new Promise((resolve) => setTimeout(resolve, FIRST_FETCH_WAIT_MS)),
    ]);
    if (run !== r) return;
    r.anchorTime = frameCeil(c, c.currentTime + START_LEAD_S);
    timer = setInterval(tick, TICK_MS);
    await scheduleAhead(r);
  };

  const update = (nextEdit: Edit) => {
    edit = nextEdit;
    const r = run;
    const c = ctx;
    if (!r || !c) return;
    r.edit = nextEdit;
    if (r.anchorTime === null) return;
    const anchorTime = r.anchorTime;
    // From a moment just ahead: pieces that changed stop there and their replacements start
    // there, at the same sample; pieces that did not change play on untouched.
    const switchTime = frameCeil(c, c.currentTime + UPDATE_LEAD_S);
    const switchSample = Math.round(sampleAt(r, anchorTime, switchTime));
    for (const [trackId, nodes] of r.tracks) applyTrackMix(r, trackId, nodes, switchTime);
    // Duck gains follow the new edit from the switch on: held there, then its envelope (or 1).
    const ducked = new Set(
      planDucking(nextEdit, envelopesOf(nextEdit), switchSample, switchSample).map(
        (d) => d.trackId,
      ),
    );
    for (const [trackId, nodes] of r.tracks) {
      const param = nodes.duck.gain;
      if (typeof param.cancelAndHoldAtTime === 'function') param.cancelAndHoldAtTime(switchTime);
      else param.cancelScheduledValues(switchTime);
      if (!ducked.has(trackId)) param.setValueAtTime(1, switchTime);
    }
    if (r.scheduledUntil > switchSample) automateDucks(c, r, switchSample, r.scheduledUntil);
    for (const window of r.windows) {
      if (window.to <= switchSample) continue;
      const planned = new Map(
        planSegments(nextEdit, window.from, window.to).map((s) => [segmentKey(s), s]),
      );
      for (const [key, live] of window.pieces) {
        if (planned.has(key)) continue;
        cancelPiece(live, switchTime);
        window.pieces.delete(key);
      }
      for (const [key, segment] of planned) {
        if (!window.pieces.has(key)) void startPiece(r, window, key, segment, switchTime);
      }
    }
    tick();
  };

  const playGrain = async (sample: number) => {
    const c = ctx;
    if (!c || !edit || run) return;
    const r = newRun(c, edit, sample);
    grains.add(r);
    const window: PlanWindow = { from: sample, to: sample + GRAIN_FRAMES, pieces: new Map() };
    r.windows.push(window);
    const planned = planSegments(edit, window.from, window.to);
    await Promise.allSettled(planned.map((s) => cache.read(s.assetId, s.sourceFrom, s.frames)));
    // A newer grain or play() has taken over while this one's audio was on its way.
    if (!grains.has(r) || pendingScrub !== null || run) {
      grains.delete(r);
      r.master.disconnect();
      return;
    }
    const start = frameCeil(c, c.currentTime + START_SAFETY_S);
    const end = start + GRAIN_FRAMES / MODEL_RATE;
    r.anchorTime = start;
    // Faded at both ends: a grain cut out of a waveform clicks otherwise.
    const gain = r.master.gain;
    gain.setValueAtTime(0, start);
    gain.linearRampToValueAtTime(1, start + GRAIN_FADE_S);
    gain.setValueAtTime(1, end - GRAIN_FADE_S);
    gain.linearRampToValueAtTime(0, end);
    automateDucks(c, r, window.from, window.to);
    await Promise.all(planned.map((s) => startPiece(r, window, segmentKey(s), s, start)));
    setTimeout(
      () => {
        if (grains.delete(r)) r.master.disconnect();
      },
      (end - c.currentTime) * 1000 + 100,
    );
  };

  const runScrub = () => {
    const sample = pendingScrub;
    pendingScrub = null;
    if (sample === null) return;
    void playGrain(sample);
    // Trailing: while dragging, the newest position plays when the interval is over.
    scrubTimer = setTimeout(() => {
      scrubTimer = null;
      runScrub();
    }, SCRUB_INTERVAL_MS);
  };

  return {
    play,
    pause() {
      if (!run) return;
      pausedAt = currentPosition();
      halt();
    },
    seek(sample) {
      const to = Math.max(0, Math.round(sample));
      if (run && edit) {
        void play(edit, to);
        return;
      }
      pausedAt = to;
    },
    update,
    position: currentPosition,
    playing: () => run !== null,
    setActivity(next) {
      if (next === activity) return;
      activity = next;
      // Pieces are unchanged; the duck gains are scheduled again from just ahead.
      if (run && edit) update(run.edit);
    },
    scrub(scrubEdit, sample) {
      if (disposed || run) return;
      edit = scrubEdit;
      context();
      pendingScrub = Math.max(0, Math.round(sample));
      pausedAt = pendingScrub;
      if (!scrubTimer) runScrub();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      halt();
      stopGrains();
      if (scrubTimer) clearTimeout(scrubTimer);
      pendingScrub = null;
      cache.clear();
      if (ctx && isRealtime(ctx) && ctx.state !== 'closed') void ctx.close();
      ctx = null;
    },
  };
}

function isRealtime(c: BaseAudioContext): c is AudioContext {
  return typeof AudioContext !== 'undefined' && c instanceof AudioContext;
}
