import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { InterruptedTake, RecorderStatus, TakeSaved } from '../../src/shared/recording';

// The recorder's store against a stand-in client: what the user sees while a take is saved, and
// which notices the Node side's statuses and failures bring.

interface Call {
  name: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const fake = vi.hoisted(() => {
  // The store reads the theme from localStorage when it is made; Node has none.
  const stored = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
  });
  return {
    calls: [] as Call[],
    /** Answers given at once, by request name; the others wait in `calls`. */
    answers: new Map<string, () => unknown>(),
  };
});

vi.mock('../../src/renderer/client', () => {
  class ClientError extends Error {}
  const client = {
    transport: 'http',
    request: (name: string) => {
      const answer = fake.answers.get(name);
      if (answer) return Promise.resolve().then(answer);
      return new Promise((resolve, reject) => fake.calls.push({ name, resolve, reject }));
    },
    on: () => () => {},
  };
  return { client, ClientError };
});

const { useRecorder } = await import('../../src/renderer/state/recorder');
const { useStudio } = await import('../../src/renderer/state/store');

const status = (over: Partial<RecorderStatus> = {}): RecorderStatus => ({
  state: 'idle',
  episodeId: null,
  tracks: [],
  elapsedSec: 0,
  markers: [],
  diskFreeBytes: null,
  secondsLeft: null,
  notice: null,
  monitorLevel: 0,
  ...over,
});

const saved: TakeSaved = {
  episodeId: 'ep1',
  dir: '/takes/1',
  tracks: [{ name: 'host', status: 'added', trackId: 't1', durationSec: 2, error: null }],
  markers: 0,
  message: 'Saved 1 track (0:02).',
};

const take = (dir: string): InterruptedTake => ({
  dir,
  episodeId: 'ep1',
  startedAt: '2025-01-01T10:00:00.000Z',
  trackNames: ['host'],
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const messages = () => useStudio.getState().notices.map((n) => n.message);

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers.clear();
  fake.answers.set('recorder.status', () => status());
  fake.answers.set('recorder.interrupted', () => []);
  useStudio.setState({ notices: [], selectedEpisodeId: null });
  useRecorder.setState({ status: status(), pending: null, savingTakes: 0, notice: null });
});

describe('recorder state', () => {
  it('frees Arm once the recorder is idle, and says the take is saving until stop answers', async () => {
    useRecorder.getState().applyStatus(status({ state: 'recording', episodeId: 'ep1' }));
    const stopping = useRecorder.getState().stop();
    expect(useRecorder.getState().pending).toBe('stop');
    expect(useRecorder.getState().savingTakes).toBe(1);

    // The take is closed (the Node side says idle) but not yet in the episode.
    useRecorder.getState().applyStatus(status());
    expect(useRecorder.getState().pending).toBeNull();
    expect(useRecorder.getState().savingTakes).toBe(1);

    // The next take may be armed meanwhile; the late stop answer leaves its pending alone.
    useRecorder.setState({
      setup: {
        showId: 's1',
        settings: { tracks: [{ name: 'host', source: 'lavfi:x' }], countInSec: 0 },
      },
    });
    const arming = useRecorder.getState().arm('ep1');
    await flush();
    expect(useRecorder.getState().pending).toBe('arm');
    fake.calls.find((c) => c.name === 'recorder.stop')?.resolve(saved);
    await stopping;
    expect(useRecorder.getState().pending).toBe('arm');
    expect(useRecorder.getState().savingTakes).toBe(0);
    expect(messages()).toEqual(['Saved 1 track (0:02).']);
    fake.calls
      .find((c) => c.name === 'recorder.arm')
      ?.resolve(status({ state: 'armed', episodeId: 'ep1' }));
    await arming;
    expect(useRecorder.getState().pending).toBeNull();
    expect(useRecorder.getState().status?.state).toBe('armed');
  });

  it('shows what a stop saved until the next arm', async () => {
    useRecorder.getState().applyStatus(status({ state: 'paused', episodeId: 'ep1' }));
    const stopping = useRecorder.getState().stop();
    useRecorder.getState().applyStatus(status());
    fake.calls.find((c) => c.name === 'recorder.stop')?.resolve(saved);
    await stopping;
    expect(useRecorder.getState().lastTake).toEqual(saved);
    expect(useRecorder.getState().pending).toBeNull();
  });

  it('shows a status notice once, sticky when the take stopped by itself, and in the panel', () => {
    const stopping = 'The disk is full. Saving what was recorded…';
    const done =
      'The disk is full: recording stopped at 0:02; everything up to there is saved. Saved 2 tracks (0:02).';
    const { applyStatus } = useRecorder.getState();
    applyStatus(status({ state: 'recording', episodeId: 'ep1' }));
    applyStatus(status({ notice: stopping }));
    applyStatus(status({ notice: stopping }));
    expect(messages()).toEqual([stopping]);
    // What was saved replaces "saving".
    applyStatus(status({ notice: done }));
    expect(useStudio.getState().notices).toMatchObject([
      { kind: 'error', sticky: true, message: done },
    ]);
    expect(useRecorder.getState().notice).toEqual({ kind: 'error', message: done });

    // A take saved by a disarm elsewhere is ordinary news.
    useStudio.setState({ notices: [] });
    applyStatus(status({ state: 'armed', episodeId: 'ep1' }));
    applyStatus(status({ state: 'recording', episodeId: 'ep1' }));
    applyStatus(status({ notice: 'Saved 2 tracks (0:05).' }));
    expect(useStudio.getState().notices).toMatchObject([
      { kind: 'info', message: 'Saved 2 tracks (0:05).' },
    ]);
    expect(useStudio.getState().notices[0]?.sticky).toBeFalsy();
  });

  it('offers a take left by a failed stop at once, and each take only once', async () => {
    const found: InterruptedTake[] = [];
    fake.answers.set('recorder.interrupted', () => [...found]);
    useRecorder.getState().applyStatus(status({ state: 'recording', episodeId: 'ep1' }));
    const stopping = useRecorder.getState().stop();
    found.push(take('/takes/a'));
    fake.calls
      .find((c) => c.name === 'recorder.stop')
      ?.reject(new Error('Stopping the take failed: … recover it from the interrupted takes.'));
    await stopping;
    await flush();
    const offers = () => useStudio.getState().notices.filter((n) => n.action?.label === 'Recover');
    expect(offers()).toHaveLength(1);
    expect(offers()[0]?.sticky).toBe(true);

    // A later notice asks again: only the new take is offered.
    found.push(take('/takes/b'));
    useRecorder.getState().applyStatus(status({ notice: 'Recording stopped at 0:01. Lost.' }));
    await flush();
    expect(offers()).toHaveLength(2);
    useRecorder.getState().applyStatus(status({ notice: 'Saved 1 track (0:01).' }));
    await flush();
    expect(offers()).toHaveLength(2);
  });
});
