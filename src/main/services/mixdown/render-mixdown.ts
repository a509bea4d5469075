import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EpisodeProcessing } from '../../../shared/domain';
import type { Edit } from '../../../shared/edit/model';
import { StudioError } from '../../../shared/errors';
import { getAssetRow } from '../library/assets';
import { type Db, now } from '../library/database';
import { getEpisodeEdit } from '../library/edit';
import { getEpisode } from '../library/episodes';
import { getEpisodeProcessing } from '../library/processing';
import { assetFiles, playbackPath } from '../media/asset-files';
import { type ImportContext, type ImportProgress, renameInMessage } from '../media/import-media';
import { measureNewAsset } from '../media/measure-asset';
import { runEngine } from '../media/process-track';
import type { PeaksRedraw } from '../media/rebuild-peaks';
import { editLength } from '../render/filter-graph';
import { renderEdit } from '../render/render-edit';
import { episodeSpeechActivity } from './episode-speech';
import { recordMixdown } from './mixdown-library';

export interface MixdownInput {
  episodeId: string;
  /** Also master the mixdown with the episode's processing settings. */
  master: boolean;
}

export interface MixdownContext extends ImportContext {
  /** Draws a voice's missing or damaged waveform again, for ducking. */
  peaks: PeaksRedraw;
  /** The episode's processing settings when it has saved none (the Podcast preset, in FLAC). */
  defaultProcessing: () => EpisodeProcessing;
}

/** Shares of the progress bar, rendering only: render, measure; then saving. */
const RENDER_ONLY = { render: 0.9, measure: 0.08 } as const;
/** ...and mastering too: render, measure it, the engine, measure the master; then saving. */
const WITH_MASTER = { render: 0.35, measure: 0.05, engine: 0.5, masterMeasure: 0.07 } as const;

/**
 * The episode's edit, refused when it has nothing to render. The same check runs when the job is
 * asked for (so the user hears at once) and when it runs (the edit may have changed in between).
 */
export function mixdownEdit(db: Db, episodeId: string): Edit {
  const { title } = getEpisode(db, episodeId);
  const { edit } = getEpisodeEdit(db, episodeId);
  if (editLength(edit) === 0) {
    throw new StudioError(
      'invalid_input',
      `The edit of “${title}” has no clips, so there is nothing to mix down. Put some audio on the timeline first.`,
      { episodeId },
    );
  }
  return edit;
}

/** "<title> (mixdown).flac", safe as a file name to offer on download. */
function nameFor(title: string, what: string, ext: string): string {
  const stem =
    title
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
      .trim()
      .slice(0, 100) || 'Episode';
  return `${stem} (${what}).${ext}`;
}

/**
 * Renders the episode's stored edit to `media/<new id>/source.flac` (48 kHz, sample-accurate:
 * renderEdit), measures it like an import and, with `master`, runs the processing engine on it
 * with the episode's settings into a second new asset. Both are recorded at the end, in one
 * transaction that also deletes the previous mixdown and master; their files go after. On failure
 * or cancel both new folders are removed: nothing is left.
 */
export async function renderMixdown(
  context: MixdownContext,
  input: MixdownInput,
  { signal, progress = () => {} }: ImportProgress = {},
): Promise<{ mixdownAssetId: string; masterAssetId: string | null }> {
  const { db, dataDir } = context;
  const { episodeId } = input;
  // Taken before the edit is read: an edit saved from now on is newer than this mixdown.
  const editReadAt = now();
  const edit = mixdownEdit(db, episodeId);
  const episode = getEpisode(db, episodeId);
  const processing = input.master
    ? getEpisodeProcessing(db, episodeId, context.defaultProcessing)
    : null;
  const shares = processing ? WITH_MASTER : RENDER_ONLY;

  const renderId: string = randomUUID();
  const renderRel = join(assetFiles.dir(renderId), 'source.flac');
  const renderPath = join(dataDir, renderRel);
  const renderName = nameFor(episode.title, 'mixdown', 'flac');
  const masterId: string | null = processing ? randomUUID() : null;
  const cancelled = () =>
    new StudioError('cancelled', `The mixdown of “${episode.title}” was cancelled`);

  try {
    progress(0, 'Rendering the edit');
    // Music that ducks needs to know where the speech is: from the stored waveforms.
    const activity = await episodeSpeechActivity(context, edit, {
      signal,
      onRedraw: (name) => progress(0, `Drawing the waveform of ${name} again`),
    }).catch((error: unknown) => {
      throw withUserFileName(db, error);
    });
    progress(0, 'Rendering the edit');
    if (signal?.aborted) throw cancelled();
    await renderEdit({
      edit,
      out: renderPath,
      activity,
      assetPath: (assetId) => playbackPath(dataDir, getAssetRow(db, assetId)),
      signal,
      onProgress: ({ fraction }) => progress(fraction * shares.render, 'Rendering the edit'),
    }).catch((error: unknown) => {
      throw withUserFileName(db, error);
    });

    let at = shares.render;
    progress(at, 'Measuring the mixdown');
    const renderMeasured = await measureNewAsset({
      dataDir,
      assetId: renderId,
      path: renderPath,
      name: renderName,
      signal,
      onProgress: (step, fraction) =>
        progress(
          at + fraction * shares.measure,
          step === 'measuring' ? 'Measuring the mixdown' : 'Saving the waveform',
        ),
    });
    at += shares.measure;

    let master: Parameters<typeof recordMixdown>[1]['master'] = null;
    if (processing && masterId && 'engine' in shares) {
      const masterRel = assetFiles.processed(masterId, processing.format);
      const masterName = nameFor(episode.title, 'master', processing.format);
      const engineStart = at;
      progress(at, 'Mastering');
      const report = await runEngine({
        input: renderPath,
        inputName: renderName,
        output: join(dataDir, masterRel),
        outputName: masterName,
        settings: processing.settings,
        signal,
        onProgress: (fraction, stage) =>
          progress(engineStart + fraction * shares.engine, `Mastering: ${stage}`),
      });
      at += shares.engine;
      const measureStart = at;
      progress(at, 'Measuring the master');
      const measured = await measureNewAsset({
        dataDir,
        assetId: masterId,
        path: join(dataDir, masterRel),
        name: masterName,
        signal,
        onProgress: (step, fraction) =>
          progress(
            measureStart + fraction * shares.masterMeasure,
            step === 'measuring' ? 'Measuring the master' : 'Saving the waveform',
          ),
      });
      master = {
        asset: { id: masterId, original_name: masterName, path: masterRel, ...measured },
        report,
      };
    }
    if (signal?.aborted) throw cancelled();

    progress(0.99, 'Saving the mixdown');
    const { replacedAssetIds } = recordMixdown(db, {
      episodeId,
      editReadAt,
      render: { id: renderId, original_name: renderName, path: renderRel, ...renderMeasured },
      master,
    });
    // The previous mixdown's files go only after the new one is recorded.
    await Promise.all(
      replacedAssetIds.map((id) =>
        rm(join(dataDir, assetFiles.dir(id)), { recursive: true, force: true }).catch(
          (error: unknown) => console.warn('Could not remove the old mixdown files', error),
        ),
      ),
    );
    context.bus.emit('library.changed', { scope: 'tracks', episodeId });
    return { mixdownAssetId: renderId, masterAssetId: masterId };
  } catch (error) {
    await Promise.all(
      [renderId, masterId]
        .filter((id): id is string => id !== null)
        .map((id) =>
          rm(join(dataDir, assetFiles.dir(id)), { recursive: true, force: true }).catch(() => {}),
        ),
    );
    if (signal?.aborted) throw cancelled();
    throw error;
  }
}

/** The render names a missing or unreadable asset's file as it is in the data dir: say the name the user imported. */
function withUserFileName(db: Db, error: unknown): unknown {
  if (!(error instanceof StudioError)) return error;
  const { assetId, path } = error.details ?? {};
  if (typeof assetId !== 'string' || typeof path !== 'string') return error;
  try {
    return renameInMessage(error, basename(path), getAssetRow(db, assetId).original_name);
  } catch {
    return error;
  }
}
