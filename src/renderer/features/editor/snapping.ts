import { clipEnd, type Edit } from '../../../shared/edit';

/**
 * Where a dragged edge or playhead may snap: clip edges on every track, markers, the playhead, the
 * start of the episode, and the edges of silences (see silence.ts). Sorted, without duplicates.
 */
export function snapTargets(
  edit: Edit,
  extra: { playhead: number; excludeClipIds?: ReadonlySet<string>; silenceEdges?: number[] },
): number[] {
  const points = [0, extra.playhead, ...(extra.silenceEdges ?? [])];
  for (const track of edit.tracks) {
    for (const clip of track.clips) {
      if (extra.excludeClipIds?.has(clip.id)) continue;
      points.push(clip.timelineStart, clipEnd(clip));
    }
  }
  for (const marker of edit.markers) points.push(marker.position);
  points.sort((a, b) => a - b);
  return points.filter((p, i) => i === 0 || p !== points[i - 1]);
}

/** The target nearest to `value` if it is within `threshold` samples, else null. */
export function nearestTarget(
  targets: readonly number[],
  value: number,
  threshold: number,
): number | null {
  let lo = 0;
  let hi = targets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (targets[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  let best: number | null = null;
  for (const i of [lo - 1, lo]) {
    const target = targets[i];
    if (target === undefined) continue;
    const distance = Math.abs(target - value);
    if (distance <= threshold && (best === null || distance < Math.abs(best - value)))
      best = target;
  }
  return best;
}

/**
 * Snaps a moved span (a clip being dragged): whichever of its two edges is nearer a target moves
 * onto it. Returns the span's new start.
 */
export function snapSpan(
  targets: readonly number[],
  start: number,
  length: number,
  threshold: number,
): number {
  const atStart = nearestTarget(targets, start, threshold);
  const atEnd = nearestTarget(targets, start + length, threshold);
  if (atStart === null && atEnd === null) return start;
  if (atEnd === null) return atStart!;
  if (atStart === null) return atEnd - length;
  return Math.abs(atStart - start) <= Math.abs(atEnd - (start + length)) ? atStart : atEnd - length;
}
