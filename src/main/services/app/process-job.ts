import type { EpisodeProcessing, Job, ProcessingPreset } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import type { JobKind } from '../jobs/job-queue';
import { getEpisodeProcessing } from '../library/processing';
import { getTrackRow } from '../library/tracks';
import { type ProcessTrackInput, processTrack } from '../media/process-track';
import { loadPresets, presetById } from '../processing/presets';
import type { Services } from './services';

/** The preset an episode's settings start from until someone changes them. */
export const DEFAULT_PRESET_ID = 'podcast';

/** Lossless, so editing and later exports lose nothing; the episode can ask for another. */
const DEFAULT_FORMAT = 'flac';

export function defaultEpisodeProcessing(): EpisodeProcessing {
  return {
    presetId: DEFAULT_PRESET_ID,
    settings: presetById(DEFAULT_PRESET_ID).settings,
    format: DEFAULT_FORMAT,
  };
}

export function listPresets(): ProcessingPreset[] {
  return loadPresets();
}

/** A saved presetId must name a preset that exists. */
export function checkPresetId(presetId: string | null): void {
  if (presetId !== null) presetById(presetId);
}

export function processJobKind(services: Services): JobKind<ProcessTrackInput> {
  return {
    kind: 'process',
    onePer: 'track',
    run: async ({ input, signal, progress }) => {
      await processTrack(services, input, { signal, progress });
    },
  };
}

/**
 * Queues processing of a track's audio with its episode's settings as they are now (a retry runs
 * the same settings again). A track already queued or being processed is refused.
 */
export function enqueueProcessing(services: Services, trackId: string): Job {
  const { db, jobs } = services;
  const track = getTrackRow(db, trackId);
  if (!track.asset_id) {
    throw new StudioError('conflict', `“${track.name}” has no audio to process.`, { trackId });
  }
  const processing = getEpisodeProcessing(db, track.episode_id, defaultEpisodeProcessing);
  const input: ProcessTrackInput = {
    trackId,
    sourceAssetId: track.asset_id,
    settings: processing.settings,
    format: processing.format,
  };
  return jobs.enqueue('process', input, `Process ${track.name}`, track.episode_id, trackId);
}
