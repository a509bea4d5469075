import fc from 'fast-check';
import type { Clip, Edit, EditMarker, EditTrack } from '../../../src/shared/edit';
import { emptyEdit } from '../../../src/shared/edit';

/** Small hand-made edits for unit tests, and fast-check arbitraries of valid edits. */

export function clip(fields: Partial<Clip> & { id: string }): Clip {
  return {
    assetId: 'a1',
    sourceIn: 0,
    sourceOut: 100,
    timelineStart: 0,
    gainDb: 0,
    fadeIn: 0,
    fadeOut: 0,
    ...fields,
  };
}

export function track(id: string, clips: Clip[], fields: Partial<EditTrack> = {}): EditTrack {
  return { id, name: id, gainDb: 0, pan: 0, muted: false, solo: false, clips, ...fields };
}

export function edit(tracks: EditTrack[], markers: EditMarker[] = []): Edit {
  return { ...emptyEdit(), tracks, markers };
}

export function marker(id: string, position: number, title = id): EditMarker {
  return { id, position, title, kind: 'chapter' };
}

/** Repeatable ids for clips an operation makes. */
export function counterIds(prefix = 'new'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** Every asset in the generated edits is this long. */
export const ASSET_LENGTH = 2_000;
export const assetLength = (): number => ASSET_LENGTH;

interface ClipDraft {
  length: number;
  sourceIn: number;
  fadeIn: number;
  fadeOut: number;
  /** Samples after the previous clip's end; negative asks for a crossfade of that length. */
  gap: number;
  gainDb: number;
  asset: number;
}

const clipDraft = (crossfades: boolean): fc.Arbitrary<ClipDraft> =>
  fc
    .record({
      length: fc.integer({ min: 1, max: 300 }),
      fadeInShare: fc.integer({ min: 0, max: 100 }),
      fadeOutShare: fc.integer({ min: 0, max: 100 }),
      sourceIn: fc.integer({ min: 0, max: ASSET_LENGTH - 300 }),
      gap: fc.integer({ min: crossfades ? -100 : 0, max: 150 }),
      gainDb: fc.integer({ min: -60, max: 24 }),
      asset: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ length, fadeInShare, fadeOutShare, ...rest }) => {
      // Each fade up to half the clip, so the two always fit.
      const fadeIn = Math.floor((length * fadeInShare) / 200);
      const fadeOut = Math.floor((length * fadeOutShare) / 200);
      return { ...rest, length, fadeIn, fadeOut };
    });

/** Lays drafts end to end; a negative gap becomes the longest crossfade the fades allow. */
function layOut(trackId: string, drafts: ClipDraft[], first: number): Clip[] {
  const clips: Clip[] = [];
  drafts.forEach((draft, index) => {
    const prev = clips.at(-1);
    let start = first + Math.max(0, draft.gap);
    if (prev) {
      const prevEnd = prev.timelineStart + prev.sourceOut - prev.sourceIn;
      // A crossfade: no longer than either fade, and each clip keeps a sample of its own.
      const overlap = Math.max(
        0,
        Math.min(
          -draft.gap,
          prev.fadeOut,
          draft.fadeIn,
          draft.length - 1,
          prev.sourceOut - prev.sourceIn - 1,
        ),
      );
      start = draft.gap >= 0 ? prevEnd + draft.gap : prevEnd - overlap;
    }
    clips.push({
      id: `${trackId}-c${index}`,
      assetId: `asset-${draft.asset}`,
      sourceIn: draft.sourceIn,
      sourceOut: draft.sourceIn + draft.length,
      timelineStart: start,
      gainDb: draft.gainDb,
      fadeIn: draft.fadeIn,
      fadeOut: draft.fadeOut,
    });
  });
  return clips;
}

export function editArb(options: { crossfades?: boolean } = {}): fc.Arbitrary<Edit> {
  const crossfades = options.crossfades ?? true;
  const trackArb = fc.record({
    drafts: fc.array(clipDraft(crossfades), { minLength: 0, maxLength: 6 }),
    first: fc.integer({ min: 0, max: 200 }),
    muted: fc.boolean(),
  });
  return fc
    .record({
      tracks: fc.array(trackArb, { minLength: 1, maxLength: 3 }),
      markers: fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 4 }),
    })
    .map(({ tracks, markers }) =>
      edit(
        tracks.map((t, i) =>
          track(`t${i}`, layOut(`t${i}`, t.drafts, t.first), { muted: t.muted }),
        ),
        markers.sort((a, b) => a - b).map((position, i) => marker(`m${i}`, position)),
      ),
    );
}

/** Every clip of the edit, in track order. */
export function allClips(e: Edit): Clip[] {
  return e.tracks.flatMap((t) => t.clips);
}
