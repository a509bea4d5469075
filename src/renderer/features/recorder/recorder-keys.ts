import { useRecorder } from '../../state/recorder';
import { useStudio } from '../../state/store';
import { shortcutLetter } from '../../ui/keys';

/**
 * The recorder's keyboard shortcuts, as listed on screen (and in aria-keyshortcuts). Checked before
 * the player's keys: while a take is open, Space pauses the take rather than playing a track.
 */
export const recorderShortcuts = {
  open: 'R',
  record: 'R',
  pause: 'Space',
  marker: 'M',
  stop: 'Shift+S',
  disarm: 'Escape',
} as const;

function plain(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey;
}

/** Handles a key the recorder owns; returns true when it did (the caller does nothing more). */
export function handleRecorderKey(e: KeyboardEvent): boolean {
  if (!plain(e) || e.repeat) return false;
  const recorder = useRecorder.getState();
  const state = recorder.status?.state ?? 'idle';
  const key = shortcutLetter(e);
  const takeOpen = state === 'recording' || state === 'paused';

  if (key === 'r' && !e.shiftKey) {
    if (!useStudio.getState().episode) return false;
    if (!recorder.open) recorder.openRecorder();
    else if (state === 'armed') void recorder.record();
    return true;
  }
  if (!recorder.open) return false;
  if (key === 'm' && !e.shiftKey && takeOpen) {
    void recorder.marker();
    return true;
  }
  if (e.key === ' ' && takeOpen) {
    // The main button's own activation already pauses or resumes. On any other button (Marker,
    // a meter's clip reset) or slider, Space is the take's: its default activation is prevented.
    if (e.target instanceof Element && e.target.closest('[data-recorder-main]')) return true;
    e.preventDefault();
    void (state === 'recording' ? recorder.pause() : recorder.resume());
    return true;
  }
  if (key === 's' && e.shiftKey && takeOpen) {
    void recorder.stop();
    return true;
  }
  if (e.key === 'Escape') {
    if (recorder.countIn !== null) recorder.cancelCountIn();
    else if (state === 'armed') void recorder.disarm();
    else return false;
    return true;
  }
  return false;
}
