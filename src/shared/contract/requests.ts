import { z } from 'zod';
import {
  Asset,
  EditAsset,
  Episode,
  EpisodeDetail,
  EpisodeFields,
  EpisodePatch,
  EpisodeProcessing,
  Id,
  Job,
  Mixdown,
  ProcessingPreset,
  Show,
  ShowFields,
  ShowPatch,
  TrashItem,
} from '../domain';
import { Edit } from '../edit/model';
import {
  AudioDevice,
  GAIN_PERCENT_MAX,
  InterruptedTake,
  RecorderSettings,
  RecorderStatus,
  RecorderTrackSetup,
  TakeMarker,
  TakeSaved,
} from '../recording';

/** Declares one request: what the renderer sends and what it gets back. */
function request<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string) {
  return { input, output, summary };
}

const Empty = z.object({}).strict();
const ById = z.object({ id: Id }).strict();
const Ok = z.object({ ok: z.literal(true) });

/**
 * Every request the UI can make, in one place. Main (IPC), the browser host (HTTP) and tests all
 * dispatch through this table, validating input before a handler runs and output after.
 */
export const requests = {
  'app.info': request(
    Empty,
    z.object({
      version: z.string(),
      dataDir: z.string(),
      transport: z.enum(['electron', 'http']),
      ffmpeg: z.object({ path: z.string(), version: z.string() }).nullable(),
    }),
    'Version, data directory and the ffmpeg in use',
  ),

  'shows.list': request(Empty, z.array(Show), 'All shows, in order'),
  'shows.create': request(ShowFields.strict(), Show, 'Create a show'),
  'shows.update': request(
    z.object({ id: Id, patch: ShowPatch.strict() }).strict(),
    Show,
    'Change a show’s fields',
  ),
  'shows.reorder': request(z.object({ ids: z.array(Id).min(1) }).strict(), Ok, 'Set show order'),
  'shows.trash': request(ById, TrashItem, 'Move a show (and its episodes) to the trash'),

  'episodes.list': request(
    z.object({ showId: Id }).strict(),
    z.array(Episode),
    'A show’s episodes',
  ),
  'episodes.get': request(ById, EpisodeDetail, 'An episode with its show, tracks and assets'),
  'episodes.create': request(
    EpisodeFields.extend({ showId: Id }).strict(),
    Episode,
    'Create an episode',
  ),
  'episodes.update': request(
    z.object({ id: Id, patch: EpisodePatch.strict() }).strict(),
    Episode,
    'Change an episode’s fields',
  ),
  'episodes.reorder': request(
    z.object({ showId: Id, ids: z.array(Id).min(1) }).strict(),
    Ok,
    'Set episode order within a show',
  ),
  'episodes.trash': request(ById, TrashItem, 'Move an episode to the trash'),

  'tracks.rename': request(
    z.object({ id: Id, name: z.string().trim().min(1).max(100) }).strict(),
    Ok,
    'Rename a track',
  ),
  'tracks.reorder': request(
    z.object({ episodeId: Id, ids: z.array(Id).min(1) }).strict(),
    Ok,
    'Set track order within an episode',
  ),
  'tracks.trash': request(ById, TrashItem, 'Move a track to the trash'),

  'trash.list': request(Empty, z.array(TrashItem), 'What is in the trash, newest first'),
  'trash.restore': request(ById, Ok, 'Put a trashed item back where it was'),
  'trash.empty': request(
    Empty,
    z.object({ removed: z.number().int() }),
    'Delete the trash for good',
  ),

  'edit.get': request(
    z.object({ episodeId: Id }).strict(),
    z.object({ edit: Edit, restored: z.string().nullable(), assets: z.array(EditAsset) }),
    'An episode’s timeline edit, up to date with its tracks; `restored` says when a damaged saved edit was replaced by an earlier one; `assets` describes every asset its clips play',
  ),
  'edit.save': request(
    // Edit runs every rule of the format (docs/EDIT.md), so a broken edit never reaches the handler.
    z.object({ episodeId: Id, edit: Edit }).strict(),
    Ok,
    'Save an episode’s timeline edit (the one it replaces is kept as the fallback)',
  ),

  'media.importPaths': request(
    z
      .object({
        episodeId: Id,
        paths: z.array(z.string().min(1).max(4096)).min(1).max(100),
        /** Instead of new tracks: the file gives this missing asset its audio back (one path). */
        relinkAssetId: Id.optional(),
      })
      .strict()
      .refine((input) => input.relinkAssetId === undefined || input.paths.length === 1, {
        message: 'A relink takes exactly one file',
      }),
    z.object({ jobIds: z.array(Id) }),
    'Import files from disk into an episode, one job each; or relink a missing asset from one file',
  ),
  'media.asset': request(ById, Asset, 'One asset'),

  'processing.presets': request(
    Empty,
    z.array(ProcessingPreset),
    'The processing presets (resources/presets), by name',
  ),
  'processing.get': request(
    z.object({ episodeId: Id }).strict(),
    EpisodeProcessing,
    'An episode’s processing settings; the Podcast preset until they are first saved',
  ),
  'processing.set': request(
    EpisodeProcessing.extend({ episodeId: Id }).strict(),
    EpisodeProcessing,
    'Save an episode’s processing settings',
  ),
  'processing.run': request(
    z.object({ trackId: Id }).strict(),
    Job,
    'Process a track’s audio with its episode’s settings into a new asset, as a job',
  ),

  'mixdown.start': request(
    z.object({ episodeId: Id, master: z.boolean() }).strict(),
    z.object({ jobId: Id }),
    'Render the episode’s edit to a mixdown and, with `master`, master it with the episode’s processing settings, as a job',
  ),
  'mixdown.get': request(
    z.object({ episodeId: Id }).strict(),
    Mixdown,
    'The episode’s latest mixdown and its master, and whether the edit changed since',
  ),

  'recorder.devices': request(
    Empty,
    z.array(AudioDevice),
    'Audio inputs and system-audio sources the recorder can capture',
  ),
  'recorder.settings': request(
    z.object({ showId: Id }).strict(),
    RecorderSettings,
    'The recorder setup remembered for a show (one track on the default input until saved)',
  ),
  'recorder.saveSettings': request(
    z.object({ showId: Id, settings: RecorderSettings }).strict(),
    Ok,
    'Remember a show’s recorder setup',
  ),
  'recorder.status': request(Empty, RecorderStatus, 'What the recorder is doing'),
  'recorder.arm': request(
    z.object({ episodeId: Id, tracks: z.array(RecorderTrackSetup).min(1).max(8) }).strict(),
    RecorderStatus,
    'Open the tracks’ sources for an episode: meters go live, nothing is written yet',
  ),
  'recorder.setGain': request(
    z
      .object({
        track: z.number().int().nonnegative(),
        percent: z.number().min(0).max(GAIN_PERCENT_MAX),
      })
      .strict(),
    RecorderStatus,
    'Set an armed track’s OS input level (PulseAudio/PipeWire sources), in percent',
  ),
  'recorder.setMonitor': request(
    z.object({ level: z.number().int().min(0).max(100) }).strict(),
    RecorderStatus,
    'Play the armed inputs to the headphones at this level, 0–100 (0 = off)',
  ),
  'recorder.disarm': request(Empty, RecorderStatus, 'Close the sources without recording'),
  'recorder.record': request(Empty, RecorderStatus, 'Start a take on the armed tracks'),
  'recorder.pause': request(Empty, RecorderStatus, 'Pause the take (nothing is written)'),
  'recorder.resume': request(Empty, RecorderStatus, 'Go on recording the paused take'),
  'recorder.marker': request(
    z.object({ title: z.string().max(200).optional() }).strict(),
    TakeMarker,
    'Drop a marker at the take’s current time',
  ),
  'recorder.stop': request(
    Empty,
    TakeSaved,
    'Stop the take: its tracks and markers are added to the episode',
  ),
  'recorder.interrupted': request(
    Empty,
    z.array(InterruptedTake),
    'Takes whose recorder died mid-take, found when the app started',
  ),
  'recorder.recover': request(
    z.object({ dir: z.string().min(1).max(4096) }).strict(),
    TakeSaved,
    'Repair an interrupted take and add what it holds to its episode',
  ),

  'jobs.list': request(Empty, z.array(Job), 'Recent jobs, newest first'),
  'jobs.cancel': request(ById, Ok, 'Cancel a queued or running job'),
  'jobs.retry': request(ById, Job, 'Run a failed, cancelled or interrupted job again'),
  'jobs.clearFinished': request(Empty, Ok, 'Forget finished jobs'),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;
/** What a handler receives: the input after validation and defaults. */
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;

export const requestNames = Object.keys(requests) as RequestName[];

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}
