import { get as readStored, set as writeStored } from 'idb-keyval';
import { create } from 'zustand';
import type { EditAsset } from '../../shared/domain';
import {
  canRedo,
  canUndo,
  type Edit,
  editLength,
  type History,
  applyEdit as historyApply,
  redo as historyRedo,
  historyToJson,
  undo as historyUndo,
} from '../../shared/edit';
import { client } from '../client';
import { continueHistory, editKey, resumeHistory, type StoredEditing } from './edit-resume';
import { createSaveQueue } from './save-queue';
import { useStudio } from './store';

/**
 * The timeline editor's state: the episode's edit with its whole undo history, what is selected,
 * where the playhead is and what part of the timeline is in view. Every change goes through
 * `change` (or undo/redo), which saves the edit to the library shortly after and keeps the
 * history in IndexedDB, so undo survives a reload and a restart.
 */

export interface TimeRange {
  start: number;
  end: number;
}

export interface Selection {
  clipIds: string[];
  markerId: string | null;
  /** A span of time across every track (for ripple delete), chosen by dragging over empty lanes. */
  range: TimeRange | null;
  /** The track that splits, pastes and markers act on when no clip is selected. */
  trackId: string | null;
}

export interface TimelineView {
  /** The sample at the left edge of the lanes. */
  start: number;
  /** Zoom: samples per CSS pixel, from the whole episode down to a sixteenth (16 px a sample). */
  samplesPerPixel: number;
  /** The lanes' width in CSS pixels (measured by the timeline). */
  width: number;
}

export type SaveStatus = 'saved' | 'saving' | 'failed';

export interface EditorState {
  episodeId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  history: History | null;
  assets: Record<string, EditAsset>;
  selection: Selection;
  playhead: number;
  view: TimelineView;
  snapping: boolean;
  save: SaveStatus;
  helpOpen: boolean;

  open(episodeId: string): Promise<void>;
  /**
   * Starts loading an episode's edit before the editor is shown (the app reopening on it), so
   * `open` finds it on its way instead of asking after the episode view has rendered.
   */
  prefetch(episodeId: string): void;
  close(): void;
  /**
   * Applies an operation to the present edit as one undo step. A refused operation (it would
   * break a rule of the edit) is told to the user and changes nothing; returns whether it applied.
   */
  change(
    operation: (edit: Edit) => Edit,
    select?: Partial<Selection>,
    /** Changes in a row with the same key (a slider being dragged) make one undo step. */
    mergeKey?: string,
  ): boolean;
  undo(): void;
  redo(): void;
  /** Takes in an edit the library changed under us (tracks added, chapters imported). */
  refresh(): Promise<void>;
  /**
   * Saves the present edit now instead of after the quiet moment; resolves to whether it is in the
   * library (what the Node side renders is the stored edit).
   */
  saveNow(): Promise<boolean>;
  select(selection: Partial<Selection>): void;
  setPlayhead(sample: number): void;
  setView(view: Partial<TimelineView>): void;
  /** Zooms by `factor` (>1 zooms in), keeping `anchor` (a timeline sample) where it is on screen. */
  zoom(factor: number, anchor?: number): void;
  zoomToFit(): void;
  setSnapping(on: boolean): void;
  setHelpOpen(open: boolean): void;
}

export const MIN_SAMPLES_PER_PIXEL = 1 / 16;
const EMPTY_SELECTION: Selection = { clipIds: [], markerId: null, range: null, trackId: null };
const STORAGE_PREFIX = 'studio.editing.';

export function presentEdit(state: Pick<EditorState, 'history'>): Edit | null {
  return state.history?.present ?? null;
}

function notifyError(message: string): void {
  useStudio.getState().notify({ kind: 'error', message });
}

/** The most zoomed-out view: the whole episode, with a little room after its end. */
export function fitSamplesPerPixel(edit: Edit, width: number): number {
  const length = Math.max(editLength(edit), 48_000 * 10);
  return Math.max(MIN_SAMPLES_PER_PIXEL, (length * 1.05) / Math.max(1, width));
}

export const useEditor = create<EditorState>()((set, get) => {
  // What the library is known to hold, so a stored history can tell whether it was saved.
  let savedKey = '';
  let loadToken = 0;
  // The key of the last change if it may be merged with the next one (see `change`).
  let lastMergeKey: string | null = null;

  const saves = createSaveQueue<{ episodeId: string; edit: Edit }>(
    async ({ episodeId, edit }) => {
      set({ save: 'saving' });
      await client.request('edit.save', { episodeId, edit });
      savedKey = editKey(edit);
      if (get().episodeId === episodeId && get().history?.present === edit) set({ save: 'saved' });
      storeHistory();
    },
    400,
    (error) => {
      set({ save: 'failed' });
      notifyError(`The edit was not saved: ${(error as Error).message}`);
    },
  );

  // Written after a quiet moment: a drag's worth of steps costs one write.
  let storeTimer: ReturnType<typeof setTimeout> | undefined;
  const storeHistory = () => {
    clearTimeout(storeTimer);
    storeTimer = setTimeout(() => {
      const { episodeId, history } = get();
      if (!episodeId || !history) return;
      const value: StoredEditing = { history: historyToJson(history), savedKey };
      writeStored(STORAGE_PREFIX + episodeId, value).catch((error: unknown) =>
        console.warn('The undo history could not be kept for the next session', error),
      );
    }, 250);
  };

  const adopt = (history: History) => {
    const { episodeId } = get();
    if (!episodeId) return;
    set({ history, save: 'saving' });
    saves.schedule({ episodeId, edit: history.present });
    storeHistory();
  };

  /** Drops selected clips and markers that the edit no longer has. */
  const pruneSelection = (edit: Edit, selection: Selection): Selection => {
    const clipIds = new Set(edit.tracks.flatMap((t) => t.clips.map((c) => c.id)));
    const kept = selection.clipIds.filter((id) => clipIds.has(id));
    const markerId =
      selection.markerId && edit.markers.some((m) => m.id === selection.markerId)
        ? selection.markerId
        : null;
    const trackId =
      selection.trackId && edit.tracks.some((t) => t.id === selection.trackId)
        ? selection.trackId
        : null;
    return kept.length === selection.clipIds.length &&
      markerId === selection.markerId &&
      trackId === selection.trackId
      ? selection
      : { ...selection, clipIds: kept, markerId, trackId };
  };

  let prefetched: { episodeId: string; edit: ReturnType<typeof fetchLibraryEdit> } | null = null;
  const fetchLibraryEdit = async (episodeId: string) => {
    const result = await client.request('edit.get', { episodeId });
    return {
      ...result,
      assets: Object.fromEntries(result.assets.map((asset) => [asset.id, asset])),
    };
  };

  return {
    episodeId: null,
    status: 'idle',
    error: null,
    history: null,
    assets: {},
    selection: EMPTY_SELECTION,
    playhead: 0,
    view: { start: 0, samplesPerPixel: 4800, width: 1000 },
    snapping: localStorage.getItem('studio.snapping') !== 'off',
    save: 'saved',
    helpOpen: false,

    open: async (episodeId) => {
      const token = ++loadToken;
      await saves.flush();
      // An edit of the last episode that failed to save (reported) stays in its stored history
      // and is saved when that episode is opened again; it must not hold up this one's saves.
      saves.discard();
      set({
        episodeId,
        status: 'loading',
        error: null,
        history: null,
        assets: {},
        selection: EMPTY_SELECTION,
        playhead: 0,
        save: 'saved',
      });
      try {
        const early = prefetched?.episodeId === episodeId ? prefetched.edit : null;
        prefetched = null;
        const [library, stored] = await Promise.all([
          early?.catch(() => fetchLibraryEdit(episodeId)) ?? fetchLibraryEdit(episodeId),
          readStored<StoredEditing>(STORAGE_PREFIX + episodeId).catch(() => undefined),
        ]);
        if (token !== loadToken) return;
        if (library.restored)
          useStudio.getState().notify({ kind: 'error', message: library.restored, sticky: true });
        const resumed = resumeHistory(library.edit, stored);
        if (resumed.damaged) console.warn(resumed.damaged);
        savedKey = editKey(library.edit);
        const width = get().view.width;
        set({
          status: 'ready',
          history: resumed.history,
          assets: library.assets,
          view: {
            start: 0,
            width,
            samplesPerPixel: fitSamplesPerPixel(resumed.history.present, width),
          },
        });
        if (resumed.unsaved) adopt(resumed.history);
        else storeHistory();
      } catch (error) {
        if (token !== loadToken) return;
        set({ status: 'error', error: (error as Error).message });
      }
    },

    prefetch: (episodeId) => {
      const edit = fetchLibraryEdit(episodeId);
      edit.catch(() => {}); // open() asks again
      prefetched = { episodeId, edit };
    },

    close: () => {
      loadToken++;
      void saves.flush();
      set({
        episodeId: null,
        status: 'idle',
        history: null,
        assets: {},
        selection: EMPTY_SELECTION,
      });
    },

    change: (operation, select, mergeKey) => {
      const { history, selection } = get();
      if (!history) return false;
      const merging = mergeKey !== undefined && mergeKey === lastMergeKey;
      lastMergeKey = mergeKey ?? null;
      let next: Edit;
      try {
        next = operation(history.present);
      } catch (error) {
        notifyError((error as Error).message);
        return false;
      }
      if (next === history.present) return false;
      adopt(merging ? { ...history, present: next, future: [] } : historyApply(history, next));
      set({ selection: pruneSelection(next, { ...selection, ...select }) });
      return true;
    },

    undo: () => {
      lastMergeKey = null;
      const { history, selection } = get();
      if (!history || !canUndo(history)) return;
      const back = historyUndo(history);
      adopt(back);
      set({ selection: pruneSelection(back.present, selection) });
    },

    redo: () => {
      lastMergeKey = null;
      const { history, selection } = get();
      if (!history || !canRedo(history)) return;
      const forward = historyRedo(history);
      adopt(forward);
      set({ selection: pruneSelection(forward.present, selection) });
    },

    refresh: async () => {
      const { episodeId } = get();
      if (!episodeId || get().status !== 'ready') return;
      const token = loadToken;
      try {
        // Pending changes first, so the library's answer is compared with what we have.
        await saves.flush();
        const library = await fetchLibraryEdit(episodeId);
        const { history, selection } = get();
        if (token !== loadToken || !history) return;
        const continued = continueHistory(history, library.edit, savedKey);
        savedKey = editKey(library.edit);
        set({ assets: library.assets });
        if (continued.history !== history) {
          set({
            history: continued.history,
            selection: pruneSelection(continued.history.present, selection),
          });
          storeHistory();
        }
      } catch (error) {
        console.warn('The edit could not be refreshed', error);
      }
    },

    saveNow: () => saves.flush(),

    select: (selection) => set({ selection: { ...get().selection, ...selection } }),

    setPlayhead: (sample) => set({ playhead: Math.max(0, Math.round(sample)) }),

    setView: (view) => {
      const previous = get().view;
      const next = { ...previous, ...view };
      const edit = presentEdit(get());
      const fit = edit ? fitSamplesPerPixel(edit, next.width) : next.samplesPerPixel;
      // A view fitted to the whole episode stays fitted when the lanes are resized (they are
      // first measured after the episode opened at a guessed width).
      const wasFitted =
        edit !== null &&
        view.samplesPerPixel === undefined &&
        previous.samplesPerPixel >= fitSamplesPerPixel(edit, previous.width);
      const wanted = wasFitted ? fit : next.samplesPerPixel;
      const samplesPerPixel = Math.min(Math.max(wanted, MIN_SAMPLES_PER_PIXEL), fit);
      const maxStart = edit
        ? Math.max(0, editLength(edit) + 48_000 * 5 - (next.width * samplesPerPixel) / 2)
        : 0;
      const start = Math.min(Math.max(0, next.start), Math.max(0, maxStart));
      set({ view: { width: next.width, samplesPerPixel, start } });
    },

    zoom: (factor, anchor) => {
      const { view, playhead } = get();
      const at = anchor ?? playhead;
      const offsetPx = (at - view.start) / view.samplesPerPixel;
      const samplesPerPixel = view.samplesPerPixel / factor;
      // Keep the anchor under the same pixel (or, if it is off screen, bring it to the middle).
      const px = offsetPx >= 0 && offsetPx <= view.width ? offsetPx : view.width / 2;
      get().setView({ samplesPerPixel, start: at - px * samplesPerPixel });
      const applied = get().view.samplesPerPixel;
      if (applied !== samplesPerPixel) get().setView({ start: at - px * applied });
    },

    zoomToFit: () => {
      const edit = presentEdit(get());
      if (!edit) return;
      get().setView({ start: 0, samplesPerPixel: fitSamplesPerPixel(edit, get().view.width) });
    },

    setSnapping: (on) => {
      localStorage.setItem('studio.snapping', on ? 'on' : 'off');
      set({ snapping: on });
    },

    setHelpOpen: (open) => set({ helpOpen: open }),
  };
});

/** Keeps the editor in step with library changes pushed by the Node side. */
export function subscribeEditor(): () => void {
  return client.on('library.changed', (change) => {
    const { episodeId } = useEditor.getState();
    if (!episodeId) return;
    if (
      (change.scope === 'tracks' || change.scope === 'edit') &&
      (!change.episodeId || change.episodeId === episodeId)
    ) {
      void useEditor.getState().refresh();
    }
  });
}
