import { create } from 'zustand';
import type {
  Episode,
  EpisodeDetail,
  EpisodePatch,
  EpisodeProcessing,
  Job,
  ProcessingPreset,
  Show,
  ShowPatch,
  TrashItem,
} from '../../shared/domain';
import { ClientError, client } from '../client';
import { moveId } from './reorder';
import { createSaveQueue } from './save-queue';

export type Theme = 'light' | 'dark' | 'system';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** An action offered with the notice, e.g. "Undo" after moving to the trash. */
  action?: { label: string; run: () => void };
  /** Stays until dismissed (or its action is taken) instead of going after a few seconds. */
  sticky?: boolean;
}

/** Which version of a track the player plays: A (original) or B (processed). */
export type ListeningTo = 'original' | 'processed';

export type EpisodeTab = 'edit' | 'tracks';

export interface StudioState {
  shows: Show[];
  showsLoaded: boolean;
  selectedShowId: string | null;
  episodes: Episode[];
  selectedEpisodeId: string | null;
  episode: EpisodeDetail | null;
  jobs: Job[];
  trash: TrashItem[];
  panel: 'none' | 'jobs' | 'trash';
  theme: Theme;
  notices: Notice[];
  presets: ProcessingPreset[];
  /** The selected episode's processing settings as shown (saved shortly after each change). */
  processing: { episodeId: string; value: EpisodeProcessing } | null;
  /** Per track id; a track not listed plays its original. */
  listening: Record<string, ListeningTo>;
  /** Which view of an episode is open: the timeline editor or the track list with processing. */
  episodeTab: EpisodeTab;

  loadShows(): Promise<void>;
  selectShow(id: string | null): Promise<void>;
  selectEpisode(id: string | null): Promise<void>;
  refreshEpisode(): Promise<void>;
  /** Reads the selected show's episode rows again (lengths, track counts) without a reselect. */
  reloadEpisodes(): Promise<void>;
  loadJobs(): Promise<void>;
  loadTrash(): Promise<void>;
  createShow(title: string): Promise<void>;
  updateShow(id: string, patch: ShowPatch): Promise<void>;
  createEpisode(title: string): Promise<void>;
  updateEpisode(id: string, patch: EpisodePatch): Promise<void>;
  renameTrack(id: string, name: string): Promise<void>;
  moveTrack(id: string, delta: -1 | 1): Promise<void>;
  moveShow(id: string, delta: -1 | 1): Promise<void>;
  moveEpisode(id: string, delta: -1 | 1): Promise<void>;
  moveToTrash(entity: TrashItem['entity'], id: string): Promise<void>;
  restore(trashId: string): Promise<void>;
  importFiles(files: File[]): Promise<void>;
  loadPresets(): Promise<void>;
  loadProcessing(episodeId: string): Promise<void>;
  /** Shows the new settings at once and saves them to the episode shortly after. */
  changeProcessing(value: EpisodeProcessing): void;
  /** Saves pending settings, then queues one processing job per track. */
  runProcessing(trackIds: string[]): Promise<void>;
  setListening(trackId: string, version: ListeningTo): void;
  setPanel(panel: StudioState['panel']): void;
  setEpisodeTab(tab: EpisodeTab): void;
  setTheme(theme: Theme): void;
  /** Shows a notice; returns its id (to dismiss it when something newer replaces it). */
  notify(notice: Omit<Notice, 'id'>): number;
  dismiss(id: number): void;
}

let nextNoticeId = 1;

/** All UI state in one store; every action reports failures as a notice instead of throwing. */
export const useStudio = create<StudioState>()((set, get) => {
  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const message =
        error instanceof ClientError || error instanceof Error ? error.message : String(error);
      get().notify({ kind: 'error', message });
    }
  };

  const processingSaves = createSaveQueue<{ episodeId: string; value: EpisodeProcessing }>(
    async ({ episodeId, value }) => {
      await client.request('processing.set', { episodeId, ...value });
    },
    300,
    (error, { episodeId }) => {
      get().notify({
        kind: 'error',
        message: `The processing settings were not saved: ${(error as Error).message}`,
      });
      // Show what is really stored rather than what failed to save, and never send that later.
      processingSaves.discard();
      void get().loadProcessing(episodeId);
    },
  );

  return {
    shows: [],
    showsLoaded: false,
    selectedShowId: null,
    episodes: [],
    selectedEpisodeId: null,
    episode: null,
    jobs: [],
    trash: [],
    panel: 'none',
    theme: (localStorage.getItem('studio.theme') as Theme | null) ?? 'system',
    episodeTab: localStorage.getItem('studio.episodeTab') === 'tracks' ? 'tracks' : 'edit',
    notices: [],
    presets: [],
    processing: null,
    listening: {},

    loadShows: () =>
      attempt(async () => {
        const shows = await client.request('shows.list', {});
        set({ shows, showsLoaded: true });
        const { selectedShowId } = get();
        if (selectedShowId && !shows.some((s) => s.id === selectedShowId))
          await get().selectShow(null);
        else if (!selectedShowId && shows[0]) await get().selectShow(shows[0].id);
      }),

    selectShow: (id) =>
      attempt(async () => {
        localStorage.setItem('studio.show', id ?? '');
        set({ selectedShowId: id, episodes: [] });
        if (!id) {
          await get().selectEpisode(null);
          return;
        }
        const episodes = await client.request('episodes.list', { showId: id });
        set({ episodes });
        const current = get().selectedEpisodeId;
        if (!current || !episodes.some((e) => e.id === current)) await get().selectEpisode(null);
      }),

    selectEpisode: (id) =>
      attempt(async () => {
        localStorage.setItem('studio.episode', id ?? '');
        set({ selectedEpisodeId: id, episode: id ? get().episode : null });
        if (!id) return;
        const episode = await client.request('episodes.get', { id });
        // A slow answer for an episode the user has already left must not replace the view.
        if (get().selectedEpisodeId === id) set({ episode });
        if (get().processing?.episodeId !== id) await get().loadProcessing(id);
      }),

    refreshEpisode: async () => {
      const id = get().selectedEpisodeId;
      if (id) await get().selectEpisode(id);
    },

    reloadEpisodes: () =>
      attempt(async () => {
        const showId = get().selectedShowId;
        if (!showId) return;
        const episodes = await client.request('episodes.list', { showId });
        if (get().selectedShowId !== showId) return;
        const { episode } = get();
        const row = episode && episodes.find((e) => e.id === episode.episode.id);
        set({ episodes, ...(episode && row ? { episode: { ...episode, episode: row } } : {}) });
      }),

    loadJobs: () => attempt(async () => set({ jobs: await client.request('jobs.list', {}) })),
    loadTrash: () => attempt(async () => set({ trash: await client.request('trash.list', {}) })),

    createShow: (title) =>
      attempt(async () => {
        const show = await client.request('shows.create', { title });
        await get().loadShows();
        await get().selectShow(show.id);
      }),

    updateShow: (id, patch) =>
      attempt(async () => {
        await client.request('shows.update', { id, patch });
        await get().loadShows();
        await get().refreshEpisode();
      }),

    createEpisode: (title) =>
      attempt(async () => {
        const showId = get().selectedShowId;
        if (!showId) return;
        const episode = await client.request('episodes.create', { showId, title });
        await get().selectShow(showId);
        await get().selectEpisode(episode.id);
      }),

    updateEpisode: (id, patch) =>
      attempt(async () => {
        await client.request('episodes.update', { id, patch });
        await get().selectShow(get().selectedShowId);
        await get().refreshEpisode();
      }),

    moveShow: (id, delta) =>
      attempt(async () => {
        const ids = moveId(get().shows, id, delta);
        if (ids) await client.request('shows.reorder', { ids });
        await get().loadShows();
      }),

    renameTrack: (id, name) =>
      attempt(async () => {
        await client.request('tracks.rename', { id, name });
        await get().refreshEpisode();
      }),

    moveTrack: (id, delta) =>
      attempt(async () => {
        const detail = get().episode;
        if (!detail) return;
        const ids = moveId(detail.tracks, id, delta);
        if (ids) await client.request('tracks.reorder', { episodeId: detail.episode.id, ids });
        await get().refreshEpisode();
      }),

    moveEpisode: (id, delta) =>
      attempt(async () => {
        const showId = get().selectedShowId;
        const ids = moveId(get().episodes, id, delta);
        if (ids && showId) await client.request('episodes.reorder', { showId, ids });
        await get().selectShow(showId);
      }),

    moveToTrash: (entity, id) =>
      attempt(async () => {
        const request =
          entity === 'show'
            ? 'shows.trash'
            : entity === 'episode'
              ? 'episodes.trash'
              : 'tracks.trash';
        const item = await client.request(request, { id });
        get().notify({
          kind: 'info',
          message: `Moved “${item.title}” to the trash.`,
          action: { label: 'Undo', run: () => void get().restore(item.id) },
        });
        await get().loadShows();
        await get().selectShow(get().selectedShowId);
        await get().refreshEpisode();
        await get().loadTrash();
      }),

    restore: (trashId) =>
      attempt(async () => {
        await client.request('trash.restore', { id: trashId });
        await get().loadShows();
        await get().selectShow(get().selectedShowId);
        await get().refreshEpisode();
        await get().loadTrash();
      }),

    importFiles: (files) =>
      attempt(async () => {
        // The episode on screen, which is where the user dropped or picked the files.
        const episodeId = get().episode?.episode.id;
        if (!episodeId || files.length === 0) return;
        await client.importFiles(episodeId, files);
        set({ panel: 'jobs' });
        await get().loadJobs();
      }),

    loadPresets: () =>
      attempt(async () => set({ presets: await client.request('processing.presets', {}) })),

    loadProcessing: (episodeId) =>
      attempt(async () => {
        // A change still waiting to be saved must land before it is read back.
        await processingSaves.flush();
        const value = await client.request('processing.get', { episodeId });
        if (get().selectedEpisodeId === episodeId) set({ processing: { episodeId, value } });
      }),

    changeProcessing: (value) => {
      const current = get().processing;
      if (!current) return;
      set({ processing: { episodeId: current.episodeId, value } });
      processingSaves.schedule({ episodeId: current.episodeId, value });
    },

    runProcessing: (trackIds) =>
      attempt(async () => {
        // The job takes the settings stored with the episode: store what is on screen first.
        if (!(await processingSaves.flush())) return;
        for (const trackId of trackIds) {
          const job = await client.request('processing.run', { trackId });
          const { jobs } = get();
          if (!jobs.some((j) => j.id === job.id)) set({ jobs: [job, ...jobs] });
        }
      }),

    setListening: (trackId, version) =>
      set({ listening: { ...get().listening, [trackId]: version } }),

    setEpisodeTab: (episodeTab) => {
      localStorage.setItem('studio.episodeTab', episodeTab);
      set({ episodeTab });
    },

    setPanel: (panel) => {
      set({ panel });
      if (panel === 'jobs') void get().loadJobs();
      if (panel === 'trash') void get().loadTrash();
    },

    setTheme: (theme) => {
      localStorage.setItem('studio.theme', theme);
      set({ theme });
    },

    notify: (notice) => {
      const id = nextNoticeId++;
      set({ notices: [...get().notices, { ...notice, id }] });
      if (!notice.sticky)
        setTimeout(() => get().dismiss(id), notice.kind === 'error' ? 12_000 : 8_000);
      return id;
    },

    dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  };
});

/** Keeps the store in step with what the Node side pushes; returns the unsubscribe. */
export function subscribeToEvents(): () => void {
  const offJob = client.on('job.updated', (job) => {
    const { jobs } = useStudio.getState();
    const index = jobs.findIndex((j) => j.id === job.id);
    const next = index >= 0 ? jobs.map((j) => (j.id === job.id ? job : j)) : [job, ...jobs];
    useStudio.setState({ jobs: next });
    if (job.status === 'failed' && job.error) {
      useStudio.getState().notify({ kind: 'error', message: job.error.message });
    }
  });
  const offLibrary = client.on('library.changed', (change) => {
    const state = useStudio.getState();
    // Show rows carry episode counts; episode rows carry track counts.
    if (change.scope === 'episodes' || change.scope === 'trash') void state.loadShows();
    if (
      change.scope === 'tracks' &&
      (!change.episodeId || change.episodeId === state.selectedEpisodeId)
    ) {
      void state.refreshEpisode();
      void state.selectShow(state.selectedShowId);
    }
    // A saved edit changes its episode's length, shown in the list and the episode's header.
    if (change.scope === 'edit') void state.reloadEpisodes();
  });
  return () => {
    offJob();
    offLibrary();
  };
}

/** The show and episode the app had open when it was last left, as restoreSelection reads them. */
export function storedSelection(): { showId: string | null; episodeId: string | null } {
  return {
    showId: localStorage.getItem('studio.show') || null,
    episodeId: localStorage.getItem('studio.episode') || null,
  };
}

/** Restores the last selection after a reload. */
export async function restoreSelection(): Promise<void> {
  // Read first: loading shows selects the first one, which resets the stored episode.
  const { showId, episodeId } = storedSelection();
  const state = useStudio.getState();
  if (showId) {
    // Reopening where the user left: the show list, the show's episodes and the episode are
    // asked for at once instead of one after another (each a round trip before the editor can
    // start). Anything missing (trashed since) falls back to the plain path below.
    const [shows, episodes, episode] = await Promise.all([
      client.request('shows.list', {}).catch(() => null),
      client.request('episodes.list', { showId }).catch(() => null),
      episodeId ? client.request('episodes.get', { id: episodeId }).catch(() => null) : null,
    ]);
    // An episode opened while these were on their way (a click, a job's link) is the user's
    // choice now; the stored one must not replace it.
    const opened = useStudio.getState().selectedEpisodeId;
    if (opened !== null && opened !== state.selectedEpisodeId) return;
    if (shows?.some((s) => s.id === showId) && episodes) {
      const found = episode && episodes.some((e) => e.id === episode.episode.id) ? episode : null;
      useStudio.setState({
        shows,
        showsLoaded: true,
        selectedShowId: showId,
        episodes,
        selectedEpisodeId: found?.episode.id ?? null,
        episode: found,
      });
      localStorage.setItem('studio.episode', found?.episode.id ?? '');
      if (found) await state.loadProcessing(found.episode.id);
      return;
    }
  }
  await state.loadShows();
  if (showId && useStudio.getState().shows.some((s) => s.id === showId)) {
    await state.selectShow(showId);
    if (episodeId && useStudio.getState().episodes.some((e) => e.id === episodeId)) {
      await state.selectEpisode(episodeId);
    }
  }
}
