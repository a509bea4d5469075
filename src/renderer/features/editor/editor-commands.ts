import type { MarkerKind } from '../../../shared/domain';
import {
  addMarker,
  type Clip,
  clipEnd,
  deleteClips,
  type Edit,
  type EditMarker,
  editLength,
  nudge,
  removeMarkers,
  rippleDelete,
  splitAt,
} from '../../../shared/edit';
import { presentEdit, type TimeRange, useEditor } from '../../state/editor';
import { useStudio } from '../../state/store';

/**
 * What the toolbar buttons and the keyboard do to the edit, in one place so both do the same.
 * Each reads the editor state when it runs and goes through `change`, which refuses illegal edits
 * with a message and makes one undo step.
 */

const editor = () => useEditor.getState();

function tell(message: string): void {
  useStudio.getState().notify({ kind: 'info', message });
}

function clipsById(edit: Edit): Map<string, { clip: Clip; trackId: string }> {
  const byId = new Map<string, { clip: Clip; trackId: string }>();
  for (const track of edit.tracks)
    for (const clip of track.clips) byId.set(clip.id, { clip, trackId: track.id });
  return byId;
}

/** Splits at the playhead: the selected clips' tracks, else the selected track, else every track. */
export function splitAtPlayhead(): void {
  const state = editor();
  const edit = presentEdit(state);
  if (!edit) return;
  const byId = clipsById(edit);
  const selectedTracks = state.selection.clipIds.flatMap((id) => byId.get(id)?.trackId ?? []);
  const trackIds =
    selectedTracks.length > 0
      ? selectedTracks
      : state.selection.trackId
        ? [state.selection.trackId]
        : 'all';
  const position = state.playhead;
  const changed = state.change((e) => splitAt(e, { trackIds, position }));
  if (!changed) {
    const under = edit.tracks.some(
      (t) =>
        (trackIds === 'all' || trackIds.includes(t.id)) &&
        t.clips.some((c) => c.timelineStart < position && position < clipEnd(c)),
    );
    if (!under) tell('There is no clip under the playhead to split.');
  }
}

/** The span of the selected clips, for ripple delete. */
function selectedSpan(edit: Edit, clipIds: readonly string[]): TimeRange | null {
  const byId = clipsById(edit);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const id of clipIds) {
    const found = byId.get(id);
    if (!found) continue;
    start = Math.min(start, found.clip.timelineStart);
    end = Math.max(end, clipEnd(found.clip));
  }
  return end > start ? { start, end } : null;
}

/** Delete: the selected marker or clips (leaving a gap), or cuts a selected range out. */
export function deleteSelection(): void {
  const { selection } = editor();
  if (selection.markerId) {
    const markerIds = [selection.markerId];
    editor().change((e) => removeMarkers(e, { markerIds }), { markerId: null });
  } else if (selection.clipIds.length > 0) {
    const clipIds = selection.clipIds;
    editor().change((e) => deleteClips(e, { clipIds }), { clipIds: [] });
  } else if (selection.range) {
    rippleDeleteSelection();
  } else {
    tell('Select a clip, a marker or a range first (click a clip, or drag across empty lanes).');
  }
}

/** Ripple delete: removes the selected range (or the span of the selected clips) from every track and closes the gap. */
export function rippleDeleteSelection(): void {
  const state = editor();
  const edit = presentEdit(state);
  if (!edit) return;
  const range = state.selection.range ?? selectedSpan(edit, state.selection.clipIds);
  if (!range) {
    tell(
      'Select clips or drag a range across empty lanes first; ripple delete removes that time from every track.',
    );
    return;
  }
  if (state.change((e) => rippleDelete(e, range), { clipIds: [], range: null })) {
    state.setPlayhead(range.start);
  }
}

/** Moves the selected clips by `deltaSamples` (negative is earlier). */
export function nudgeSelection(deltaSamples: number): void {
  const { selection } = editor();
  if (selection.clipIds.length === 0) {
    tell('Select the clips to nudge first.');
    return;
  }
  const clipIds = selection.clipIds;
  editor().change((e) => nudge(e, { clipIds, deltaSamples }));
}

/** Adds a marker at the playhead and selects it, so its title can be typed at once. */
export function addMarkerAtPlayhead(kind: MarkerKind): void {
  const state = editor();
  const edit = presentEdit(state);
  if (!edit) return;
  const count = edit.markers.filter((m) => m.kind === kind).length + 1;
  const title =
    kind === 'chapter' ? `Chapter ${count}` : kind === 'ad' ? `Ad ${count}` : `Note ${count}`;
  const marker: EditMarker = { id: crypto.randomUUID(), position: state.playhead, title, kind };
  state.change((e) => addMarker(e, { marker }), { markerId: marker.id, clipIds: [] });
}

/** Selects the clip before or after the selected one on its track (or the nearest to the playhead). */
export function selectNeighbourClip(direction: -1 | 1): void {
  const state = editor();
  const edit = presentEdit(state);
  if (!edit) return;
  const byId = clipsById(edit);
  const current = state.selection.clipIds.at(-1);
  const found = current ? byId.get(current) : undefined;
  const trackId = found?.trackId ?? state.selection.trackId ?? edit.tracks[0]?.id;
  const track = edit.tracks.find((t) => t.id === trackId);
  if (!track || track.clips.length === 0) return;
  let index: number;
  if (found) {
    index = track.clips.findIndex((c) => c.id === found.clip.id) + direction;
  } else {
    index = track.clips.findIndex((c) => clipEnd(c) > state.playhead);
    if (index < 0) index = track.clips.length - 1;
  }
  const clip = track.clips[Math.max(0, Math.min(track.clips.length - 1, index))]!;
  state.select({ clipIds: [clip.id], trackId: track.id, markerId: null, range: null });
  state.setPlayhead(clip.timelineStart);
  revealSample(clip.timelineStart);
}

/** Scrolls the view so that `sample` is on screen. */
export function revealSample(sample: number): void {
  const { view, setView } = editor();
  const end = view.start + view.width * view.samplesPerPixel;
  if (sample < view.start || sample > end) {
    setView({ start: sample - (view.width * view.samplesPerPixel) / 4 });
  }
}

export function movePlayheadBy(deltaSamples: number): void {
  const state = editor();
  const edit = presentEdit(state);
  const end = edit ? editLength(edit) : 0;
  const next = Math.min(Math.max(0, state.playhead + deltaSamples), end);
  state.setPlayhead(next);
  revealSample(next);
}

export function movePlayheadTo(sample: number): void {
  editor().setPlayhead(sample);
  revealSample(sample);
}

export function selectAllClips(): void {
  const edit = presentEdit(editor());
  if (!edit) return;
  editor().select({
    clipIds: edit.tracks.flatMap((t) => t.clips.map((c) => c.id)),
    markerId: null,
    range: null,
  });
}

export function clearSelection(): void {
  editor().select({ clipIds: [], markerId: null, range: null });
}
