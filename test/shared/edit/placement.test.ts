import { describe, expect, it } from 'vitest';
import { move, nudge, validateEdit } from '../../../src/shared/edit';
import { clip, edit, track } from './builders';
import { refusal } from './expect-refused';

const base = edit([
  track('t1', [clip({ id: 'a', fadeOut: 20 }), clip({ id: 'b', timelineStart: 300, fadeIn: 20 })]),
  track('t2', [clip({ id: 'c', timelineStart: 150 })]),
]);

describe('move', () => {
  it('moves a clip on its track and keeps the clips sorted', () => {
    const result = move(base, { clipId: 'a', timelineStart: 500 });
    expect(result.tracks[0]!.clips.map((c) => [c.id, c.timelineStart])).toEqual([
      ['b', 300],
      ['a', 500],
    ]);
    expect(result.tracks[1]).toBe(base.tracks[1]);
    expect(validateEdit(result)).toEqual(result);
  });

  it('moves a clip to another track', () => {
    const result = move(base, { clipId: 'c', timelineStart: 100, trackId: 't1' });
    expect(result.tracks[0]!.clips.map((c) => c.id)).toEqual(['a', 'c', 'b']);
    expect(result.tracks[1]!.clips).toEqual([]);
  });

  it('allows an overlap only as a crossfade', () => {
    expect(move(base, { clipId: 'b', timelineStart: 80 }).tracks[0]!.clips[1]!.timelineStart).toBe(
      80,
    );
    expect(refusal(() => move(base, { clipId: 'b', timelineStart: 79 }))).toMatch(/crossfade/);
    expect(refusal(() => move(base, { clipId: 'c', timelineStart: 50, trackId: 't1' }))).toMatch(
      /overlap/,
    );
  });

  it('refuses negative positions and unknown clips or tracks; a no-op is the same edit', () => {
    expect(refusal(() => move(base, { clipId: 'a', timelineStart: -1 }))).toMatch(
      /before the start/,
    );
    expect(refusal(() => move(base, { clipId: 'x', timelineStart: 0 }))).toMatch(/clip/);
    expect(refusal(() => move(base, { clipId: 'a', timelineStart: 0, trackId: 'x' }))).toMatch(
      /track/,
    );
    expect(move(base, { clipId: 'a', timelineStart: 0 })).toBe(base);
  });
});

describe('nudge', () => {
  it('moves the clips together across tracks', () => {
    const result = nudge(base, { clipIds: ['b', 'c'], deltaSamples: -10 });
    expect(result.tracks[0]!.clips[1]!.timelineStart).toBe(290);
    expect(result.tracks[1]!.clips[0]!.timelineStart).toBe(140);
    expect(result.tracks[0]!.clips[0]).toBe(base.tracks[0]!.clips[0]);
  });

  it('refuses to nudge before the start, into another clip, or by a fraction', () => {
    expect(refusal(() => nudge(base, { clipIds: ['a'], deltaSamples: -1 }))).toMatch(
      /before the start/,
    );
    expect(refusal(() => nudge(base, { clipIds: ['b'], deltaSamples: -221 }))).toMatch(/overlap/);
    expect(refusal(() => nudge(base, { clipIds: ['b'], deltaSamples: 0.5 }))).toMatch(
      /whole number/,
    );
    expect(nudge(base, { clipIds: ['b'], deltaSamples: 0 })).toBe(base);
  });

  it('moves a crossfaded pair as one', () => {
    const pair = edit([
      track('t', [
        clip({ id: 'a', fadeOut: 20 }),
        clip({ id: 'b', timelineStart: 80, fadeIn: 20 }),
      ]),
    ]);
    const result = nudge(pair, { clipIds: ['a', 'b'], deltaSamples: 1000 });
    expect(result.tracks[0]!.clips.map((c) => c.timelineStart)).toEqual([1000, 1080]);
  });
});
