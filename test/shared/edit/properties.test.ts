import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMarker,
  applyEdit,
  clipLength,
  createHistory,
  deleteClips,
  type Edit,
  editLength,
  historyFromJson,
  historyToJson,
  move,
  moveMarker,
  nudge,
  redo,
  removeMarkers,
  renameMarker,
  rippleDelete,
  setClipGain,
  setFades,
  setTrackGain,
  setTrackMute,
  setTrackPan,
  setTrackSolo,
  splitAt,
  trimEnd,
  trimStart,
  undo,
  validateEdit,
} from '../../../src/shared/edit';
import { StudioError } from '../../../src/shared/errors';
import { allClips, assetLength, counterIds, editArb } from './builders';

/** An operation with its targets chosen by index, resolved against whichever edit it meets. */
const opArb = fc.oneof(
  fc.record({
    kind: fc.constant('split'),
    position: fc.nat(2_500),
    all: fc.boolean(),
    pick: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('trimStart'),
    pick: fc.nat(),
    edge: fc.integer({ min: -10, max: 2_500 }),
  }),
  fc.record({
    kind: fc.constant('trimEnd'),
    pick: fc.nat(),
    edge: fc.integer({ min: -10, max: 2_500 }),
  }),
  fc.record({
    kind: fc.constant('move'),
    pick: fc.nat(),
    start: fc.nat(2_500),
    toTrack: fc.option(fc.nat()),
  }),
  fc.record({ kind: fc.constant('delete'), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('ripple'),
    start: fc.nat(2_500),
    length: fc.integer({ min: 1, max: 800 }),
  }),
  fc.record({
    kind: fc.constant('nudge'),
    pick: fc.nat(),
    count: fc.integer({ min: 1, max: 3 }),
    delta: fc.integer({ min: -300, max: 300 }),
  }),
  fc.record({
    kind: fc.constant('gain'),
    pick: fc.nat(),
    gainDb: fc.integer({ min: -70, max: 30 }),
  }),
  fc.record({
    kind: fc.constant('fades'),
    pick: fc.nat(),
    fadeIn: fc.nat(200),
    fadeOut: fc.nat(200),
  }),
  fc.record({
    kind: fc.constant('track'),
    pick: fc.nat(),
    flag: fc.boolean(),
    value: fc.double({ min: -1.2, max: 1.2, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('marker'),
    pick: fc.nat(),
    position: fc.integer({ min: -5, max: 2_500 }),
    action: fc.nat(3),
  }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function pickOf<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

function runOp(edit: Edit, op: Op, newId: () => string): Edit {
  const clips = allClips(edit);
  const clip = 'pick' in op ? pickOf(clips, op.pick) : undefined;
  const trackPick = 'pick' in op ? pickOf(edit.tracks, op.pick) : undefined;
  switch (op.kind) {
    case 'split':
      return splitAt(edit, {
        trackIds: op.all || !trackPick ? 'all' : [trackPick.id],
        position: op.position,
        newId,
      });
    case 'trimStart':
      return clip ? trimStart(edit, { clipId: clip.id, newEdge: op.edge }) : edit;
    case 'trimEnd':
      return clip ? trimEnd(edit, { clipId: clip.id, newEdge: op.edge, assetLength }) : edit;
    case 'move': {
      if (!clip) return edit;
      const to = op.toTrack === null ? undefined : pickOf(edit.tracks, op.toTrack)?.id;
      return move(edit, { clipId: clip.id, timelineStart: op.start, trackId: to });
    }
    case 'delete':
      return clip ? deleteClips(edit, { clipIds: [clip.id] }) : edit;
    case 'ripple':
      return rippleDelete(edit, { start: op.start, end: op.start + op.length, newId });
    case 'nudge': {
      const ids = Array.from({ length: op.count }, (_, i) => pickOf(clips, op.pick + i * 7)?.id);
      return nudge(edit, { clipIds: ids.filter((id) => id !== undefined), deltaSamples: op.delta });
    }
    case 'gain':
      return clip ? setClipGain(edit, { clipId: clip.id, gainDb: op.gainDb }) : edit;
    case 'fades':
      return clip
        ? setFades(edit, { clipId: clip.id, fadeIn: op.fadeIn, fadeOut: op.fadeOut })
        : edit;
    case 'track': {
      if (!trackPick) return edit;
      const trackId = trackPick.id;
      const settings = [
        () => setTrackMute(edit, { trackId, muted: op.flag }),
        () => setTrackSolo(edit, { trackId, solo: op.flag }),
        () => setTrackGain(edit, { trackId, gainDb: op.value * 30 }),
        () => setTrackPan(edit, { trackId, pan: op.value }),
      ];
      return settings[op.pick % settings.length]!();
    }
    case 'marker': {
      const marker = pickOf(edit.markers, op.pick);
      if (op.action === 0 || !marker) {
        const id = newId();
        return addMarker(edit, { marker: { id, position: op.position, title: id, kind: 'note' } });
      }
      if (op.action === 1) return moveMarker(edit, { markerId: marker.id, position: op.position });
      if (op.action === 2)
        return renameMarker(edit, { markerId: marker.id, title: `T${op.position}` });
      return removeMarkers(edit, { markerIds: [marker.id] });
    }
  }
}

/** The result, or null where the operation refused with invalid_input (anything else fails). */
function attempt(edit: Edit, op: Op, newId: () => string): Edit | null {
  try {
    return runOp(edit, op, newId);
  } catch (error) {
    if (error instanceof StudioError && error.code === 'invalid_input') return null;
    throw error;
  }
}

const totalSource = (edit: Edit): number =>
  allClips(edit).reduce((sum, clip) => sum + clipLength(clip), 0);

describe('edit operations, for any valid edit', () => {
  it('the generator makes valid edits, crossfades included', () => {
    let crossfades = 0;
    fc.assert(
      fc.property(editArb(), (edit) => {
        validateEdit(edit);
        for (const track of edit.tracks) {
          track.clips.forEach((clip, i) => {
            const prev = track.clips[i - 1];
            if (prev && prev.timelineStart + clipLength(prev) > clip.timelineStart) crossfades++;
          });
        }
      }),
      { numRuns: 300 },
    );
    expect(crossfades).toBeGreaterThan(20);
  });

  it('every result is valid or the operation refused; undo and redo restore exactly; JSON keeps it all', () => {
    let applied = 0;
    let refused = 0;
    fc.assert(
      fc.property(editArb(), fc.array(opArb, { minLength: 1, maxLength: 25 }), (start, ops) => {
        const newId = counterIds('p');
        let history = createHistory(start);
        for (const op of ops) {
          const before = history.present;
          const snapshot = structuredClone(before);
          const next = attempt(before, op, newId);
          expect(before).toEqual(snapshot);
          if (next === null) {
            refused++;
            continue;
          }
          applied++;
          expect(() => validateEdit(next)).not.toThrow();
          if (next === before) {
            // Nothing changed: no undo step.
            expect(applyEdit(history, next)).toBe(history);
            continue;
          }
          history = applyEdit(history, next);
          const undone = undo(history);
          expect(undone.present).toEqual(snapshot);
          expect(redo(undone).present).toEqual(next);
        }
        const restored = historyFromJson(JSON.parse(JSON.stringify(historyToJson(history))));
        expect(restored).toEqual(history);
        // Undo all the way back from the restored history reaches the start.
        let back = restored;
        while (back.past.length > 0) back = undo(back);
        expect(back.present).toEqual(start);
      }),
      { numRuns: 300 },
    );
    // Both outcomes happen often enough for the property to mean something.
    expect(applied).toBeGreaterThan(1_000);
    expect(refused).toBeGreaterThan(100);
  });

  it('splitting keeps the edit length and the total source length', () => {
    fc.assert(
      fc.property(editArb(), fc.nat(2_500), (edit, position) => {
        const split = attempt(edit, { kind: 'split', position, all: true, pick: 0 }, counterIds());
        if (split === null) return;
        expect(editLength(split)).toBe(editLength(edit));
        expect(totalSource(split)).toBe(totalSource(edit));
        const under = allClips(edit).filter(
          (c) => c.timelineStart < position && position < c.timelineStart + clipLength(c),
        ).length;
        expect(allClips(split)).toHaveLength(allClips(edit).length + under);
      }),
      { numRuns: 500 },
    );
  });

  it('ripple delete of [a, b) with b before the end shortens the edit by exactly b - a', () => {
    const check = (edit: Edit, a: number, b: number, mayRefuse: boolean): void => {
      // Inside means ending before the edit does: a range that takes the end of the edit can
      // also take the silence before it, and the edit then ends at the last clip left.
      const length = editLength(edit);
      if (length < 2) return;
      const start = a % (length - 1);
      const end = start + 1 + (b % (length - 1 - start));
      const result = attempt(edit, { kind: 'ripple', start, length: end - start }, counterIds());
      if (result === null) {
        expect(mayRefuse).toBe(true);
        return;
      }
      expect(editLength(result)).toBe(length - (end - start));
    };
    fc.assert(
      fc.property(editArb({ crossfades: false }), fc.nat(), fc.nat(), (edit, a, b) =>
        check(edit, a, b, false),
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(editArb(), fc.nat(), fc.nat(), (edit, a, b) => check(edit, a, b, true)),
      { numRuns: 500 },
    );
  });

  it('moving a clip and moving it back gives the same edit', () => {
    fc.assert(
      fc.property(editArb(), fc.nat(), fc.nat(2_500), fc.nat(), (edit, pick, start, to) => {
        const clip = pickOf(allClips(edit), pick);
        if (!clip) return;
        const home = edit.tracks.find((t) => t.clips.includes(clip))!.id;
        const trackId = pickOf(edit.tracks, to)!.id;
        const moved = attempt(edit, { kind: 'move', pick, start, toTrack: to }, counterIds());
        if (moved === null) return;
        expect(
          moved.tracks.find((t) => t.id === trackId)!.clips.some((c) => c.id === clip.id),
        ).toBe(true);
        const back = move(moved, {
          clipId: clip.id,
          timelineStart: clip.timelineStart,
          trackId: home,
        });
        expect(back).toEqual(edit);
      }),
      { numRuns: 500 },
    );
  });
});
