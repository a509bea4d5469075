import { describe, expect, it } from 'vitest';
import { editLength, rippleDelete, validateEdit } from '../../../src/shared/edit';
import { clip, counterIds, edit, marker, track } from './builders';
import { refusal } from './expect-refused';

describe('rippleDelete', () => {
  const base = edit(
    [
      track('t1', [
        clip({ id: 'a', sourceOut: 100, fadeIn: 10, fadeOut: 10 }),
        clip({ id: 'b', timelineStart: 150, sourceIn: 0, sourceOut: 100, fadeIn: 30, fadeOut: 30 }),
      ]),
      track('t2', [clip({ id: 'c', timelineStart: 0, sourceOut: 400, fadeIn: 5, fadeOut: 5 })]),
      track('t3', [clip({ id: 'd', sourceOut: 50 })]),
    ],
    [marker('m1', 40), marker('m2', 120), marker('m3', 200), marker('m4', 300)],
  );
  const cut = rippleDelete(base, { start: 80, end: 180, newId: counterIds() });

  it('cuts clips at the edges, drops what is inside, and closes the gap', () => {
    expect(cut.tracks[0]!.clips).toEqual([
      clip({ id: 'a', sourceOut: 80, fadeIn: 10, fadeOut: 0 }),
      clip({ id: 'b', timelineStart: 80, sourceIn: 30, sourceOut: 100, fadeIn: 0, fadeOut: 30 }),
    ]);
    expect(editLength(cut)).toBe(editLength(base) - 100);
    expect(validateEdit(cut)).toEqual(cut);
  });

  it('makes two clips of one that spans the range, meeting at its start', () => {
    expect(cut.tracks[1]!.clips).toEqual([
      clip({ id: 'c', sourceOut: 80, fadeIn: 5, fadeOut: 0 }),
      clip({
        id: 'new-1',
        timelineStart: 80,
        sourceIn: 180,
        sourceOut: 400,
        fadeIn: 0,
        fadeOut: 5,
      }),
    ]);
  });

  it('leaves tracks that end before the range as they were', () => {
    expect(cut.tracks[2]).toBe(base.tracks[2]);
  });

  it('drops markers inside the range and moves later ones', () => {
    expect(cut.markers.map((m) => [m.id, m.position])).toEqual([
      ['m1', 40],
      ['m3', 100],
      ['m4', 200],
    ]);
  });

  it('is the same edit when nothing lies at or after the range', () => {
    expect(rippleDelete(base, { start: 1_000, end: 2_000 })).toBe(base);
  });

  it('refuses an empty or negative range', () => {
    expect(refusal(() => rippleDelete(base, { start: 5, end: 5 }))).toMatch(/Select a range/);
    expect(refusal(() => rippleDelete(base, { start: -5, end: 5 }))).toMatch(/before the start/);
  });

  it('refuses an edge inside a crossfade', () => {
    const xf = edit([
      track('t', [
        clip({ id: 'a', fadeOut: 20 }),
        clip({ id: 'b', timelineStart: 80, fadeIn: 20 }),
      ]),
    ]);
    expect(refusal(() => rippleDelete(xf, { start: 90, end: 150 }))).toMatch(/crossfade/);
    expect(refusal(() => rippleDelete(xf, { start: 100, end: 150 }))).toMatch(/crossfade/);
    expect(refusal(() => rippleDelete(xf, { start: 10, end: 90 }))).toMatch(/crossfade/);
    // Removing the whole crossfade is fine.
    expect(editLength(rippleDelete(xf, { start: 70, end: 110 }))).toBe(140);
  });
});
