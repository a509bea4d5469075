import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  canRedo,
  canUndo,
  createHistory,
  historyFromJson,
  historyToJson,
  redo,
  setClipGain,
  setTrackMute,
  splitAt,
  undo,
} from '../../../src/shared/edit';
import { clip, counterIds, edit, marker, track } from './builders';
import { refusal } from './expect-refused';

const base = edit(
  [track('t1', [clip({ id: 'a' })]), track('t2', [clip({ id: 'b' })]), track('t3', [])],
  [marker('m1', 5)],
);

describe('history', () => {
  it('undoes and redoes, and a new edit drops the redo steps', () => {
    let h = createHistory(base);
    expect(canUndo(h)).toBe(false);
    const one = setClipGain(h.present, { clipId: 'a', gainDb: -3 });
    h = applyEdit(h, one);
    const two = setTrackMute(h.present, { trackId: 't2', muted: true });
    h = applyEdit(h, two);
    h = undo(h);
    expect(h.present).toBe(one);
    expect(canRedo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe(base);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(one);
    h = applyEdit(h, setClipGain(h.present, { clipId: 'b', gainDb: 2 }));
    expect(canRedo(h)).toBe(false);
    expect(redo(h)).toBe(h);
    expect(h.past).toEqual([base, one]);
  });

  it('is no step when the operation changed nothing', () => {
    const h = createHistory(base);
    expect(applyEdit(h, setClipGain(base, { clipId: 'a', gainDb: 0 }))).toBe(h);
  });

  it('shares every track an operation did not touch', () => {
    const next = setClipGain(base, { clipId: 'a', gainDb: -3 });
    expect(next.tracks[0]).not.toBe(base.tracks[0]);
    expect(next.tracks[1]).toBe(base.tracks[1]);
    expect(next.tracks[2]).toBe(base.tracks[2]);
    expect(next.markers).toBe(base.markers);
    const split = splitAt(next, { trackIds: ['t2'], position: 50, newId: counterIds() });
    expect(split.tracks[0]).toBe(next.tracks[0]);
    expect(split.tracks[2]).toBe(base.tracks[2]);
  });

  it('survives JSON with its values and its sharing', () => {
    let h = createHistory(base);
    h = applyEdit(h, setClipGain(h.present, { clipId: 'a', gainDb: -3 }));
    h = applyEdit(h, setTrackMute(h.present, { trackId: 't2', muted: true }));
    h = undo(h);
    const saved = JSON.stringify(historyToJson(h));
    const restored = historyFromJson(JSON.parse(saved));
    expect(restored).toEqual(h);
    // Each distinct track is written once: 3 at the start, then one new track per step.
    expect(historyToJson(h).tracks).toHaveLength(5);
    expect(restored.present.tracks[2]).toBe(restored.past[0]!.tracks[2]);
    expect(restored.future[0]!.tracks[0]).toBe(restored.present.tracks[0]);
  });

  it('refuses a damaged saved history with the reason', () => {
    const json = historyToJson(createHistory(base));
    expect(refusal(() => historyFromJson({ ...json, presentIndex: 3 }))).toMatch(/damaged/);
    expect(
      refusal(() => historyFromJson({ ...json, steps: [{ tracks: [9], markers: 0 }] })),
    ).toMatch(/missing track/);
    const twice = { ...json, steps: [{ tracks: [0, 0], markers: 0 }] };
    expect(refusal(() => historyFromJson(twice))).toMatch(/share the id/);
    expect(refusal(() => historyFromJson('{}'))).toMatch(/damaged/);
  });
});
