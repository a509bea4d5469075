import { randomUUID } from 'node:crypto';
import type { Marker, MarkerKind } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import { type Db, now } from './database';
import { getEpisode } from './episodes';
import { type MarkerRow, toMarker } from './rows';
import { inTransaction } from './transaction';

/** Markers: points on an episode's timeline (chapter starts, notes to self, ad slots). */

export interface NewMarker {
  /** Samples at 48 kHz from the episode's start. */
  positionSamples: number;
  title: string;
  kind: MarkerKind;
}

/** Adds markers to a live episode, all or none; returns them as stored, in the order given. */
export function addMarkers(db: Db, episodeId: string, markers: readonly NewMarker[]): Marker[] {
  getEpisode(db, episodeId);
  for (const marker of markers) {
    if (!Number.isSafeInteger(marker.positionSamples) || marker.positionSamples < 0)
      throw new StudioError(
        'invalid_input',
        `Marker “${marker.title}” has no valid position (${marker.positionSamples}); a position is a whole number of samples from 0.`,
        { positionSamples: marker.positionSamples },
      );
  }
  const time = now();
  const ids = markers.map(() => randomUUID());
  inTransaction(db, 'Saving the markers', () => {
    const insert = db.prepare(
      `INSERT INTO markers (id, episode_id, position_samples, title, kind, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const [i, marker] of markers.entries())
      insert.run(ids[i], episodeId, marker.positionSamples, marker.title, marker.kind, time);
  });
  return ids.map((id, i) => ({
    id,
    episodeId,
    positionSamples: markers[i]!.positionSamples,
    title: markers[i]!.title,
    kind: markers[i]!.kind,
    createdAt: time,
  }));
}

/** An episode's markers in timeline order (same position: the one added first first). */
export function listMarkers(db: Db, episodeId: string): Marker[] {
  const rows = db
    .prepare(
      'SELECT * FROM markers WHERE episode_id = ? ORDER BY position_samples, created_at, rowid',
    )
    .all(episodeId) as MarkerRow[];
  return rows.map(toMarker);
}
