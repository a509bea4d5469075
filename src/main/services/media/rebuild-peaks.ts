import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { probeMedia } from '../ffmpeg/probe';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import { renameInMessage } from './import-media';
import { analyzeProbed, writeAssetPeaks } from './measure-asset';

/**
 * Draws an asset's waveform again from its audio, for a peaks file that is gone or unreadable
 * (deleted or damaged outside the app), and records it on the asset. The audio must be readable:
 * its errors name the file as the user knows it.
 */
export async function rebuildPeaks(
  context: { db: Db; dataDir: string },
  assetId: string,
): Promise<void> {
  const { db, dataDir } = context;
  const row = getAssetRow(db, assetId);
  // Measured on the source copy at its own rate, as the import did (the stored levels count the
  // source's samples; finer tiles are computed from the same file).
  const path = join(dataDir, row.path);
  await access(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    throw new StudioError(
      'file_missing',
      `The audio of ${row.original_name} was not found (${path}), so its waveform cannot be drawn. Relink it to the file.`,
      { assetId, path },
    );
  });
  const probe = await probeMedia(path).catch((error: unknown) => {
    throw renameInMessage(error, basename(path), row.original_name);
  });
  const analysis = await analyzeProbed(path, row.original_name, probe);
  const peaksRel = await writeAssetPeaks(dataDir, assetId, row.original_name, analysis.peaks);
  db.prepare('UPDATE assets SET peaks_path = ? WHERE id = ?').run(peaksRel, assetId);
}

/** Draws waveforms again for whoever needs one: the timeline's peak routes and the mixdown. */
export interface PeaksRedraw {
  /** Resolves once the asset's peaks file is written again and recorded; rejects as rebuildPeaks. */
  redraw(assetId: string): Promise<void>;
}

/** How long a failed redraw is answered from memory before the audio is read again. */
export const REDRAW_RETRY_MS = 60_000;

/**
 * Redraws go one at a time (each decodes a whole file on both cores), a request for an asset
 * already being redrawn shares that redraw, and a failure is remembered for REDRAW_RETRY_MS, so a
 * timeline asking for many tiles (and asking again every 10 s) does not decode a damaged file over
 * and over. A redraw is not cancelled by any one caller: others may be waiting for it.
 */
export function createPeaksRedraw(
  context: { db: Db; dataDir: string },
  { retryMs = REDRAW_RETRY_MS, rebuild = rebuildPeaks } = {},
): PeaksRedraw {
  const pending = new Map<string, Promise<void>>();
  const failed = new Map<string, { error: unknown; at: number }>();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    redraw(assetId) {
      const shared = pending.get(assetId);
      if (shared) return shared;
      const failure = failed.get(assetId);
      if (failure && Date.now() - failure.at < retryMs) return Promise.reject(failure.error);
      const run = queue
        .catch(() => {})
        .then(() => rebuild(context, assetId))
        .then(
          () => {
            failed.delete(assetId);
          },
          (error: unknown) => {
            failed.set(assetId, { error, at: Date.now() });
            throw error;
          },
        )
        .finally(() => pending.delete(assetId));
      queue = run;
      pending.set(assetId, run);
      return run;
    },
  };
}
