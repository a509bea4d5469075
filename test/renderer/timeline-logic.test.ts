import { describe, expect, it } from 'vitest';
import {
  type DragContext,
  dragOperation,
  type Grab,
  grabAt,
} from '../../src/renderer/features/editor/lane-gestures';
import { nearestTarget, snapSpan, snapTargets } from '../../src/renderer/features/editor/snapping';
import {
  EDGE_GRAB_PX,
  FADE_BAND_PX,
  formatTimecode,
  rulerStep,
  sampleToX,
  xToSample,
} from '../../src/renderer/features/editor/timeline-geometry';
import type { TimelineView } from '../../src/renderer/state/editor';
import type { EditAsset } from '../../src/shared/domain';
import { type Clip, clipEnd, type Edit } from '../../src/shared/edit';
import { StudioError } from '../../src/shared/errors';
import { clip, edit, marker, track } from '../shared/edit/builders';

// The timeline's pure parts: snapping, what a press grabs and what a drag does, and the geometry
// between samples and pixels. The e2e spec (e2e/timeline.spec.ts) drives the canvas itself.

/** 100 samples a pixel, from the start of the episode. */
const view: TimelineView = { start: 0, samplesPerPixel: 100, width: 1000 };

// t1: a [1000, 11000) with fades (handles at x 30 and 100), b [20000, 25000), d (narrow) at 40000.
// t2: c [5000, 12000).
const a = clip({
  id: 'a',
  assetId: 'long',
  sourceIn: 0,
  sourceOut: 10_000,
  timelineStart: 1000,
  fadeIn: 2000,
  fadeOut: 1000,
});
const b = clip({ id: 'b', assetId: 'long', sourceIn: 0, sourceOut: 5000, timelineStart: 20_000 });
const d = clip({ id: 'd', assetId: 'long', sourceIn: 0, sourceOut: 1500, timelineStart: 40_000 });
const c = clip({ id: 'c', assetId: 'long', sourceIn: 0, sourceOut: 7000, timelineStart: 5000 });
const base: Edit = edit(
  [track('t1', [a, b, d]), track('t2', [c])],
  [marker('m1', 30_000), marker('m2', 31_000)],
);
const assets: Record<string, EditAsset> = {
  long: {
    id: 'long',
    name: 'long.wav',
    channels: 1,
    sampleRate: 48_000,
    durationSamples: 60_000,
    offline: false,
  },
};

const clipById = (e: Edit, id: string): Clip | undefined =>
  e.tracks.flatMap((t) => t.clips).find((x) => x.id === id);
const trackOf = (e: Edit, id: string): string | undefined =>
  e.tracks.find((t) => t.clips.some((x) => x.id === id))?.id;

function context(fields: Partial<DragContext> = {}): DragContext {
  return {
    edit: base,
    assets,
    delta: 0,
    overTrackId: 't1',
    selectedClipIds: [],
    targets: null,
    threshold: 800,
    ...fields,
  };
}

/** Runs the drag's operation on the edit it started from. */
function dragged(grab: Grab, fields: Partial<DragContext> = {}): Edit {
  const operation = dragOperation(grab, context(fields));
  if (!operation) throw new Error('expected an operation');
  return operation(base);
}

const grabOf = (kind: Exclude<Grab['kind'], 'empty'>, target: Clip, trackId = 't1'): Grab => ({
  kind,
  clip: target,
  trackId,
});

describe('snapTargets', () => {
  it('lists clip edges, markers, the playhead, silences and 0, sorted and without duplicates', () => {
    const targets = snapTargets(base, { playhead: 5000, silenceEdges: [33_000, 1000] });
    expect(targets).toEqual([
      0, 1000, 5000, 11_000, 12_000, 20_000, 25_000, 30_000, 31_000, 33_000, 40_000, 41_500,
    ]);
  });

  it('leaves out the clips being dragged', () => {
    const targets = snapTargets(base, { playhead: 0, excludeClipIds: new Set(['a', 'd']) });
    expect(targets).toEqual([0, 5000, 12_000, 20_000, 25_000, 30_000, 31_000]);
  });
});

describe('nearestTarget', () => {
  const targets = [0, 100, 200];

  it('finds the nearest target within the threshold, else null', () => {
    expect(nearestTarget(targets, 130, 50)).toBe(100);
    expect(nearestTarget(targets, 170, 50)).toBe(200);
    expect(nearestTarget(targets, 100, 0)).toBe(100);
    expect(nearestTarget(targets, 260, 60)).toBe(200);
    expect(nearestTarget(targets, -5, 10)).toBe(0);
    expect(nearestTarget(targets, 150, 49)).toBeNull();
    expect(nearestTarget(targets, 261, 60)).toBeNull();
    expect(nearestTarget([], 10, 100)).toBeNull();
  });

  it('takes the earlier target on a tie', () => {
    expect(nearestTarget(targets, 150, 50)).toBe(100);
    expect(nearestTarget(targets, 50, 50)).toBe(0);
  });
});

describe('snapSpan', () => {
  const targets = [0, 1000, 5000];

  it('moves the nearer edge onto its target', () => {
    // Start 50 from 1000, end (4990) 10 from 5000: the end wins.
    expect(snapSpan(targets, 950, 4040, 100)).toBe(5000 - 4040);
    // Start 10 from 1000, end (5040) 40 from 5000: the start wins.
    expect(snapSpan(targets, 1010, 4030, 100)).toBe(1000);
    // A tie goes to the start.
    expect(snapSpan(targets, 980, 4000, 100)).toBe(1000);
  });

  it('snaps by the one edge in reach, or not at all', () => {
    expect(snapSpan(targets, 1040, 10_000, 100)).toBe(1000);
    expect(snapSpan(targets, 3000, 1950, 100)).toBe(5000 - 1950);
    expect(snapSpan(targets, 2000, 1000, 100)).toBe(2000);
  });
});

describe('grabAt', () => {
  const at = (x: number, y = 50, trackId = 't1') => {
    const grab = grabAt(base, trackId, view, x, y);
    return grab.kind === 'empty' ? 'empty' : `${grab.kind}:${grab.clip.id}:${grab.trackId}`;
  };

  it('grabs a clip by its body to move it', () => {
    expect(at(60)).toBe('move:a:t1');
    expect(at(31)).toBe('move:a:t1'); // below the fade band, a fade handle is body
    expect(at(225)).toBe('move:b:t1');
    expect(at(100, 50, 't2')).toBe('move:c:t2');
  });

  it('grabs an edge within EDGE_GRAB_PX of it, on either side', () => {
    expect(at(10)).toBe('trim-start:a:t1');
    expect(at(10 - EDGE_GRAB_PX)).toBe('trim-start:a:t1');
    expect(at(10 + EDGE_GRAB_PX)).toBe('trim-start:a:t1');
    expect(at(10 - EDGE_GRAB_PX - 1)).toBe('empty');
    expect(at(110)).toBe('trim-end:a:t1');
    expect(at(110 + EDGE_GRAB_PX)).toBe('trim-end:a:t1');
    expect(at(110 + EDGE_GRAB_PX + 1)).toBe('empty');
    expect(at(200 - 3)).toBe('trim-start:b:t1');
  });

  it('grabs the fade handles in the band at the top of a wide enough clip', () => {
    expect(at(30, 5)).toBe('fade-in:a:t1');
    expect(at(30 + EDGE_GRAB_PX, FADE_BAND_PX)).toBe('fade-in:a:t1');
    expect(at(100, 0)).toBe('fade-out:a:t1');
    expect(at(30, FADE_BAND_PX + 1)).toBe('move:a:t1');
    // Away from the handles the band is the clip's body and edges.
    expect(at(60, 5)).toBe('move:a:t1');
    expect(at(11, 5)).toBe('trim-start:a:t1');
    // A clip without fades has its handles at its edges.
    expect(at(201, 5)).toBe('fade-in:b:t1');
    expect(at(249, 5)).toBe('fade-out:b:t1');
    // Too narrow (15 px) for handles: the band trims.
    expect(at(400, 5)).toBe('trim-start:d:t1');
    expect(at(415, 5)).toBe('trim-end:d:t1');
  });

  it('grabs nothing in empty lane space or on an unknown track', () => {
    expect(at(150)).toBe('empty');
    expect(at(900)).toBe('empty');
    expect(at(20, 50, 't2')).toBe('empty');
    expect(grabAt(base, 'gone', view, 60, 50)).toEqual({ kind: 'empty', trackId: 'gone' });
  });

  it('follows the view', () => {
    const scrolled: TimelineView = { start: 20_000, samplesPerPixel: 50, width: 1000 };
    expect(grabAt(base, 't1', scrolled, 50, 50)).toMatchObject({ kind: 'move', clip: b });
  });
});

describe('dragOperation', () => {
  it('makes nothing for a drag over empty space', () => {
    expect(dragOperation({ kind: 'empty', trackId: 't1' }, context({ delta: 500 }))).toBeNull();
  });

  it('moves a clip by the drag, not before the start', () => {
    expect(clipById(dragged(grabOf('move', a), { delta: 500 }), 'a')?.timelineStart).toBe(1500);
    expect(clipById(dragged(grabOf('move', a), { delta: -5000 }), 'a')?.timelineStart).toBe(0);
    // Not snapping: 120 from the start is where it lands.
    expect(
      clipById(dragged(grabOf('move', a), { delta: -880, targets: null }), 'a')?.timelineStart,
    ).toBe(120);
  });

  it('snaps a moved clip by its nearer edge', () => {
    const targets = snapTargets(base, { playhead: 0, excludeClipIds: new Set(['a']) });
    // Start 4900 is 100 from c's start (5000); the end (14900) is near nothing.
    expect(clipById(dragged(grabOf('move', a), { delta: 3900, targets }), 'a')?.timelineStart).toBe(
      5000,
    );
    // Within 800 of 0: to the start.
    expect(clipById(dragged(grabOf('move', a), { delta: -300, targets }), 'a')?.timelineStart).toBe(
      0,
    );
  });

  it('moves a clip to another track, snapping its end', () => {
    const targets = snapTargets(base, { playhead: 0, excludeClipIds: new Set(['a']) });
    // Start 20950 (950 from b's start, out of reach), end 30950 (50 from the marker at 31000).
    const moved = dragged(grabOf('move', a), { delta: 19_950, targets, overTrackId: 't2' });
    expect(trackOf(moved, 'a')).toBe('t2');
    expect(clipById(moved, 'a')?.timelineStart).toBe(21_000);
    expect(moved.tracks[1]!.clips.map((x) => x.id)).toEqual(['c', 'a']);
    expect(moved.tracks[0]!.clips.map((x) => x.id)).toEqual(['b', 'd']);
  });

  it('moves the selected clips together, each on its own track', () => {
    const moved = dragged(grabOf('move', a), {
      delta: 500,
      selectedClipIds: ['a', 'c'],
      overTrackId: 't2',
    });
    expect(clipById(moved, 'a')?.timelineStart).toBe(1500);
    expect(clipById(moved, 'c')?.timelineStart).toBe(5500);
    expect(trackOf(moved, 'a')).toBe('t1');
    expect(trackOf(moved, 'c')).toBe('t2');
    expect(clipById(moved, 'b')).toBe(b);
  });

  it('moves only the grabbed clip when it is not among the selected', () => {
    const moved = dragged(grabOf('move', b), { delta: 1000, selectedClipIds: ['a', 'c'] });
    expect(clipById(moved, 'b')?.timelineStart).toBe(21_000);
    expect(clipById(moved, 'a')).toBe(a);
    expect(clipById(moved, 'c')).toBe(c);
  });

  it('refuses a move onto another clip: the operation throws', () => {
    const onto = dragOperation(grabOf('move', b), context({ delta: -15_000 }));
    expect(onto).not.toBeNull();
    expect(() => onto!(base)).toThrow(StudioError);
    const ontoOtherTrack = dragOperation(
      grabOf('move', b),
      context({ delta: -14_000, overTrackId: 't2' }),
    );
    expect(() => ontoOtherTrack!(base)).toThrow(StudioError);
    // A group move that would push a clip onto another.
    const group = dragOperation(
      grabOf('move', a),
      context({ delta: 9500, selectedClipIds: ['a', 'd'] }),
    );
    expect(() => group!(base)).toThrow(StudioError);
    // Right up against b is no overlap.
    const touching = dragOperation(
      grabOf('move', a),
      context({ delta: 9000, selectedClipIds: ['a', 'd'] }),
    );
    expect(clipEnd(clipById(touching!(base), 'a')!)).toBe(20_000);
  });

  it('trims the start, keeping the audio in place', () => {
    const trimmed = clipById(dragged(grabOf('trim-start', a), { delta: 500 }), 'a')!;
    expect(trimmed).toMatchObject({ timelineStart: 1500, sourceIn: 500, sourceOut: 10_000 });
    // Snaps the edge to c's start (5000) from 4700.
    const targets = snapTargets(base, { playhead: 0, excludeClipIds: new Set(['a']) });
    const snapped = clipById(dragged(grabOf('trim-start', a), { delta: 3700, targets }), 'a')!;
    expect(snapped).toMatchObject({ timelineStart: 5000, sourceIn: 4000 });
    // Before the recording's start: refused.
    const early = dragOperation(grabOf('trim-start', a), context({ delta: -500 }));
    expect(() => early!(base)).toThrow(StudioError);
  });

  it('trims the end up to the recording', () => {
    const trimmed = clipById(dragged(grabOf('trim-end', a), { delta: -1000 }), 'a')!;
    expect(trimmed).toMatchObject({ timelineStart: 1000, sourceOut: 9000 });
    expect(clipEnd(trimmed)).toBe(10_000);
    const longer = clipById(dragged(grabOf('trim-end', b), { delta: 3000 }), 'b')!;
    expect(clipEnd(longer)).toBe(28_000);
    // d's recording is 60000 long: its end can reach 100000, not more.
    const far = dragOperation(grabOf('trim-end', d), context({ delta: 58_501 }));
    expect(() => far!(base)).toThrow(/recording ends/);
  });

  it('drags the fade handles', () => {
    expect(clipById(dragged(grabOf('fade-in', a), { delta: 1000 }), 'a')).toMatchObject({
      fadeIn: 3000,
      fadeOut: 1000,
    });
    expect(clipById(dragged(grabOf('fade-out', a), { delta: -500 }), 'a')).toMatchObject({
      fadeIn: 2000,
      fadeOut: 1500,
    });
    // Dragged past the clip's start: no fade, not a negative one.
    expect(clipById(dragged(grabOf('fade-in', a), { delta: -9000 }), 'a')?.fadeIn).toBe(0);
    // Fades that would cross each other are refused.
    const tooLong = dragOperation(grabOf('fade-in', a), context({ delta: 7500 }));
    expect(() => tooLong!(base)).toThrow(/fades together/);
  });
});

describe('timeline geometry', () => {
  it('turns samples into pixels and back', () => {
    const views: TimelineView[] = [
      view,
      { start: 48_000, samplesPerPixel: 4800, width: 800 },
      { start: 12_345, samplesPerPixel: 1 / 16, width: 800 },
      { start: 7, samplesPerPixel: 37.5, width: 800 },
    ];
    for (const v of views) {
      expect(sampleToX(v, v.start)).toBe(0);
      for (const sample of [v.start, v.start + 1, v.start + 4799, v.start + 480_000]) {
        expect(xToSample(v, sampleToX(v, sample))).toBe(sample);
      }
    }
    expect(sampleToX(view, 12_345)).toBeCloseTo(123.45);
    expect(xToSample(view, 123.456)).toBe(12_346);
    expect(xToSample(view, -5)).toBe(0);
  });

  it('formats timecodes', () => {
    expect(formatTimecode(0)).toBe('0:00.000');
    expect(formatTimecode(48)).toBe('0:00.001');
    expect(formatTimecode(48_000 * 61.5)).toBe('1:01.500');
    expect(formatTimecode(47_999)).toBe('0:01.000');
    expect(formatTimecode(48_000 * 3600 + 48_000 * 62 + 480)).toBe('1:01:02.010');
    expect(formatTimecode(44_100 * 10, 44_100)).toBe('0:10.000');
  });

  it('picks the smallest ruler step at least minPx wide', () => {
    for (const samplesPerPixel of [1 / 16, 1, 7, 100, 4800, 33_333]) {
      for (const minPx of [40, 90]) {
        const step = rulerStep(samplesPerPixel, minPx);
        expect(step / samplesPerPixel).toBeGreaterThanOrEqual(minPx);
      }
    }
    expect(rulerStep(100)).toBe(12_000); // 4800 would be 48 px
    expect(rulerStep(100, 48)).toBe(4800);
    expect(rulerStep(1 / 16, 90)).toBe(10);
    expect(rulerStep(4800)).toBe(480_000);
    expect(rulerStep(10_000_000)).toBe(48_000 * 3600);
  });
});
