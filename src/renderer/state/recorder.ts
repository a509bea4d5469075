import { create } from 'zustand';
import type {
  AudioDevice,
  InterruptedTake,
  RecorderSettings,
  RecorderStatus,
  TakeSaved,
} from '../../shared/recording';
import { ClientError, client } from '../client';
import { levelHistory } from '../features/recorder/level-history';
import { nextStatusNotice, statusNoticeKind } from '../features/recorder/recorder-notice';
import { setupIsSavable } from '../features/recorder/sources';
import { createSaveQueue } from './save-queue';
import { useStudio } from './store';

/** A transport request on its way: its buttons wait for the answer instead of sending twice. */
export type RecorderAction =
  | 'arm'
  | 'disarm'
  | 'record'
  | 'pause'
  | 'resume'
  | 'marker'
  | 'stop'
  | null;

export interface RecorderUiState {
  /** The recorder is shown in the episode view. */
  open: boolean;
  /** What the Node side last said; null until first asked. */
  status: RecorderStatus | null;
  devices: AudioDevice[];
  devicesState: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the devices could not be listed (no audio backend): test signals still work. */
  devicesError: string | null;
  /** The setup on screen, for one show (saved shortly after each change). */
  setup: { showId: string; settings: RecorderSettings } | null;
  /** Seconds left of the count-in while it runs; null otherwise. */
  countIn: number | null;
  pending: RecorderAction;
  /** The last stop's result, shown until the next take starts. */
  lastTake: TakeSaved | null;
  /**
   * Stops still waiting for their answer, which comes only once the take is in the episode
   * (behind other jobs, that can take minutes); the recorder is idle meanwhile.
   */
  savingTakes: number;
  /**
   * The last status notice (a take that stopped by itself, a take saved by a disarm elsewhere),
   * shown in the setup until the next arm.
   */
  notice: { message: string; kind: 'error' | 'info' } | null;
  /**
   * Where the user is moving a track's gain slider to, by track index: shown instead of the
   * status until the Node side has answered for the last value (a status a second old would
   * otherwise pull the slider back mid-drag).
   */
  gainDrafts: Record<number, number>;
  /** The same for the monitoring level. */
  monitorDraft: number | null;

  openRecorder(): void;
  /** Closes the recorder; an armed recorder is disarmed first. */
  closeRecorder(): Promise<void>;
  loadDevices(): Promise<void>;
  /**
   * A device was plugged in or pulled out (the pushed whole list). Only the lists change: a
   * setup's source that went stays selected, shown "(not found)"; an armed recorder is left as it
   * is (its status says which track lost its device).
   */
  applyDevices(devices: AudioDevice[]): void;
  loadSetup(showId: string): Promise<void>;
  /** Shows the new setup at once and saves it for the show shortly after. */
  changeSetup(settings: RecorderSettings): void;
  arm(episodeId: string): Promise<void>;
  disarm(): Promise<void>;
  /** Counts in (if the setup says so), then starts the take. */
  record(): Promise<void>;
  cancelCountIn(): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  marker(): Promise<void>;
  stop(): Promise<void>;
  /** Sets a track's OS input gain; while dragging, only the latest value is sent. */
  setGain(track: number, percent: number): void;
  /** Sets the headphone level (0 = off); while dragging, only the latest value is sent. */
  setMonitor(level: number): void;
  applyStatus(status: RecorderStatus): void;
}

function messageOf(error: unknown): string {
  return error instanceof ClientError || error instanceof Error ? error.message : String(error);
}

const notify = (kind: 'error' | 'info', message: string) =>
  useStudio.getState().notify({ kind, message });

/**
 * Sends values one request at a time and, of those that arrive meanwhile, only the latest: a
 * slider dragged across its range makes a few requests, not one per pixel. `idle` runs once
 * the last value has been answered.
 */
function latestWins<T>(send: (value: T) => Promise<void>, idle: () => void): (value: T) => void {
  let next: { value: T } | null = null;
  let running = false;
  const pump = async () => {
    running = true;
    while (next) {
      const { value } = next;
      next = null;
      await send(value);
    }
    running = false;
    idle();
  };
  return (value) => {
    next = { value };
    if (!running) void pump();
  };
}

/** The recorder's UI state. Meter readings are not here: see features/recorder/level-history. */
export const useRecorder = create<RecorderUiState>()((set, get) => {
  // Bumped to cancel a count-in that is running.
  let countInRun = 0;
  // Bumped by each transport request, so one that ends late does not clear a newer one's pending.
  let transportRun = 0;
  // The status notice last seen, and the notice showing it (replaced by the next one).
  let lastSeenNotice: string | null = null;
  let statusNoticeId: number | null = null;

  const showStatusNotice = (status: RecorderStatus) => {
    const next = nextStatusNotice(lastSeenNotice, status);
    lastSeenNotice = next.seen;
    if (next.show === null) return;
    const { kind, sticky } = statusNoticeKind(next.show);
    const studio = useStudio.getState();
    // "Saving what was recorded…" is followed by what was saved: show the latest only.
    if (statusNoticeId !== null) studio.dismiss(statusNoticeId);
    statusNoticeId = studio.notify({ kind, message: next.show, sticky });
    set({ notice: { message: next.show, kind } });
    // A take that could not be finished is left for recovery: offer it now, not at next start.
    void offerInterruptedTakes();
  };

  const settingsSaves = createSaveQueue<{ showId: string; settings: RecorderSettings }>(
    async ({ showId, settings }) => {
      await client.request('recorder.saveSettings', { showId, settings });
    },
    300,
    (error) => notify('error', `The recorder setup was not saved: ${messageOf(error)}`),
  );

  /** Runs one transport request; its answer (a status) replaces the one shown. */
  const transport = async (
    action: Exclude<RecorderAction, null>,
    send: () => Promise<RecorderStatus | null>,
  ) => {
    if (get().pending) return;
    const run = ++transportRun;
    set({ pending: action });
    try {
      const status = await send();
      if (status) get().applyStatus(status);
    } catch (error) {
      notify('error', messageOf(error));
      // What failed may have changed the state anyway (a source that died while arming).
      void client.request('recorder.status', {}).then(get().applyStatus, () => {});
      // A take that could not be stopped cleanly is kept for recovery: offer it at once.
      if (action === 'stop') void offerInterruptedTakes();
    } finally {
      // A stop frees the buttons once the recorder is idle (see applyStatus); by the time it
      // answers, another request may be pending.
      if (run === transportRun) set({ pending: null });
    }
  };

  /** A control's request failed: say why and show what the Node side really has. */
  const controlFailed = (error: unknown) => {
    notify('error', messageOf(error));
    void client.request('recorder.status', {}).then(get().applyStatus, () => {});
  };
  const gainSenders = new Map<number, (percent: number) => void>();
  const sendMonitor = latestWins(
    async (level: number) => {
      try {
        get().applyStatus(await client.request('recorder.setMonitor', { level }));
      } catch (error) {
        controlFailed(error);
      }
    },
    () => set({ monitorDraft: null }),
  );

  return {
    open: false,
    status: null,
    devices: [],
    devicesState: 'idle',
    devicesError: null,
    setup: null,
    countIn: null,
    pending: null,
    lastTake: null,
    savingTakes: 0,
    notice: null,
    gainDrafts: {},
    monitorDraft: null,

    openRecorder: () => {
      set({ open: true });
      if (get().devicesState === 'idle') void get().loadDevices();
    },

    closeRecorder: async () => {
      const state = get().status?.state;
      if (state === 'recording' || state === 'paused') return;
      get().cancelCountIn();
      if (state === 'armed') await get().disarm();
      set({ open: false });
    },

    loadDevices: async () => {
      set({ devicesState: 'loading' });
      try {
        const devices = await client.request('recorder.devices', {});
        set({ devices, devicesState: 'ready', devicesError: null });
      } catch (error) {
        set({ devices: [], devicesState: 'error', devicesError: messageOf(error) });
      }
    },

    applyDevices: (devices) => set({ devices, devicesState: 'ready', devicesError: null }),

    loadSetup: async (showId) => {
      try {
        await settingsSaves.flush();
        // What failed to save (already reported) is not tried again over the setup read now.
        settingsSaves.discard();
        const settings = await client.request('recorder.settings', { showId });
        set({ setup: { showId, settings } });
      } catch (error) {
        notify('error', `The recorder setup could not be read: ${messageOf(error)}`);
      }
    },

    changeSetup: (settings) => {
      const current = get().setup;
      if (!current) return;
      set({ setup: { showId: current.showId, settings } });
      // An empty name is shown (the field says what is wrong) but never stored.
      if (setupIsSavable(settings)) settingsSaves.schedule({ showId: current.showId, settings });
    },

    arm: (episodeId) =>
      transport('arm', async () => {
        const setup = get().setup;
        if (!setup) return null;
        await settingsSaves.flush();
        levelHistory.clear();
        set({ lastTake: null, notice: null });
        const tracks = setup.settings.tracks.map((t) => ({
          name: t.name.trim(),
          source: t.source,
        }));
        return client.request('recorder.arm', { episodeId, tracks });
      }),

    disarm: () => transport('disarm', () => client.request('recorder.disarm', {})),

    record: async () => {
      if (get().status?.state !== 'armed' || get().countIn !== null || get().pending) return;
      const seconds = get().setup?.settings.countInSec ?? 0;
      const run = ++countInRun;
      for (let left = seconds; left > 0; left--) {
        set({ countIn: left });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (run !== countInRun) return;
      }
      set({ countIn: null });
      if (get().status?.state !== 'armed') return;
      await transport('record', () => client.request('recorder.record', {}));
    },

    cancelCountIn: () => {
      countInRun++;
      set({ countIn: null });
    },

    pause: () => transport('pause', () => client.request('recorder.pause', {})),
    resume: () => transport('resume', () => client.request('recorder.resume', {})),

    marker: async () => {
      const state = get().status?.state;
      if (state !== 'recording' && state !== 'paused') return;
      try {
        const marker = await client.request('recorder.marker', {});
        // Shown at once; the next status carries the same list.
        const status = get().status;
        if (status && !status.markers.some((m) => m.frame === marker.frame))
          set({ status: { ...status, markers: [...status.markers, marker] } });
      } catch (error) {
        notify('error', messageOf(error));
      }
    },

    stop: () =>
      transport('stop', async () => {
        set({ savingTakes: get().savingTakes + 1 });
        try {
          const saved = await client.request('recorder.stop', {});
          // Arming (or armed) again while this take was saving: the setup has moved on.
          if (get().status?.state === 'idle' && get().pending !== 'arm') set({ lastTake: saved });
          const failed = saved.tracks.some((t) => t.status !== 'added' || t.error);
          notify(failed ? 'error' : 'info', saved.message);
          const studio = useStudio.getState();
          if (studio.selectedEpisodeId === saved.episodeId) await studio.refreshEpisode();
        } finally {
          set({ savingTakes: get().savingTakes - 1 });
        }
        return client.request('recorder.status', {});
      }),

    setGain: (track, percent) => {
      set({ gainDrafts: { ...get().gainDrafts, [track]: percent } });
      let send = gainSenders.get(track);
      if (!send) {
        send = latestWins(
          async (value: number) => {
            try {
              get().applyStatus(
                await client.request('recorder.setGain', { track, percent: value }),
              );
            } catch (error) {
              controlFailed(error);
            }
          },
          () => {
            const drafts = { ...get().gainDrafts };
            delete drafts[track];
            set({ gainDrafts: drafts });
          },
        );
        gainSenders.set(track, send);
      }
      send(percent);
    },

    setMonitor: (level) => {
      set({ monitorDraft: level });
      sendMonitor(level);
    },

    applyStatus: (status) => {
      const before = get().status;
      // Disarmed elsewhere (another window, a lost device) while counting in: nothing to start.
      if (status.state !== 'armed' && get().countIn !== null) get().cancelCountIn();
      if (before?.state === 'idle' && status.state !== 'idle') levelHistory.clear();
      // The take is closed once the recorder is idle; the stop answers only after the take is in
      // the episode, and the next take need not wait for that.
      const stopped = get().pending === 'stop' && status.state === 'idle';
      set(stopped ? { status, pending: null } : { status });
      showStatusNotice(status);
    },
  };
});

/**
 * Keeps the recorder in step with the Node side: its status and device events, and what it is doing when the
 * app opens (a take still running after a reload opens the recorder on it). Returns the unsubscribe.
 */
export function subscribeToRecorder(): () => void {
  const offStatus = client.on('recorder.status', (status) =>
    useRecorder.getState().applyStatus(status),
  );
  const offDevices = client.on('recorder.devices', (devices) =>
    useRecorder.getState().applyDevices(devices),
  );
  // A take whose stop failed joins the list on the Node side, which pushes it.
  const offInterrupted = client.on('recorder.interrupted', (takes) => offer(takes));
  void client.request('recorder.status', {}).then(
    (status) => {
      useRecorder.getState().applyStatus(status);
      if (status.state !== 'idle') useRecorder.getState().openRecorder();
    },
    (error: unknown) => console.warn('Recorder status unavailable:', messageOf(error)),
  );
  void offerInterruptedTakes();
  return () => {
    offStatus();
    offDevices();
    offInterrupted();
  };
}

/** The interrupted takes already offered (by folder), so asking again offers only new ones. */
const offeredTakes = new Set<string>();

/**
 * Takes whose recorder died mid-take (found at start), or whose stop failed since: each is offered
 * for recovery in a notice that stays until it is dismissed or recovered (a take is worth more
 * than the 12 s an ordinary error is shown).
 */
async function offerInterruptedTakes(): Promise<void> {
  let takes: Awaited<ReturnType<typeof client.request<'recorder.interrupted'>>>;
  try {
    takes = await client.request('recorder.interrupted', {});
  } catch (error) {
    console.warn('Interrupted takes unavailable:', messageOf(error));
    return;
  }
  offer(takes);
}

/** Offers each take not offered before, in a notice with Recover. */
function offer(takes: InterruptedTake[]): void {
  for (const take of takes) {
    // Asked again after each failure: a take already offered (or dismissed) is not offered twice.
    if (offeredTakes.has(take.dir)) continue;
    offeredTakes.add(take.dir);
    const when = new Date(take.startedAt).toLocaleString();
    useStudio.getState().notify({
      kind: 'error',
      message: `A take from ${when} (${take.trackNames.join(', ')}) was interrupted.`,
      sticky: true,
      action: {
        label: 'Recover',
        run: () =>
          void client.request('recorder.recover', { dir: take.dir }).then(
            (saved) => {
              notify('info', saved.message);
              void useStudio.getState().refreshEpisode();
            },
            (error: unknown) => notify('error', messageOf(error)),
          ),
      },
    });
  }
}
