import { describe, expect, it } from 'vitest';
import { editLength, editProblems, validateEdit } from '../../../src/shared/edit';
import { clip, edit, marker, track } from './builders';
import { refusal } from './expect-refused';

const problemOf = (value: unknown): string => refusal(() => validateEdit(value));

describe('validateEdit', () => {
  it('accepts a valid edit and returns it typed', () => {
    const e = edit(
      [track('t1', [clip({ id: 'c1' }), clip({ id: 'c2', timelineStart: 100 })])],
      [marker('m1', 0), marker('m2', 50)],
    );
    expect(validateEdit(e)).toEqual(e);
    expect(editProblems(e)).toEqual([]);
  });

  it('accepts a crossfade within both fades', () => {
    const a = clip({ id: 'a', fadeOut: 20 });
    const b = clip({ id: 'b', timelineStart: 80, fadeIn: 20 });
    expect(() => validateEdit(edit([track('t', [a, b])]))).not.toThrow();
  });

  it('refuses an overlap longer than either fade', () => {
    const a = clip({ id: 'a', fadeOut: 20 });
    const b = clip({ id: 'b', timelineStart: 79, fadeIn: 30 });
    expect(problemOf(edit([track('t', [a, b])]))).toMatch(/overlap .* crossfade/);
    const c = clip({ id: 'c', timelineStart: 79, fadeIn: 10 });
    expect(problemOf(edit([track('t', [clip({ id: 'a', fadeOut: 30 }), c])]))).toMatch(/overlap/);
  });

  it('refuses a clip inside another, even within the fades', () => {
    const a = clip({ id: 'a', fadeOut: 50 });
    const inside = clip({ id: 'b', timelineStart: 60, sourceOut: 40, fadeIn: 40 });
    expect(problemOf(edit([track('t', [a, inside])]))).toMatch(/overlap/);
  });

  it('refuses unsorted clips, two clips at one start, and duplicate ids', () => {
    const late = clip({ id: 'b', timelineStart: 200 });
    expect(problemOf(edit([track('t', [late, clip({ id: 'a' })])]))).toMatch(/out of order/);
    expect(problemOf(edit([track('t', [clip({ id: 'a' }), clip({ id: 'b' })])]))).toMatch(
      /overlap/,
    );
    const twice = edit([track('t1', [clip({ id: 'a' })]), track('t2', [clip({ id: 'a' })])]);
    expect(problemOf(twice)).toMatch(/share the id a/);
    expect(problemOf(edit([track('t', []), track('t', [])]))).toMatch(/tracks share/);
    expect(problemOf(edit([], [marker('m', 5), marker('m', 6)]))).toMatch(/markers share/);
  });

  it('refuses markers out of order', () => {
    expect(problemOf(edit([], [marker('m1', 50), marker('m2', 10)]))).toMatch(/out of order/);
  });

  it('refuses empty clips, fades longer than the clip, negatives and fractions', () => {
    expect(problemOf(edit([track('t', [clip({ id: 'a', sourceOut: 0 })])]))).toMatch(/one sample/);
    const fades = clip({ id: 'a', fadeIn: 60, fadeOut: 41 });
    expect(problemOf(edit([track('t', [fades])]))).toMatch(/fades longer/);
    expect(problemOf(edit([track('t', [clip({ id: 'a', timelineStart: -1 })])]))).toMatch(
      /timelineStart/,
    );
    expect(problemOf(edit([track('t', [clip({ id: 'a', sourceIn: 0.5 })])]))).toMatch(/sourceIn/);
    expect(problemOf(edit([], [marker('m', 1.5)]))).toMatch(/position/);
  });

  it('refuses other versions, rates and out-of-range settings', () => {
    expect(problemOf({ ...edit([]), version: 2 })).toMatch(/version/);
    expect(problemOf({ ...edit([]), sampleRate: 44_100 })).toMatch(/sampleRate/);
    expect(problemOf(edit([track('t', [], { pan: 1.5 })]))).toMatch(/pan/);
    expect(problemOf(edit([track('t', [clip({ id: 'a', gainDb: 30 })])]))).toMatch(/gainDb/);
    expect(problemOf(edit([], [{ ...marker('m', 0), url: 'javascript:alert(1)' }]))).toMatch(/url/);
    expect(problemOf('not an edit')).toMatch(/not valid/);
  });

  it('lists every problem for a report', () => {
    const bad = edit([
      track('t', [clip({ id: 'a', sourceIn: -1 }), clip({ id: 'b', gainDb: 99 })]),
    ]);
    expect(editProblems(bad).length).toBeGreaterThanOrEqual(2);
  });
});

describe('editLength', () => {
  it('is the end of the last clip on any track, 0 when empty', () => {
    expect(editLength(edit([]))).toBe(0);
    const e = edit([
      track('t1', [clip({ id: 'a', timelineStart: 500 })]),
      track('t2', [clip({ id: 'b', timelineStart: 10, sourceIn: 5, sourceOut: 1000 })]),
    ]);
    expect(editLength(e)).toBe(1005);
  });
});
