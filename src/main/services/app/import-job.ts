import { basename } from 'node:path';
import type { JobKind } from '../jobs/job-queue';
import { getEpisode } from '../library/episodes';
import { type ImportInput, importMedia } from '../media/import-media';
import { relinkMedia } from '../media/relink-media';
import type { Services } from './services';

export function importJobKind(services: Services): JobKind<ImportInput> {
  return {
    kind: 'import',
    run: async ({ input, signal, progress }) => {
      if (input.relinkAssetId === undefined) {
        await importMedia(services, input, { signal, progress });
        return;
      }
      const { relinkAssetId: assetId, sourcePath, originalName, staged } = input;
      await relinkMedia(
        services,
        { assetId, sourcePath, originalName, ...(staged ? { staged } : {}) },
        { signal, progress },
      );
    },
  };
}

/** One import job per file; the episode is checked before anything is queued. */
export function enqueueImports(
  services: Services,
  episodeId: string,
  files: Array<
    { path: string; name?: string; staged?: boolean } & Pick<
      ImportInput,
      'trackName' | 'assetKind' | 'relinkAssetId'
    >
  >,
): string[] {
  getEpisode(services.db, episodeId);
  return files.map((file) => {
    const originalName = file.name ?? basename(file.path);
    const input: ImportInput = {
      episodeId,
      sourcePath: file.path,
      originalName,
      staged: file.staged,
      ...(file.trackName !== undefined ? { trackName: file.trackName } : {}),
      ...(file.assetKind !== undefined ? { assetKind: file.assetKind } : {}),
      ...(file.relinkAssetId !== undefined ? { relinkAssetId: file.relinkAssetId } : {}),
    };
    const title = file.relinkAssetId ? `Relink ${originalName}` : `Import ${originalName}`;
    return services.jobs.enqueue('import', input, title, episodeId).id;
  });
}
