import {
  EpisodeProcessing,
  type ProcessedVersion,
  ProcessingReportValue,
} from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import type { ProcessingReport } from '../../../shared/processing';
import { insertAsset, type NewAsset } from './assets';
import { type Db, now } from './database';
import { getEpisode } from './episodes';
import { type AssetRow, toAsset } from './rows';
import { inTransaction, notFound } from './transaction';

/**
 * Processing in the library: an episode's settings (episodes.processing_json) and each track's
 * latest processed version (tracks.processed_asset_id → an asset of kind 'processed' that names
 * its source_asset_id and carries the report).
 */

/** The episode's saved settings, or `defaults` (the Podcast preset) until they are first saved. */
export function getEpisodeProcessing(
  db: Db,
  episodeId: string,
  defaults: () => EpisodeProcessing,
): EpisodeProcessing {
  getEpisode(db, episodeId);
  const json = db
    .prepare('SELECT processing_json FROM episodes WHERE id = ?')
    .pluck()
    .get(episodeId) as string | null;
  if (json === null) return defaults();
  const parsed = EpisodeProcessing.safeParse(JSON.parse(json));
  if (parsed.success) return parsed.data;
  // Only this code writes the column, validated; a value it cannot read must not hide the episode.
  console.warn(`Episode ${episodeId}: unreadable processing settings, using the defaults.`);
  return defaults();
}

export function saveEpisodeProcessing(
  db: Db,
  episodeId: string,
  processing: EpisodeProcessing,
): EpisodeProcessing {
  getEpisode(db, episodeId);
  const value = EpisodeProcessing.parse(processing);
  inTransaction(db, 'Saving the processing settings', () => {
    db.prepare('UPDATE episodes SET processing_json = ?, updated_at = ? WHERE id = ?').run(
      JSON.stringify(value),
      now(),
      episodeId,
    );
  });
  return value;
}

/** A processed asset with its report, as the renderer sees it; null if there is none. */
export function getProcessedVersion(db: Db, assetId: string | null): ProcessedVersion | null {
  if (assetId === null) return null;
  const row = db.prepare('SELECT * FROM assets WHERE id = ?').get(assetId) as AssetRow | undefined;
  if (!row?.source_asset_id || !row.processing_report_json) return null;
  return {
    asset: toAsset(row),
    sourceAssetId: row.source_asset_id,
    report: JSON.parse(row.processing_report_json) as ProcessingReport,
  };
}

export interface NewProcessedVersion {
  trackId: string;
  sourceAssetId: string;
  asset: Omit<NewAsset, 'kind' | 'source_asset_id' | 'processing_report_json'>;
  report: ProcessingReport;
}

/**
 * Inserts a processed asset made from `sourceAssetId`, carrying its (validated) report; callers run
 * it inside their transaction. A track's processed version and an episode's master both are one.
 */
export function insertProcessedAsset(
  db: Db,
  asset: NewProcessedVersion['asset'],
  sourceAssetId: string,
  report: ProcessingReport,
  createdAt: string,
): void {
  insertAsset(
    db,
    {
      ...asset,
      kind: 'processed',
      source_asset_id: sourceAssetId,
      processing_report_json: JSON.stringify(ProcessingReportValue.parse(report)),
    },
    createdAt,
  );
}

/**
 * Records a finished processed version and makes it the track's current one, in one transaction.
 * The version it replaces is deleted with it (unless something else still uses that asset); the
 * caller removes the returned asset's files once this has committed.
 */
export function recordProcessedVersion(
  db: Db,
  version: NewProcessedVersion,
): { replacedAssetId: string | null } {
  const report = ProcessingReportValue.parse(version.report);
  return inTransaction(db, `Saving the processed version of ${version.asset.original_name}`, () => {
    const track = db
      .prepare('SELECT asset_id, processed_asset_id, name FROM tracks WHERE id = ?')
      .get(version.trackId) as
      | { asset_id: string | null; processed_asset_id: string | null; name: string }
      | undefined;
    if (!track) throw notFound('Track', version.trackId);
    if (track.asset_id !== version.sourceAssetId) {
      throw new StudioError(
        'conflict',
        `The audio of “${track.name}” changed while it was being processed; process it again.`,
        { trackId: version.trackId },
      );
    }
    insertProcessedAsset(db, version.asset, version.sourceAssetId, report, now());
    db.prepare('UPDATE tracks SET processed_asset_id = ? WHERE id = ?').run(
      version.asset.id,
      version.trackId,
    );
    const replaced = track.processed_asset_id;
    if (replaced === null) return { replacedAssetId: null };
    const deleted = db
      .prepare(
        `DELETE FROM assets WHERE id = ?
           AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.asset_id = assets.id OR t.processed_asset_id = assets.id)
           AND NOT EXISTS (SELECT 1 FROM shows s WHERE s.artwork_asset_id = assets.id)`,
      )
      .run(replaced);
    return { replacedAssetId: deleted.changes > 0 ? replaced : null };
  });
}
