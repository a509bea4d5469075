import type { Mixdown } from '../../../shared/domain';
import type { ProcessingReport } from '../../../shared/processing';
import { insertAsset, type NewAsset } from '../library/assets';
import type { Db } from '../library/database';
import { getEpisode } from '../library/episodes';
import { getProcessedVersion, insertProcessedAsset } from '../library/processing';
import { type AssetRow, toAsset } from '../library/rows';
import { inTransaction } from '../library/transaction';

/**
 * An episode's mixdown in the library: an asset of kind `render` on the episode and on no track,
 * and its master, an asset of kind `processed` whose source_asset_id is the render (so it goes
 * with it by cascade). Only the latest is kept. A render's created_at is when the edit it was
 * rendered from was read, so an edit saved after that (edit_saved_at) means the mixdown is stale.
 */

export interface NewMixdown {
  episodeId: string;
  /** When the edit was read: the render's created_at. */
  editReadAt: string;
  render: Omit<NewAsset, 'kind' | 'episode_id' | 'source_asset_id' | 'processing_report_json'>;
  master: {
    asset: Omit<NewAsset, 'kind' | 'episode_id' | 'source_asset_id' | 'processing_report_json'>;
    report: ProcessingReport;
  } | null;
}

function latestRenderRow(db: Db, episodeId: string): AssetRow | undefined {
  return db
    .prepare(
      `SELECT * FROM assets WHERE episode_id = ? AND kind = 'render'
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .get(episodeId) as AssetRow | undefined;
}

/**
 * Records a finished mixdown (and its master) in one transaction, after checking the episode is
 * still there, and deletes the episode's earlier ones (their masters go by cascade). Returns the
 * ids of the assets deleted: the caller removes their folders once this has committed.
 */
export function recordMixdown(db: Db, mixdown: NewMixdown): { replacedAssetIds: string[] } {
  const { episodeId } = mixdown;
  return inTransaction(db, `Saving the mixdown of ${mixdown.render.original_name}`, () => {
    getEpisode(db, episodeId);
    const previous = db
      .prepare(
        `SELECT id FROM assets WHERE episode_id = ? AND (kind = 'render' OR (kind = 'processed'
           AND source_asset_id IN (SELECT id FROM assets WHERE episode_id = ? AND kind = 'render')))`,
      )
      .pluck()
      .all(episodeId, episodeId) as string[];
    insertAsset(
      db,
      { ...mixdown.render, kind: 'render', episode_id: episodeId },
      mixdown.editReadAt,
    );
    if (mixdown.master) {
      insertProcessedAsset(
        db,
        { ...mixdown.master.asset, episode_id: episodeId },
        mixdown.render.id,
        mixdown.master.report,
        mixdown.editReadAt,
      );
    }
    const remove = db.prepare("DELETE FROM assets WHERE id = ? AND kind = 'render'");
    for (const id of previous) remove.run(id);
    return { replacedAssetIds: previous };
  });
}

/** The episode's latest mixdown and master, and whether its edit was saved after it was made. */
export function getMixdown(db: Db, episodeId: string): Mixdown {
  getEpisode(db, episodeId);
  const render = latestRenderRow(db, episodeId);
  if (!render) return { mixdown: null, master: null, editChangedSince: false };
  const masterId = db
    .prepare(
      `SELECT id FROM assets WHERE source_asset_id = ? AND kind = 'processed'
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .pluck()
    .get(render.id) as string | undefined;
  const savedAt = db
    .prepare('SELECT edit_saved_at FROM episodes WHERE id = ?')
    .pluck()
    .get(episodeId) as string | null;
  return {
    mixdown: toAsset(render),
    master: getProcessedVersion(db, masterId ?? null),
    editChangedSince: savedAt !== null && savedAt > render.created_at,
  };
}
