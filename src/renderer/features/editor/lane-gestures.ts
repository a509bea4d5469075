import type { EditAsset } from '../../../shared/domain';
import {
  type Clip,
  clipEnd,
  type Edit,
  move,
  nudge,
  setFades,
  trimEnd,
  trimStart,
} from '../../../shared/edit';
import type { TimelineView } from '../../state/editor';
import { nearestTarget, snapSpan } from './snapping';
import { EDGE_GRAB_PX, FADE_BAND_PX, sampleToX } from './timeline-geometry';

/**
 * What a press on a lane grabs, and the edit each drag position makes: pure functions, so the
 * timeline can show a drag live (the operation applied to the present edit, not yet a step) and
 * commit the same operation when the pointer is released.
 */

export type Grab =
  | { kind: 'move'; clip: Clip; trackId: string }
  | { kind: 'trim-start' | 'trim-end' | 'fade-in' | 'fade-out'; clip: Clip; trackId: string }
  | { kind: 'empty'; trackId: string };

/** What is under the pointer at `x` (CSS px in the lane) and `y` (px from the lane's top). */
export function grabAt(
  edit: Edit,
  trackId: string,
  view: TimelineView,
  x: number,
  y: number,
): Grab {
  const track = edit.tracks.find((t) => t.id === trackId);
  if (!track) return { kind: 'empty', trackId };
  // Later clips are drawn on top, so they are hit first.
  for (let i = track.clips.length - 1; i >= 0; i--) {
    const clip = track.clips[i]!;
    const left = sampleToX(view, clip.timelineStart);
    const right = sampleToX(view, clipEnd(clip));
    if (x < left - EDGE_GRAB_PX || x > right + EDGE_GRAB_PX) continue;
    const wide = right - left > EDGE_GRAB_PX * 4;
    if (y <= FADE_BAND_PX && wide) {
      const fadeInX = sampleToX(view, clip.timelineStart + clip.fadeIn);
      const fadeOutX = sampleToX(view, clipEnd(clip) - clip.fadeOut);
      if (Math.abs(x - fadeInX) <= EDGE_GRAB_PX) return { kind: 'fade-in', clip, trackId };
      if (Math.abs(x - fadeOutX) <= EDGE_GRAB_PX) return { kind: 'fade-out', clip, trackId };
    }
    if (Math.abs(x - left) <= EDGE_GRAB_PX) return { kind: 'trim-start', clip, trackId };
    if (Math.abs(x - right) <= EDGE_GRAB_PX) return { kind: 'trim-end', clip, trackId };
    if (x >= left && x <= right) return { kind: 'move', clip, trackId };
  }
  return { kind: 'empty', trackId };
}

export function cursorFor(grab: Grab): string {
  switch (grab.kind) {
    case 'trim-start':
    case 'trim-end':
      return 'ew-resize';
    case 'fade-in':
    case 'fade-out':
      return 'col-resize';
    case 'move':
      return 'grab';
    default:
      return 'text';
  }
}

export interface DragContext {
  edit: Edit;
  assets: Record<string, EditAsset>;
  /** Samples the pointer moved since the press. */
  delta: number;
  /** The track lane under the pointer now (a clip can be moved to another track). */
  overTrackId: string;
  /** The selected clips (a move of one of them moves them all, on their own tracks). */
  selectedClipIds: readonly string[];
  /** Sorted snap targets, or null when snapping is off. */
  targets: readonly number[] | null;
  /** Snap distance in samples. */
  threshold: number;
}

/** The operation a drag makes, as a function of the present edit (what `change` takes). */
export function dragOperation(grab: Grab, context: DragContext): ((edit: Edit) => Edit) | null {
  if (grab.kind === 'empty') return null;
  const { clip } = grab;
  const { delta, targets, threshold } = context;
  const snapPoint = (value: number) =>
    targets ? (nearestTarget(targets, value, threshold) ?? value) : value;
  switch (grab.kind) {
    case 'move': {
      const length = clipEnd(clip) - clip.timelineStart;
      let start = Math.max(0, clip.timelineStart + delta);
      if (targets) start = Math.max(0, snapSpan(targets, start, length, threshold));
      const group = context.selectedClipIds.includes(clip.id) ? context.selectedClipIds : [];
      if (group.length > 1) {
        const shift = start - clip.timelineStart;
        return (edit) => nudge(edit, { clipIds: group, deltaSamples: shift });
      }
      return (edit) =>
        move(edit, { clipId: clip.id, timelineStart: start, trackId: context.overTrackId });
    }
    case 'trim-start': {
      const newEdge = Math.max(0, snapPoint(clip.timelineStart + delta));
      return (edit) => trimStart(edit, { clipId: clip.id, newEdge });
    }
    case 'trim-end': {
      const newEdge = snapPoint(clipEnd(clip) + delta);
      const assetLength = (assetId: string) =>
        context.assets[assetId]?.durationSamples ?? Number.MAX_SAFE_INTEGER;
      return (edit) => trimEnd(edit, { clipId: clip.id, newEdge, assetLength });
    }
    case 'fade-in': {
      const at = snapPoint(clip.timelineStart + clip.fadeIn + delta);
      const fadeIn = Math.max(0, at - clip.timelineStart);
      return (edit) => setFades(edit, { clipId: clip.id, fadeIn });
    }
    case 'fade-out': {
      const at = snapPoint(clipEnd(clip) - clip.fadeOut + delta);
      const fadeOut = Math.max(0, clipEnd(clip) - at);
      return (edit) => setFades(edit, { clipId: clip.id, fadeOut });
    }
  }
}
