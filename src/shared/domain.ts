import { z } from 'zod';
import { type ProcessingReport, ProcessingSettings } from './processing';

/**
 * The data model as the renderer sees it. The SQLite schema (src/main/services/library/migrations.ts)
 * stores exactly these fields; times are integer samples at MODEL_RATE.
 */

export const Id = z.string().min(1).max(64);

export const episodeTypes = ['full', 'trailer', 'bonus'] as const;
export const episodeStatuses = ['draft', 'editing', 'ready', 'published'] as const;
export const assetKinds = ['import', 'recording', 'processed', 'render', 'artwork'] as const;

export const Show = z.object({
  id: Id,
  title: z.string(),
  author: z.string(),
  description: z.string(),
  language: z.string(),
  category: z.string(),
  explicit: z.boolean(),
  artworkAssetId: Id.nullable(),
  position: z.number().int(),
  episodeCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Show = z.infer<typeof Show>;

const showField = {
  title: z.string().trim().min(1, 'A show needs a title').max(200),
  author: z.string().max(200),
  description: z.string().max(10_000),
  language: z.string().max(35),
  category: z.string().max(100),
  explicit: z.boolean(),
};

/** A new show: what is left out gets its default. */
export const ShowFields = z.object({
  ...showField,
  author: showField.author.default(''),
  description: showField.description.default(''),
  language: showField.language.default('en'),
  category: showField.category.default(''),
  explicit: showField.explicit.default(false),
});

/** A change to a show: what is left out stays as it is (no defaults, unlike ShowFields). */
export const ShowPatch = z.object(showField).partial();
export type ShowPatch = z.infer<typeof ShowPatch>;

export const Episode = z.object({
  id: Id,
  showId: Id,
  title: z.string(),
  number: z.number().int().nullable(),
  season: z.number().int().nullable(),
  type: z.enum(episodeTypes),
  status: z.enum(episodeStatuses),
  notes: z.string(),
  position: z.number().int(),
  trackCount: z.number().int(),
  /** The edit's length once one has been saved; before that, the longest track's. */
  durationSamples: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Episode = z.infer<typeof Episode>;

const episodeField = {
  title: z.string().trim().min(1, 'An episode needs a title').max(300),
  number: z.number().int().min(0).nullable(),
  season: z.number().int().min(0).nullable(),
  type: z.enum(episodeTypes),
  status: z.enum(episodeStatuses),
  notes: z.string().max(100_000),
};

/** A new episode: what is left out gets its default. */
export const EpisodeFields = z.object({
  ...episodeField,
  number: episodeField.number.default(null),
  season: episodeField.season.default(null),
  type: episodeField.type.default('full'),
  status: episodeField.status.default('draft'),
  notes: episodeField.notes.default(''),
});

/** A change to an episode: what is left out stays as it is (no defaults, unlike EpisodeFields). */
export const EpisodePatch = z.object(episodeField).partial();
export type EpisodePatch = z.infer<typeof EpisodePatch>;

/** Loudness as measured on import (EBU R128 / ITU-R BS.1770). Null where the audio is silent. */
export const Loudness = z.object({
  integratedLufs: z.number().nullable(),
  lra: z.number(),
  truePeakDbtp: z.number().nullable(),
  samplePeakDbfs: z.number().nullable(),
});
export type Loudness = z.infer<typeof Loudness>;

export const Asset = z.object({
  id: Id,
  episodeId: Id.nullable(),
  kind: z.enum(assetKinds),
  originalName: z.string(),
  /** Container/codec as ffprobe names them, e.g. "wav/pcm_s16le". */
  format: z.string(),
  sampleRate: z.number().int(),
  channels: z.number().int(),
  durationSamples: z.number().int(),
  sizeBytes: z.number().int(),
  hasWorkingCopy: z.boolean(),
  loudness: Loudness,
  createdAt: z.string(),
});
export type Asset = z.infer<typeof Asset>;

/**
 * What the timeline needs to know about an asset its clips play: channels for playback, length
 * for trimming, and whether its file is on disk (an offline asset's clips are shown with a relink
 * action; nothing else stops working).
 */
export const EditAsset = z.object({
  id: Id,
  /** The file name the user knows it by. */
  name: z.string(),
  channels: z.number().int(),
  /** The source's rate, which its waveform peaks count samples at (playback is always 48 kHz). */
  sampleRate: z.number().int(),
  /** At 48 kHz, like every position in the edit. */
  durationSamples: z.number().int(),
  offline: z.boolean(),
});
export type EditAsset = z.infer<typeof EditAsset>;

const Levels = z.object({
  integratedLufs: z.number().nullable(),
  lra: z.number(),
  truePeakDbtp: z.number().nullable(),
});

/**
 * What a processing run did (the engine's ProcessingReport), as stored with the processed asset.
 * `input` and `output` hold the file names the user knows, not paths inside the data directory.
 */
export const ProcessingReportValue = z.object({
  input: z.string(),
  output: z.string(),
  settings: ProcessingSettings,
  durationSeconds: z.object({ before: z.number(), after: z.number() }),
  before: Levels,
  after: Levels,
  noiseFloorDbfs: z.number().nullable(),
  humHz: z.union([z.literal(50), z.literal(60)]).nullable(),
  silenceRemovedSeconds: z.number(),
  gainDb: z.number(),
  gainCapped: z.boolean(),
  passes: z.number().int(),
  notes: z.array(z.string()),
  timingsMs: z.record(z.string(), z.number()),
});
export type ProcessingReportValue = z.infer<typeof ProcessingReportValue>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/** Fails to compile when the engine's report and this schema drift apart. */
export type ReportSchemaMatchesEngine = Holds<
  Same<z.infer<typeof ProcessingReportValue>, ProcessingReport>
>;

/** The latest processed version of a track: a separate asset made from the track's asset. */
export const ProcessedVersion = z.object({
  asset: Asset,
  /** The asset it was made from (the track's asset at the time). */
  sourceAssetId: Id,
  report: ProcessingReportValue,
});
export type ProcessedVersion = z.infer<typeof ProcessedVersion>;

/**
 * An episode's latest mixdown: its edit rendered to one 48 kHz FLAC (an asset of kind `render`,
 * on no track), and, when it was mastered, the processing engine's result made from it.
 */
export const Mixdown = z.object({
  mixdown: Asset.nullable(),
  /** The master: a processed asset whose source is the mixdown, with its report. */
  master: ProcessedVersion.nullable(),
  /** The episode's edit was saved after the edit this mixdown was rendered from was read. */
  editChangedSince: z.boolean(),
});
export type Mixdown = z.infer<typeof Mixdown>;

export const Track = z.object({
  id: Id,
  episodeId: Id,
  name: z.string(),
  position: z.number().int(),
  asset: Asset.nullable(),
  /** Null until the track has been processed; a new run replaces it once complete. */
  processed: ProcessedVersion.nullable(),
  createdAt: z.string(),
});
export type Track = z.infer<typeof Track>;

export const markerKinds = ['chapter', 'note', 'ad'] as const;
export type MarkerKind = (typeof markerKinds)[number];

/** A point on the episode's timeline: a chapter start, a note to self, an ad slot. */
export const Marker = z.object({
  id: Id,
  episodeId: Id,
  /** Samples at 48 kHz from the episode's start. */
  positionSamples: z.number().int().nonnegative(),
  title: z.string(),
  kind: z.enum(markerKinds),
  createdAt: z.string(),
});
export type Marker = z.infer<typeof Marker>;

export const EpisodeDetail = z.object({
  episode: Episode,
  show: Show,
  tracks: z.array(Track),
  /** In timeline order. */
  markers: z.array(Marker),
});
export type EpisodeDetail = z.infer<typeof EpisodeDetail>;

/** File formats a processed version can be written in (the engine picks by extension). */
export const processedFormats = ['flac', 'wav', 'mp3', 'm4a'] as const;
export type ProcessedFormat = (typeof processedFormats)[number];

/** How an episode's tracks are processed; stored with the episode. */
export const EpisodeProcessing = z
  .object({
    /** The preset these settings started from; they may have been changed since. */
    presetId: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .max(64)
      .nullable(),
    settings: ProcessingSettings,
    format: z.enum(processedFormats),
  })
  .strict();
export type EpisodeProcessing = z.infer<typeof EpisodeProcessing>;

/** A processing preset (resources/presets/<id>.json). */
export const ProcessingPreset = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  settings: ProcessingSettings,
});
export type ProcessingPreset = z.infer<typeof ProcessingPreset>;

export const trashEntities = ['show', 'episode', 'track'] as const;
export const TrashItem = z.object({
  id: Id,
  entity: z.enum(trashEntities),
  entityId: Id,
  title: z.string(),
  /** Where it lived, for the message "Restored … to …". */
  parentTitle: z.string().nullable(),
  deletedAt: z.string(),
});
export type TrashItem = z.infer<typeof TrashItem>;

export const jobKinds = ['import', 'process', 'mixdown'] as const;
export const jobStatuses = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
  'interrupted',
] as const;

export const JobError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const Job = z.object({
  id: Id,
  kind: z.enum(jobKinds),
  status: z.enum(jobStatuses),
  title: z.string(),
  /** 0..1; null while the length of the work is unknown. */
  progress: z.number().min(0).max(1).nullable(),
  /** A short phrase for what is happening now, e.g. "Measuring loudness". */
  stage: z.string(),
  episodeId: Id.nullable(),
  /** The track the job works on (processing); null for jobs that make tracks (imports). */
  trackId: Id.nullable(),
  error: JobError.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof Job>;

export function isFinished(status: Job['status']): boolean {
  return (
    status === 'done' || status === 'failed' || status === 'cancelled' || status === 'interrupted'
  );
}
