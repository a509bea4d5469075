import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedInput, RequestName, RequestOutput } from '../../../shared/contract';
import { getAsset, getEpisodeAssetRow } from '../library/assets';
import { getEpisodeEdit, saveEpisodeEdit } from '../library/edit';
import {
  createEpisode,
  getEpisode,
  listEpisodes,
  reorderEpisodes,
  updateEpisode,
} from '../library/episodes';
import { listMarkers } from '../library/markers';
import { getEpisodeProcessing, saveEpisodeProcessing } from '../library/processing';
import { defaultRecorderSettings, getShowRecorderSettings } from '../library/recorder-settings';
import { createShow, getShow, listShows, reorderShows, updateShow } from '../library/shows';
import { listTracks, renameTrack, reorderTracks } from '../library/tracks';
import { emptyTrash, listTrash, moveToTrash, restoreFromTrash } from '../library/trash';
import { assetFiles } from '../media/asset-files';
import { getMixdown } from '../mixdown/mixdown-library';
import { describeEditAssets } from './edit-assets';
import { enqueueImports } from './import-job';
import { enqueueMixdown } from './mixdown-job';
import {
  checkPresetId,
  defaultEpisodeProcessing,
  enqueueProcessing,
  listPresets,
} from './process-job';
import type { Services } from './services';

export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

/** Every request's handler, in the order of the contract. Handlers never see unvalidated input. */
export function createHandlers(services: Services): Handlers {
  const { db, bus, jobs, recorder } = services;
  const changed = (
    scope: 'shows' | 'episodes' | 'tracks' | 'trash' | 'edit',
    ids: { showId?: string; episodeId?: string } = {},
  ) => bus.emit('library.changed', { scope, ...ids });

  return {
    'app.info': () => services.info(),

    'shows.list': () => listShows(db),
    'shows.create': (fields) => {
      const show = createShow(db, fields);
      changed('shows');
      return show;
    },
    'shows.update': ({ id, patch }) => {
      const show = updateShow(db, id, patch);
      changed('shows');
      return show;
    },
    'shows.reorder': ({ ids }) => {
      reorderShows(db, ids);
      changed('shows');
      return { ok: true };
    },
    'shows.trash': ({ id }) => {
      const item = moveToTrash(db, 'show', id);
      changed('shows');
      changed('trash');
      return item;
    },

    'episodes.list': ({ showId }) => listEpisodes(db, showId),
    'episodes.get': ({ id }) => {
      const episode = getEpisode(db, id);
      return {
        episode,
        show: getShow(db, episode.showId),
        tracks: listTracks(db, id),
        markers: listMarkers(db, id),
      };
    },
    'episodes.create': ({ showId, ...fields }) => {
      const episode = createEpisode(db, showId, fields);
      changed('episodes', { showId });
      return episode;
    },
    'episodes.update': ({ id, patch }) => {
      const episode = updateEpisode(db, id, patch);
      changed('episodes', { showId: episode.showId, episodeId: id });
      return episode;
    },
    'episodes.reorder': ({ showId, ids }) => {
      reorderEpisodes(db, showId, ids);
      changed('episodes', { showId });
      return { ok: true };
    },
    'episodes.trash': ({ id }) => {
      const { showId } = getEpisode(db, id);
      const item = moveToTrash(db, 'episode', id);
      changed('episodes', { showId });
      changed('trash');
      return item;
    },

    'tracks.rename': ({ id, name }) => {
      const episodeId = renameTrack(db, id, name);
      changed('tracks', { episodeId });
      return { ok: true };
    },
    'tracks.reorder': ({ episodeId, ids }) => {
      reorderTracks(db, episodeId, ids);
      changed('tracks', { episodeId });
      return { ok: true };
    },
    'tracks.trash': ({ id }) => {
      const item = moveToTrash(db, 'track', id);
      changed('tracks');
      changed('trash');
      return item;
    },

    'trash.list': () => listTrash(db),
    'trash.restore': ({ id }) => {
      const row = restoreFromTrash(db, id);
      changed(row.entity === 'show' ? 'shows' : row.entity === 'episode' ? 'episodes' : 'tracks');
      changed('trash');
      return { ok: true };
    },
    'trash.empty': async () => {
      const { removed, removedAssetIds } = emptyTrash(db);
      // Files go only after the rows are gone for good.
      await Promise.all(
        removedAssetIds.map((id) =>
          rm(join(services.dataDir, assetFiles.dir(id)), { recursive: true, force: true }),
        ),
      );
      changed('trash');
      return { removed };
    },

    'edit.get': ({ episodeId }) => {
      const stored = getEpisodeEdit(db, episodeId);
      return { ...stored, assets: describeEditAssets(db, services.dataDir, stored.edit) };
    },
    'edit.save': ({ episodeId, edit }) => {
      saveEpisodeEdit(db, episodeId, edit);
      changed('edit', { episodeId });
      return { ok: true };
    },

    'media.importPaths': ({ episodeId, paths, relinkAssetId }) => {
      if (relinkAssetId !== undefined) getEpisodeAssetRow(db, relinkAssetId, episodeId);
      return {
        jobIds: enqueueImports(
          services,
          episodeId,
          paths.map((path) => ({ path, ...(relinkAssetId ? { relinkAssetId } : {}) })),
        ),
      };
    },
    'media.asset': ({ id }) => getAsset(db, id),

    'processing.presets': () => listPresets(),
    'processing.get': ({ episodeId }) =>
      getEpisodeProcessing(db, episodeId, defaultEpisodeProcessing),
    'processing.set': ({ episodeId, ...processing }) => {
      checkPresetId(processing.presetId);
      return saveEpisodeProcessing(db, episodeId, processing);
    },
    'processing.run': ({ trackId }) => enqueueProcessing(services, trackId),

    'mixdown.start': (input) => ({ jobId: enqueueMixdown(services, input).id }),
    'mixdown.get': ({ episodeId }) => getMixdown(db, episodeId),

    'recorder.devices': () => recorder.devices(),
    'recorder.settings': async ({ showId }) =>
      getShowRecorderSettings(db, showId) ??
      // No device list (no audio system) is not an error here: the setup starts with no track.
      defaultRecorderSettings(await recorder.devices().catch(() => [])),
    'recorder.saveSettings': async ({ showId, settings }) => {
      await recorder.saveSettings(showId, settings);
      return { ok: true };
    },
    'recorder.status': () => recorder.status(),
    'recorder.arm': ({ episodeId, tracks }) => recorder.arm(episodeId, tracks),
    'recorder.setGain': ({ track, percent }) => recorder.setGain(track, percent),
    'recorder.setMonitor': ({ level }) => recorder.setMonitor(level),
    'recorder.disarm': () => recorder.disarm(),
    'recorder.record': () => recorder.record(),
    'recorder.pause': () => recorder.pause(),
    'recorder.resume': () => recorder.resume(),
    'recorder.marker': ({ title }) => recorder.marker(title),
    'recorder.stop': () => recorder.stop(),
    'recorder.interrupted': () => recorder.interrupted(),
    'recorder.recover': ({ dir }) => recorder.recover(dir),

    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ id }) => {
      jobs.cancel(id);
      return { ok: true };
    },
    'jobs.retry': ({ id }) => jobs.retry(id),
    'jobs.clearFinished': () => {
      jobs.clearFinished();
      return { ok: true };
    },
  };
}
