import type { Edit } from './model';

/**
 * Undo and redo as data. Each step is a whole Edit, which costs little because operations share
 * every track they did not change with the edit before. Unlimited; see history-json.ts for
 * saving it across a reload or a restart.
 */
export interface History {
  /** Oldest first; the last one is what undo returns to. */
  past: Edit[];
  present: Edit;
  /** Nearest first: the first one is what redo returns to. */
  future: Edit[];
}

export function createHistory(edit: Edit): History {
  return { past: [], present: edit, future: [] };
}

/** Makes `next` the present; a new edit drops the redo steps. An unchanged edit is no step. */
export function applyEdit(history: History, next: Edit): History {
  if (next === history.present) return history;
  return { past: [...history.past, history.present], present: next, future: [] };
}

export function canUndo(history: History): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History): boolean {
  return history.future.length > 0;
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
  };
}

export function redo(history: History): History {
  const [next, ...future] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future };
}
