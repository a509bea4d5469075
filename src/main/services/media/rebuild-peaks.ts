import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { probeMedia } from '../ffmpeg/probe';
import { writeAtomically } from '../files/atomic';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import { analyzeMedia } from './analysis/analyze';
import { assetFiles } from './asset-files';
import { renameInMessage } from './import-media';
import { writePeaksFile } from './peaks-file';

/**
 * Draws an asset's waveform again from its audio, for a peaks file that is gone or unreadable
 * (deleted or damaged outside the app), and records it on the asset. The audio must be readable:
 * its errors name the file as the user knows it.
 */
export async function rebuildPeaks(
  context: { db: Db; dataDir: string },
  assetId: string,
  signal?: AbortSignal,
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
  const inUserWords = (error: unknown) => renameInMessage(error, basename(path), row.original_name);
  const probe = await probeMedia(path, signal).catch((error: unknown) => {
    throw inUserWords(error);
  });
  const analysis = await analyzeMedia({
    path,
    container: probe.container,
    sampleRate: probe.sampleRate,
    channels: probe.channels,
    durationSec: probe.durationSec,
    signal,
  }).catch((error: unknown) => {
    throw inUserWords(error);
  });
  const peaksRel = assetFiles.peaks(assetId);
  await writeAtomically(
    join(dataDir, peaksRel),
    (temp) => writePeaksFile(temp, analysis.peaks),
    `Saving the waveform of ${row.original_name}`,
  );
  db.prepare('UPDATE assets SET peaks_path = ? WHERE id = ?').run(peaksRel, assetId);
}
