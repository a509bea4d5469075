import type { Asset } from '../../../shared/domain';
import type { Db } from './database';
import { type AssetRow, toAsset } from './rows';
import { notFound } from './transaction';

export function getAssetRow(db: Db, id: string): AssetRow {
  const row = db.prepare('SELECT * FROM assets WHERE id = ?').get(id) as AssetRow | undefined;
  if (!row) throw notFound('Asset', id);
  return row;
}

export function getAsset(db: Db, id: string): Asset {
  return toAsset(getAssetRow(db, id));
}

/** An asset to record; the processing columns are only set on processed assets. */
export type NewAsset = Omit<AssetRow, 'created_at' | 'source_asset_id' | 'processing_report_json'> &
  Partial<Pick<AssetRow, 'source_asset_id' | 'processing_report_json'>>;

/** Inserts a fully measured asset; callers run it inside their transaction. */
export function insertAsset(db: Db, asset: NewAsset, createdAt: string): void {
  db.prepare(
    `INSERT INTO assets (id, episode_id, kind, original_name, path, working_path, peaks_path, format,
       sample_rate, channels, duration_samples, size_bytes, integrated_lufs, lra, true_peak_dbtp,
       sample_peak_dbfs, source_asset_id, processing_report_json, created_at)
     VALUES (@id, @episode_id, @kind, @original_name, @path, @working_path, @peaks_path, @format,
       @sample_rate, @channels, @duration_samples, @size_bytes, @integrated_lufs, @lra, @true_peak_dbtp,
       @sample_peak_dbfs, @source_asset_id, @processing_report_json, @created_at)`,
  ).run({
    source_asset_id: null,
    processing_report_json: null,
    ...asset,
    created_at: createdAt,
  });
}

/** The asset, if it belongs to the episode: a request cannot reach another episode's audio. */
export function getEpisodeAssetRow(db: Db, assetId: string, episodeId: string): AssetRow {
  const row = getAssetRow(db, assetId);
  if (row.episode_id !== episodeId) throw notFound('Asset', assetId);
  return row;
}
