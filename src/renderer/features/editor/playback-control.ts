import { mediaPaths } from '../../../shared/contract/transport';
import { editLength } from '../../../shared/edit';
import { presentEdit, useEditor } from '../../state/editor';
import { useStudio } from '../../state/store';
import { fetchPcmOverHttp } from './playback/pcm-source';
import { createPlaybackEngine, type PlaybackEngine } from './playback/playback-engine';

/**
 * The one player of the edit: starts and stops the Web Audio engine from the editor's state,
 * follows edits made while playing, and moves the editor's playhead when playback stops. While
 * playing, the drawn playhead reads `position()` every frame instead of the store.
 */

let engine: PlaybackEngine | null = null;
const reported = new Set<string>();

function theEngine(): PlaybackEngine {
  if (!engine) {
    engine = createPlaybackEngine({
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
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
