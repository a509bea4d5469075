import { editLength } from '../../../shared/edit';
import { useEditor } from '../../state/editor';
import { shortcutLetter } from '../../ui/keys';
import {
  addMarkerAtPlayhead,
  clearSelection,
  deleteSelection,
  movePlayheadBy,
  movePlayheadTo,
  nudgeSelection,
  rippleDeleteSelection,
  selectAllClips,
  selectNeighbourClip,
  splitAtPlayhead,
} from './editor-commands';
import { playback } from './playback-control';

/**
 * The timeline's keyboard shortcuts: one table that both handles the keys and fills the help
 * overlay (?), so the two never disagree.
 */

export interface Shortcut {
  /** As shown in the help overlay, e.g. "Ctrl/⌘+Z". */
  keys: string;
  does: string;
  group: 'Playback' | 'Edit' | 'View' | 'Markers';
  matches(e: KeyboardEvent): boolean;
  run(e: KeyboardEvent): void;
}

const command = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;
const letter = (e: KeyboardEvent, l: string) => shortcutLetter(e) === l;
const NUDGE = 480; // 10 ms
const BIG_NUDGE = 4800; // 100 ms

export const editorShortcuts: Shortcut[] = [
  {
    keys: 'Space',
    does: 'Play or pause from the playhead',
    group: 'Playback',
    matches: (e) => e.key === ' ' && plain(e),
    run: () => playback.toggle(),
  },
  {
    keys: 'L',
    does: 'Play',
    group: 'Playback',
    matches: (e) => letter(e, 'l') && plain(e),
    run: () => playback.play(),
  },
  {
    keys: 'K',
    does: 'Stop (the playhead stays where it stopped)',
    group: 'Playback',
    matches: (e) => letter(e, 'k') && plain(e),
    run: () => playback.pause(),
  },
  {
    keys: 'J',
    does: 'Back 5 seconds (playing on if playing)',
    group: 'Playback',
    matches: (e) => letter(e, 'j') && plain(e),
    run: () => playback.skip(-5 * 48_000),
  },
  {
    keys: '← / →',
    does: 'Playhead back / forward 1 s (with Shift: 10 ms)',
    group: 'Playback',
    matches: (e) => (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && plain(e),
    run: (e) => {
      const step = (e.shiftKey ? 480 : 48_000) * (e.key === 'ArrowLeft' ? -1 : 1);
      playback.skip(step) || movePlayheadBy(step);
    },
  },
  {
    keys: 'Home / End',
    does: 'Playhead to the start / end',
    group: 'Playback',
    matches: (e) => (e.key === 'Home' || e.key === 'End') && plain(e),
    run: (e) => {
      const edit = useEditor.getState().history?.present;
      const to = e.key === 'Home' || !edit ? 0 : editLength(edit);
      playback.seek(to) || movePlayheadTo(to);
    },
  },
  {
    keys: 'S',
    does: 'Split at the playhead (selected clips, else the selected track, else all tracks)',
    group: 'Edit',
    matches: (e) => letter(e, 's') && plain(e) && !e.shiftKey,
    run: () => splitAtPlayhead(),
  },
  {
    keys: 'Delete / Backspace',
    does: 'Delete the selected clips (leaving a gap) or marker; a selected range is cut out',
    group: 'Edit',
    matches: (e) => (e.key === 'Delete' || e.key === 'Backspace') && plain(e) && !e.shiftKey,
    run: () => deleteSelection(),
  },
  {
    keys: 'Shift+Delete',
    does: 'Ripple delete: remove the selection’s time from every track and close the gap',
    group: 'Edit',
    matches: (e) => (e.key === 'Delete' || e.key === 'Backspace') && plain(e) && e.shiftKey,
    run: () => rippleDeleteSelection(),
  },
  {
    keys: 'Alt+← / →',
    does: 'Nudge the selected clips by 10 ms (with Shift: 100 ms)',
    group: 'Edit',
    matches: (e) => (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && e.altKey && !command(e),
    run: (e) => nudgeSelection((e.shiftKey ? BIG_NUDGE : NUDGE) * (e.key === 'ArrowLeft' ? -1 : 1)),
  },
  {
    keys: 'Ctrl/⌘+Z',
    does: 'Undo',
    group: 'Edit',
    matches: (e) => letter(e, 'z') && command(e) && !e.shiftKey,
    run: () => useEditor.getState().undo(),
  },
  {
    keys: 'Shift+Z, Ctrl/⌘+Shift+Z',
    does: 'Redo',
    group: 'Edit',
    matches: (e) => letter(e, 'z') && e.shiftKey && !e.altKey,
    run: () => useEditor.getState().redo(),
  },
  {
    keys: '[ / ]',
    does: 'Select the previous / next clip on the track',
    group: 'Edit',
    matches: (e) => (e.key === '[' || e.key === ']') && plain(e),
    run: (e) => selectNeighbourClip(e.key === '[' ? -1 : 1),
  },
  {
    keys: 'Ctrl/⌘+A',
    does: 'Select every clip',
    group: 'Edit',
    matches: (e) => letter(e, 'a') && command(e),
    run: () => selectAllClips(),
  },
  {
    keys: 'Esc',
    does: 'Clear the selection (or close this help)',
    group: 'Edit',
    matches: (e) => e.key === 'Escape',
    run: () => clearSelection(),
  },
  {
    keys: 'M',
    does: 'Add a chapter at the playhead (Shift+M: a note)',
    group: 'Markers',
    matches: (e) => letter(e, 'm') && plain(e),
    run: (e) => addMarkerAtPlayhead(e.shiftKey ? 'note' : 'chapter'),
  },
  {
    keys: '+ / −',
    does: 'Zoom in / out around the playhead (Ctrl/⌘+wheel: around the pointer)',
    group: 'View',
    matches: (e) => ['+', '=', '-', '_'].includes(e.key) && !e.altKey,
    run: (e) => useEditor.getState().zoom(e.key === '+' || e.key === '=' ? 2 : 0.5),
  },
  {
    keys: '0',
    does: 'Zoom to fit the whole episode',
    group: 'View',
    matches: (e) => e.key === '0' && plain(e),
    run: () => useEditor.getState().zoomToFit(),
  },
  {
    keys: 'N',
    does: 'Snapping on / off (to clip edges, markers, the playhead and silences)',
    group: 'View',
    matches: (e) => letter(e, 'n') && plain(e),
    run: () => useEditor.getState().setSnapping(!useEditor.getState().snapping),
  },
  {
    keys: '?',
    does: 'Show or hide these shortcuts',
    group: 'View',
    matches: (e) => e.key === '?',
    run: () => useEditor.getState().setHelpOpen(!useEditor.getState().helpOpen),
  },
];

/** Handles a key for the timeline; true when it was one of its shortcuts. */
export function handleEditorKey(e: KeyboardEvent): boolean {
  const state = useEditor.getState();
  if (state.status !== 'ready') return false;
  if (state.helpOpen && e.key === 'Escape') {
    state.setHelpOpen(false);
    e.preventDefault();
    return true;
  }
  const shortcut = editorShortcuts.find((s) => s.matches(e));
  if (!shortcut) return false;
  e.preventDefault();
  shortcut.run(e);
  return true;
}
