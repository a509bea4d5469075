import { StudioError } from '../errors';
import type { Edit } from './model';

export type NewId = () => string;

/** A default for new ids where the caller gives none; tests pass their own to stay repeatable. */
export const randomId: NewId = () => crypto.randomUUID();

/** Ids of every clip, for operations that make new clips and must not reuse an id. */
export function clipIds(edit: Edit): Set<string> {
  const ids = new Set<string>();
  for (const track of edit.tracks) for (const clip of track.clips) ids.add(clip.id);
  return ids;
}

/** A new id not in `used` (and then added to it). */
export function freshId(used: Set<string>, newId: NewId): string {
  const id = newId();
  if (used.has(id) || id.length === 0 || id.length > 64) {
    throw new StudioError('internal', `The id maker gave an unusable clip id: ${id}`);
  }
  used.add(id);
  return id;
}
