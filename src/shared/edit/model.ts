import { z } from 'zod';
import { Id, markerKinds } from '../domain';
import { MODEL_RATE } from '../time';
import { clipProblem, editProblem, trackProblem, trackSettingsProblem } from './invariants';

/**
 * The edit of an episode as data: what the timeline shows, what undo stores and what the render
 * plays. Every position and length is an integer count of samples at 48 kHz (MODEL_RATE).
 * docs/EDIT.md describes the format and its rules for anyone reading or writing it.
 */

export const EDIT_VERSION = 1;
export const MIN_GAIN_DB = -60;
export const MAX_GAIN_DB = 24;

/** How deep a music track ducks under speech, dB (docs/EDIT.md, "Music beds and ducking"). */
export const MIN_DUCKING_DB = -40;
export const MAX_DUCKING_DB = -1;
/** The depth a UI should offer first when ducking is switched on. */
export const DEFAULT_DUCKING_DB = -15;

export const trackRoles = ['speech', 'music'] as const;
export type TrackRole = (typeof trackRoles)[number];

const Sample = z.number().int().min(0);
const Gain = z.number().min(MIN_GAIN_DB).max(MAX_GAIN_DB);

/** The fields alone; the rules that tie fields together are checked by `Clip`. */
const ClipFields = z.object({
  id: Id,
  assetId: Id,
  /** First sample of the asset that plays. */
  sourceIn: Sample,
  /** One past the last sample that plays: length = sourceOut - sourceIn. */
  sourceOut: Sample,
  timelineStart: Sample,
  gainDb: Gain,
  fadeIn: Sample,
  fadeOut: Sample,
});

export const Clip = ClipFields.superRefine((clip, ctx) => {
  const problem = clipProblem(clip);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export type Clip = z.infer<typeof Clip>;

export const EditTrack = z
  .object({
    id: Id,
    name: z.string().max(200),
    gainDb: Gain,
    pan: z.number().min(-1).max(1),
    muted: z.boolean(),
    solo: z.boolean(),
    /** Sorted by timelineStart; overlapping only as crossfades. */
    clips: z.array(Clip),
    /** What the track carries; absent means speech. Speech on audible tracks ducks music. */
    role: z.enum(trackRoles).optional(),
    /** Music tracks only: lowered by `depthDb` while speech plays (see src/shared/edit/ducking.ts). */
    ducking: z.object({ depthDb: z.number().min(MIN_DUCKING_DB).max(MAX_DUCKING_DB) }).optional(),
  })
  .superRefine((track, ctx) => {
    const setting = trackSettingsProblem(track);
    if (setting) ctx.addIssue({ code: 'custom', message: setting, path: ['ducking'] });
    const problem = trackProblem(track);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: ['clips'] });
  });
export type EditTrack = z.infer<typeof EditTrack>;

export const EditMarker = z.object({
  id: Id,
  position: Sample,
  title: z.string().max(500),
  kind: z.enum(markerKinds),
  /** Chapters only: a link shown with the chapter (Podcasting 2.0 chapters `url`). */
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  /** Chapters only: the chapter image (Podcasting 2.0 chapters `img`). */
  imageAssetId: Id.optional(),
});
export type EditMarker = z.infer<typeof EditMarker>;

export const Edit = z
  .object({
    version: z.literal(EDIT_VERSION),
    sampleRate: z.literal(MODEL_RATE),
    tracks: z.array(EditTrack),
    /** Sorted by position. */
    markers: z.array(EditMarker),
  })
  .superRefine((edit, ctx) => {
    const problem = editProblem(edit);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export type Edit = z.infer<typeof Edit>;

export function emptyEdit(): Edit {
  return { version: EDIT_VERSION, sampleRate: MODEL_RATE, tracks: [], markers: [] };
}
