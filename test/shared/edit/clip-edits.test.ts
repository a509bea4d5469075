import { describe, expect, it } from 'vitest';
import {
  addClip,
  deleteClips,
  editLength,
  fadeBounds,
  setClipGain,
  setFades,
  splitAt,
  trimEnd,
  trimStart,
  validateEdit,
} from '../../../src/shared/edit';
import { clip, counterIds, edit, track } from './builders';
import { refusal } from './expect-refused';

const assetLength = (): number => 1_000;

describe('splitAt', () => {
  const base = edit([
    track('t1', [
      clip({ id: 'a', sourceIn: 10, sourceOut: 110, fadeIn: 20, fadeOut: 30, gainDb: -3 }),
    ]),
    track('t2', [clip({ id: 'b', timelineStart: 40 })]),
  ]);

  it('splits every clip under the playhead on the chosen tracks', () => {
    const result = splitAt(base, { trackIds: 'all', position: 50, newId: counterIds() });
    expect(result.tracks[0]!.clips).toEqual([
      clip({ id: 'a', sourceIn: 10, sourceOut: 60, fadeIn: 20, fadeOut: 0, gainDb: -3 }),
      clip({
        id: 'new-1',
        sourceIn: 60,
        sourceOut: 110,
        timelineStart: 50,
        fadeOut: 30,
        gainDb: -3,
      }),
    ]);
    expect(
      result.tracks[1]!.clips.map((c) => [c.id, c.timelineStart, c.sourceIn, c.sourceOut]),
    ).toEqual([
      ['b', 40, 0, 10],
      ['new-2', 50, 10, 100],
    ]);
    expect(editLength(result)).toBe(editLength(base));
    expect(validateEdit(result)).toEqual(result);
  });

  it('leaves tracks that were not chosen, and their identity', () => {
    const result = splitAt(base, { trackIds: ['t2'], position: 50, newId: counterIds() });
    expect(result.tracks[0]).toBe(base.tracks[0]);
    expect(result.tracks[1]!.clips).toHaveLength(2);
  });

  it('does nothing at a clip edge or in a gap', () => {
    expect(splitAt(base, { trackIds: ['t1'], position: 0 })).toBe(base);
    expect(splitAt(base, { trackIds: ['t1'], position: 100 })).toBe(base);
    expect(splitAt(base, { trackIds: 'all', position: 500 })).toBe(base);
  });

  it('ends a fade the cut falls inside at the cut', () => {
    const result = splitAt(base, { trackIds: ['t1'], position: 10, newId: counterIds() });
    expect(result.tracks[0]!.clips[0]).toMatchObject({ fadeIn: 10, fadeOut: 0, sourceOut: 20 });
  });

  it('refuses a split inside a crossfade, edges included', () => {
    const xf = edit([
      track('t', [
        clip({ id: 'a', fadeOut: 20 }),
        clip({ id: 'b', timelineStart: 80, fadeIn: 20 }),
      ]),
    ]);
    for (const position of [80, 90, 100]) {
      expect(refusal(() => splitAt(xf, { trackIds: 'all', position }))).toMatch(/crossfade/);
    }
    expect(
      splitAt(xf, { trackIds: 'all', position: 79, newId: counterIds() }).tracks[0]!.clips,
    ).toHaveLength(3);
  });

  it('refuses unknown tracks and bad positions', () => {
    expect(refusal(() => splitAt(base, { trackIds: ['nope'], position: 5 }))).toMatch(/track/);
    expect(refusal(() => splitAt(base, { trackIds: 'all', position: -1 }))).toMatch(
      /before the start/,
    );
    expect(refusal(() => splitAt(base, { trackIds: 'all', position: 1.5 }))).toMatch(
      /whole number/,
    );
  });

  it('does not change its input', () => {
    const copy = structuredClone(base);
    splitAt(base, { trackIds: 'all', position: 50 });
    expect(base).toEqual(copy);
  });
});

describe('trimStart and trimEnd', () => {
  const base = edit([
    track('t', [
      clip({ id: 'a', sourceIn: 100, sourceOut: 200, timelineStart: 50, fadeIn: 30, fadeOut: 30 }),
      clip({ id: 'b', timelineStart: 300 }),
    ]),
  ]);

  it('moves the start edge and keeps the audio in place', () => {
    const later = trimStart(base, { clipId: 'a', newEdge: 70 });
    expect(later.tracks[0]!.clips[0]).toMatchObject({
      sourceIn: 120,
      sourceOut: 200,
      timelineStart: 70,
    });
    const earlier = trimStart(base, { clipId: 'a', newEdge: 0 });
    expect(earlier.tracks[0]!.clips[0]).toMatchObject({ sourceIn: 50, timelineStart: 0 });
  });

  it('shrinks fades to fit, the trimmed side first', () => {
    const short = trimStart(base, { clipId: 'a', newEdge: 110 });
    expect(short.tracks[0]!.clips[0]).toMatchObject({ fadeIn: 10, fadeOut: 30 });
    const tiny = trimEnd(base, { clipId: 'a', newEdge: 60, assetLength });
    expect(tiny.tracks[0]!.clips[0]).toMatchObject({ sourceOut: 110, fadeIn: 10, fadeOut: 0 });
  });

  it('is bounded by the recording and by one sample', () => {
    expect(refusal(() => trimStart(base, { clipId: 'a', newEdge: 150 }))).toMatch(
      /shorter than one sample/,
    );
    expect(refusal(() => trimStart(base, { clipId: 'b', newEdge: 299 }))).toMatch(
      /recording starts/,
    );
    expect(refusal(() => trimEnd(base, { clipId: 'a', newEdge: 50, assetLength }))).toMatch(
      /one sample/,
    );
    expect(refusal(() => trimEnd(base, { clipId: 'b', newEdge: 1301, assetLength }))).toMatch(
      /recording ends/,
    );
    expect(
      trimEnd(base, { clipId: 'b', newEdge: 1300, assetLength }).tracks[0]!.clips[1]!.sourceOut,
    ).toBe(1000);
  });

  it('refuses a trim into the next clip', () => {
    expect(refusal(() => trimEnd(base, { clipId: 'a', newEdge: 301, assetLength }))).toMatch(
      /overlap/,
    );
    expect(
      trimEnd(base, { clipId: 'a', newEdge: 300, assetLength }).tracks[0]!.clips[0]!.sourceOut,
    ).toBe(350);
  });
});

describe('setClipGain, setFades, fadeBounds', () => {
  const base = edit([
    track('t', [
      clip({ id: 'a', fadeOut: 20 }),
      clip({ id: 'b', timelineStart: 90, fadeIn: 20, fadeOut: 5 }),
    ]),
  ]);

  it('sets the gain within -60..+24 dB', () => {
    expect(setClipGain(base, { clipId: 'a', gainDb: -6.5 }).tracks[0]!.clips[0]!.gainDb).toBe(-6.5);
    expect(setClipGain(base, { clipId: 'a', gainDb: 0 })).toBe(base);
    expect(refusal(() => setClipGain(base, { clipId: 'a', gainDb: 25 }))).toMatch(
      /between -60 and 24/,
    );
    expect(refusal(() => setClipGain(base, { clipId: 'a', gainDb: Number.NaN }))).toMatch(
      /between/,
    );
    expect(refusal(() => setClipGain(base, { clipId: 'zz', gainDb: 0 }))).toMatch(
      /no longer in the edit/,
    );
  });

  it('sets fades within the clip and not below a crossfade', () => {
    expect(fadeBounds(base, 'b')).toEqual({
      fadeIn: { min: 10, max: 95 },
      fadeOut: { min: 0, max: 80 },
    });
    const set = setFades(base, { clipId: 'b', fadeIn: 10, fadeOut: 90 });
    expect(set.tracks[0]!.clips[1]).toMatchObject({ fadeIn: 10, fadeOut: 90 });
    expect(refusal(() => setFades(base, { clipId: 'b', fadeIn: 9 }))).toMatch(
      /crossfade with the clip before/,
    );
    expect(refusal(() => setFades(base, { clipId: 'a', fadeOut: 9 }))).toMatch(
      /crossfade with the clip after/,
    );
    expect(refusal(() => setFades(base, { clipId: 'b', fadeIn: 50, fadeOut: 51 }))).toMatch(
      /longer than the clip/,
    );
    expect(refusal(() => setFades(base, { clipId: 'b', fadeIn: -1 }))).toMatch(/fade-in/);
  });
});

describe('deleteClips and addClip', () => {
  const base = edit([
    track('t1', [clip({ id: 'a' }), clip({ id: 'b', timelineStart: 200 })]),
    track('t2', []),
  ]);

  it('deletes and leaves the gap, other tracks untouched', () => {
    const result = deleteClips(base, { clipIds: ['a'] });
    expect(result.tracks[0]!.clips.map((c) => c.id)).toEqual(['b']);
    expect(result.tracks[0]!.clips[0]).toBe(base.tracks[0]!.clips[1]);
    expect(result.tracks[1]).toBe(base.tracks[1]);
    expect(deleteClips(base, { clipIds: [] })).toBe(base);
    expect(refusal(() => deleteClips(base, { clipIds: ['a', 'gone'] }))).toMatch(/no longer/);
  });

  it('adds a clip in order where it fits', () => {
    const added = addClip(base, { trackId: 't1', clip: clip({ id: 'c', timelineStart: 100 }) });
    expect(added.tracks[0]!.clips.map((c) => c.id)).toEqual(['a', 'c', 'b']);
    expect(
      refusal(() => addClip(base, { trackId: 't1', clip: clip({ id: 'c', timelineStart: 150 }) })),
    ).toMatch(/overlap/);
    expect(refusal(() => addClip(base, { trackId: 't2', clip: clip({ id: 'a' }) }))).toMatch(
      /already/,
    );
    expect(
      refusal(() => addClip(base, { trackId: 't2', clip: clip({ id: 'x', sourceOut: 0 }) })),
    ).toMatch(/not valid/);
  });
});
