import type {
  Asset,
  Episode,
  Marker,
  ProcessedVersion,
  Show,
  Track,
  TrashItem,
} from '../../../shared/domain';

/** Row shapes as SQLite returns them, and their mapping to the domain types. */

export interface ShowRow {
  id: string;
  title: string;
  author: string;
  description: string;
  language: string;
  category: string;
  explicit: number;
  artwork_asset_id: string | null;
  position: number;
  created_at: string;
  updated_at: string;
  episode_count: number;
}

export function toShow(row: ShowRow): Show {
  return {
    id: row.id,
    title: row.title,
    author: row.author,
    description: row.description,
    language: row.language,
    category: row.category,
    explicit: row.explicit === 1,
    artworkAssetId: row.artwork_asset_id,
    position: row.position,
    episodeCount: row.episode_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface EpisodeRow {
  id: string;
  show_id: string;
  title: string;
  number: number | null;
  season: number | null;
  type: Episode['type'];
  status: Episode['status'];
  notes: string;
  position: number;
  created_at: string;
  updated_at: string;
  track_count: number;
  duration_samples: number | null;
}

export function toEpisode(row: EpisodeRow): Episode {
  return {
    id: row.id,
    showId: row.show_id,
    title: row.title,
    number: row.number,
    season: row.season,
    type: row.type,
    status: row.status,
    notes: row.notes,
    position: row.position,
    trackCount: row.track_count,
    durationSamples: row.duration_samples ?? 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface AssetRow {
  id: string;
  episode_id: string | null;
  kind: Asset['kind'];
  original_name: string;
  path: string;
  working_path: string | null;
  peaks_path: string | null;
  format: string;
  sample_rate: number;
  channels: number;
  duration_samples: number;
  size_bytes: number;
  integrated_lufs: number | null;
  lra: number;
  true_peak_dbtp: number | null;
  sample_peak_dbfs: number | null;
  /** Set on processed assets: the asset they were made from. */
  source_asset_id: string | null;
  /** Set on processed assets: the ProcessingReport as JSON. */
  processing_report_json: string | null;
  created_at: string;
}

export function toAsset(row: AssetRow): Asset {
  return {
    id: row.id,
    episodeId: row.episode_id,
    kind: row.kind,
    originalName: row.original_name,
    format: row.format,
    sampleRate: row.sample_rate,
    channels: row.channels,
    durationSamples: row.duration_samples,
    sizeBytes: row.size_bytes,
    hasWorkingCopy: row.working_path !== null,
    loudness: {
      integratedLufs: row.integrated_lufs,
      lra: row.lra,
      truePeakDbtp: row.true_peak_dbtp,
      samplePeakDbfs: row.sample_peak_dbfs,
    },
    createdAt: row.created_at,
  };
}

export interface TrackRow {
  id: string;
  episode_id: string;
  name: string;
  asset_id: string | null;
  processed_asset_id: string | null;
  position: number;
  created_at: string;
}

export function toTrack(
  row: TrackRow,
  asset: Asset | null,
  processed: ProcessedVersion | null,
): Track {
  return {
    id: row.id,
    episodeId: row.episode_id,
    name: row.name,
    position: row.position,
    asset,
    processed,
    createdAt: row.created_at,
  };
}

export interface TrashRow {
  id: string;
  entity: TrashItem['entity'];
  entity_id: string;
  title: string;
  parent_title: string | null;
  deleted_at: string;
}

export function toTrashItem(row: TrashRow): TrashItem {
  return {
    id: row.id,
    entity: row.entity,
    entityId: row.entity_id,
    title: row.title,
    parentTitle: row.parent_title,
    deletedAt: row.deleted_at,
  };
}

export interface MarkerRow {
  id: string;
  episode_id: string;
  position_samples: number;
  title: string;
  kind: Marker['kind'];
  created_at: string;
}

export function toMarker(row: MarkerRow): Marker {
  return {
    id: row.id,
    episodeId: row.episode_id,
    positionSamples: row.position_samples,
    title: row.title,
    kind: row.kind,
    createdAt: row.created_at,
  };
}
