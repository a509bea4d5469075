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

export type NewAsset = Omit<AssetRow, 'created_at'>;

/** Inserts a fully measured asset; callers run it inside their transaction. */
export function insertAsset(db: Db, asset: NewAsset, createdAt: string): void {
  db.prepare(
    `INSERT INTO assets (id, episode_id, kind, original_name, path, working_path, peaks_path, format,
       sample_rate, channels, duration_samples, size_bytes, integrated_lufs, lra, true_peak_dbtp,
       sample_peak_dbfs, created_at)
     VALUES (@id, @episode_id, @kind, @original_name, @path, @working_path, @peaks_path, @format,
       @sample_rate, @channels, @duration_samples, @size_bytes, @integrated_lufs, @lra, @true_peak_dbtp,
       @sample_peak_dbfs, @created_at)`,
  ).run({ ...asset, created_at: createdAt });
}
