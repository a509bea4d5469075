import { mediaPaths } from '../../../shared/contract/transport';
import {
  duckingTracks,
  type Edit,
  editLength,
  type Interval,
  speechAssetIds,
} from '../../../shared/edit';
import { presentEdit, useEditor } from '../../state/editor';
import { useStudio } from '../../state/store';
import { fetchPcmOverHttp } from './playback/pcm-source';
import { createPlaybackEngine, type PlaybackEngine } from './playback/playback-engine';
import { loadSpeechActivity, peakTilesOverHttp } from './playback/speech-activity';

/**
 * The one player of the edit: starts and stops the Web Audio engine from the editor's state,
 * follows edits made while playing, and moves the editor's playhead when playback stops. While
 * playing, the drawn playhead reads `position()` every frame instead of the store.
 */

let engine: PlaybackEngine | null = null;
const reported = new Set<string>();

/**
 * Speech activity of the speech assets, for music beds that duck: measured once per asset from
 * its stored waveform, only when some track ducks, and handed to the engine as it arrives.
 */
const activity = new Map<string, Interval[]>();
/** What the engine and the lanes use: a new Map whenever more activity has arrived. */
let activitySnapshot: ReadonlyMap<string, readonly Interval[]> = new Map();
const activityAsked = new Set<string>();
const readTile = peakTilesOverHttp(mediaPaths.peakTile);

function loadActivityFor(edit: Edit): void {
  if (duckingTracks(edit).length === 0) return;
  const missing = speechAssetIds(edit).filter((id) => !activityAsked.has(id));
  if (missing.length === 0) return;
  for (const id of missing) activityAsked.add(id);
  void loadSpeechActivity(missing, readTile, (assetId) => {
    // Unreadable now (it ducks nothing meanwhile): asked again after a while, for the edit open
    // then, rather than at once on every change.
    setTimeout(() => {
      activityAsked.delete(assetId);
      const current = presentEdit(useEditor.getState());
      if (current) loadActivityFor(current);
    }, 10_000);
  }).then((loaded) => {
    for (const [id, intervals] of loaded) activity.set(id, intervals);
    activitySnapshot = new Map(activity);
    engine?.setActivity(activitySnapshot);
    notify();
  });
}

// Measured as soon as an edit with a ducking bed is open, so the first play already ducks.
useEditor.subscribe((state, previous) => {
  const edit = presentEdit(state);
  if (edit && edit !== presentEdit(previous)) loadActivityFor(edit);
});

function theEngine(): PlaybackEngine {
  if (!engine) {
    engine = createPlaybackEngine({
      activity: activitySnapshot,
      fetchPcm: fetchPcmOverHttp((assetId, from, frames) => mediaPaths.pcm(assetId, from, frames)),
      onError: (assetId) => {
        if (reported.has(assetId)) return;
        reported.add(assetId);
        const name = useEditor.getState().assets[assetId]?.name ?? 'a clip';
        useStudio.getState().notify({
          kind: 'error',
          message: `The audio of ${name} could not be played; its clips are skipped.`,
        });
      },
      onEnded: () => {
        useEditor.getState().setPlayhead(engine?.position() ?? useEditor.getState().playhead);
        notify();
      },
    });
    // Edits while playing are heard at once.
    useEditor.subscribe((state, previous) => {
      const edit = presentEdit(state);
      if (engine?.playing() && edit && edit !== presentEdit(previous)) engine.update(edit);
    });
  }
  return engine;
}

const listeners = new Set<() => void>();
function notify(): void {
  for (const listener of listeners) listener();
}

export const playback = {
  playing(): boolean {
    return engine?.playing() ?? false;
  },
  /** The timeline sample being heard now, or the playhead when stopped. */
  position(): number {
    return engine?.playing() ? engine.position() : useEditor.getState().playhead;
  },
  play(): void {
    const state = useEditor.getState();
    const edit = presentEdit(state);
    if (!edit || engine?.playing()) return;
    const from = state.playhead >= editLength(edit) ? 0 : state.playhead;
    reported.clear();
    void theEngine().play(edit, from);
    notify();
  },
  pause(): void {
    if (!engine?.playing()) return;
    const at = engine.position();
    engine.pause();
    useEditor.getState().setPlayhead(at);
    notify();
  },
  toggle(): void {
    if (playback.playing()) playback.pause();
    else playback.play();
  },
  /** While playing, jumps and plays on; returns false when stopped (the caller moves the playhead). */
  seek(sample: number): boolean {
    useEditor.getState().setPlayhead(sample);
    if (!engine?.playing()) return false;
    engine.seek(sample);
    return true;
  },
  skip(deltaSamples: number): boolean {
    if (!engine?.playing()) {
      const state = useEditor.getState();
      const edit = presentEdit(state);
      const end = edit ? editLength(edit) : 0;
      state.setPlayhead(Math.min(end, Math.max(0, state.playhead + deltaSamples)));
      return true;
    }
    return playback.seek(Math.max(0, engine.position() + deltaSamples));
  },
  /** A short grain at `sample` while dragging the playhead (stopped only). */
  scrub(sample: number): void {
    const edit = presentEdit(useEditor.getState());
    if (!edit || engine?.playing()) return;
    theEngine().scrub(edit, sample);
  },
  /** Where the speech assets speak (for drawing and hearing ducked beds); a new Map when it grows. */
  speechActivity(): ReadonlyMap<string, readonly Interval[]> {
    return activitySnapshot;
  },
  /** Told when playback starts or stops and when speech activity arrives. */
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
