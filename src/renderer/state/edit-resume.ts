import {
  applyEdit,
  createHistory,
  type Edit,
  type History,
  type HistoryJson,
  historyFromJson,
} from '../../shared/edit';

/**
 * What the renderer keeps of an episode's editing between sessions (in IndexedDB): the whole
 * undo history, and which edit the Node side was last known to hold. Together they tell, when the
 * episode is opened again, whether the last changes reached the library or still have to be saved.
 */
export interface StoredEditing {
  history: HistoryJson;
  /** `editKey` of the edit last saved to (or read from) the library. */
  savedKey: string;
}

/** A key that is equal for equal edits whatever order their objects' keys were written in. */
export function editKey(edit: Edit): string {
  return JSON.stringify(edit, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : value,
  );
}

export interface Resumed {
  history: History;
  /** The present edit is newer than the library's: save it. */
  unsaved: boolean;
  /** Set when the stored history could not be read (it is then started afresh). */
  damaged: string | null;
}

/**
 * Picks up where the user left off. The library's edit is the truth about what is saved; the
 * stored history adds the undo steps, and the changes made after the last save if the app was
 * closed before it landed. When the library's edit changed elsewhere (tracks added, chapters
 * imported from the command line), it becomes a new step, so undo still reaches what came before.
 */
export function resumeHistory(library: Edit, stored: StoredEditing | undefined): Resumed {
  if (!stored) return { history: createHistory(library), unsaved: false, damaged: null };
  let local: History;
  try {
    local = historyFromJson(stored.history);
  } catch (error) {
    return {
      history: createHistory(library),
      unsaved: false,
      damaged: (error as Error).message,
    };
  }
  return { ...continueHistory(local, library, stored.savedKey), damaged: null };
}

/** The same decision for a history in memory when the library's edit changes under it. */
export function continueHistory(
  local: History,
  library: Edit,
  savedKey: string,
): { history: History; unsaved: boolean } {
  const libraryKey = editKey(library);
  if (libraryKey === editKey(local.present)) return { history: local, unsaved: false };
  if (libraryKey === savedKey) return { history: local, unsaved: true };
  return { history: applyEdit(local, library), unsaved: false };
}
