import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/app/services';
import { takeStamp } from '../../../src/main/services/app/take-folders';
import { readManifest, writeManifest } from '../../../src/main/services/recording/take';
import type { EventName, EventPayload } from '../../../src/shared/contract';
import { StudioError } from '../../../src/shared/errors';
import { MODEL_RATE } from '../../../src/shared/time';
import { tempDir } from '../../helpers/audio';
import { runInMountNamespace } from '../../helpers/mount-namespace';
import { request, testServices } from '../../helpers/services';
import { writeCrashedTake } from '../../helpers/take';
import type { RecordResult, Scenario } from './scenarios/record-on-full-disk';

const dir = tempDir('studio-recorder-');
const services = await testServices(join(dir, 'data'));

const SINE_440 = 'lavfi:sine=frequency=440:sample_rate=48000';
const SINE_1000 = 'lavfi:sine=frequency=1000:sample_rate=48000';
const twoTracks = [
  { name: 'Host', source: SINE_440 },
  { name: 'Guest', source: SINE_1000 },
];

async function newEpisode(on: Services, title: string) {
  const show = await request(on, 'shows.create', { title: `Show of ${title}` });
  return request(on, 'episodes.create', { showId: show.id, title });
}

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

/** Every payload of one event on the bus from now on. */
function collect<E extends EventName>(on: Services, name: E) {
  const seen: EventPayload<E>[] = [];
  const off = on.bus.on(name, (payload) => seen.push(payload));
  return { seen, off };
}

/** Resolves when `check` holds, polling; fails the test after `ms`. */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Consecutive repeats removed: the states the recorder went through. */
const transitions = (states: string[]) => states.filter((s, i) => s !== states[i - 1]);

describe('recording a take into an episode', () => {
  it('arm, record, marker, pause, resume, stop: two new tracks and a marker in the episode', async () => {
    const episode = await newEpisode(services, 'First take');
    const statuses = collect(services, 'recorder.status');
    const levels = collect(services, 'recorder.levels');
    const changes = collect(services, 'library.changed');

    const armed = await request(services, 'recorder.arm', {
      episodeId: episode.id,
      tracks: twoTracks,
    });
    expect(armed).toMatchObject({ state: 'armed', episodeId: episode.id, elapsedSec: 0 });
    expect(armed.tracks).toEqual([
      { name: 'Host', source: SINE_440, channels: 1, error: null, gainPercent: null },
      { name: 'Guest', source: SINE_1000, channels: 1, error: null, gainPercent: null },
    ]);
    expect(armed.monitorLevel).toBe(0);
    expect(armed.diskFreeBytes).toBeGreaterThan(0);
    // Two mono 32-bit tracks at 48 kHz.
    expect(armed.secondsLeft).toBeCloseTo(armed.diskFreeBytes! / (2 * 4 * MODEL_RATE), 0);

    // The meters are live before anything is recorded: a sine at 0.125 has that peak.
    await until(
      () => levels.seen.some((l) => l.tracks.length === 2 && l.tracks.every((t) => t.peak > 0.1)),
      'meters on both tracks',
    );
    expect(levels.seen.at(-1)!.elapsedSec).toBe(0);

    expect((await request(services, 'recorder.record')).state).toBe('recording');
    await sleep(2000);
    const marker = await request(services, 'recorder.marker', {});
    expect(marker.title).toBe('Marker 1');
    expect(marker.frame / MODEL_RATE).toBeGreaterThan(1.8);
    expect(marker.frame / MODEL_RATE).toBeLessThan(3);

    const paused = await request(services, 'recorder.pause');
    expect(paused.state).toBe('paused');
    expect(paused.markers).toEqual([marker]);
    await sleep(500);
    expect((await request(services, 'recorder.status')).elapsedSec).toBeCloseTo(
      paused.elapsedSec,
      1,
    );
    expect((await request(services, 'recorder.resume')).state).toBe('recording');
    await sleep(1000);
    const during = await request(services, 'recorder.status');
    expect(during.elapsedSec).toBeGreaterThan(2.8);
    expect(levels.seen.at(-1)!.elapsedSec).toBeGreaterThan(2);

    const saved = await request(services, 'recorder.stop');
    expect(saved.episodeId).toBe(episode.id);
    expect(saved.markers).toBe(1);
    expect(saved.tracks.map((t) => [t.name, t.status, t.error])).toEqual([
      ['Host', 'added', null],
      ['Guest', 'added', null],
    ]);
    // About 3 s: what the clock showed just before stop, plus the time the stop request took.
    for (const track of saved.tracks) {
      expect(track.durationSec).toBeGreaterThan(2.8);
      expect(track.durationSec).toBeLessThan(during.elapsedSec + 1);
    }
    expect(saved.message).toMatch(/^Saved 2 tracks \(0:0[345]\) and 1 marker\.$/);
    expect((await request(services, 'recorder.status')).state).toBe('idle');

    // The take folder stays, stopped, under the episode's takes.
    expect(saved.dir.startsWith(join(services.dataDir, 'takes', episode.id))).toBe(true);
    const manifest = await readManifest(saved.dir);
    expect(manifest).toMatchObject({ status: 'stopped', episodeId: episode.id });
    expect(manifest.markers).toEqual([marker]);

    const detail = await request(services, 'episodes.get', { id: episode.id });
    expect(detail.tracks.map((t) => t.name)).toEqual(['Host', 'Guest']);
    for (const track of detail.tracks) {
      expect(track.asset?.kind).toBe('recording');
      expect(track.asset!.durationSamples / MODEL_RATE).toBeGreaterThan(2.8);
      expect(track.asset!.durationSamples / MODEL_RATE).toBeLessThan(during.elapsedSec + 1);
      expect(track.asset!.sampleRate).toBe(MODEL_RATE);
    }
    expect(detail.markers).toEqual([
      expect.objectContaining({ positionSamples: marker.frame, title: 'Marker 1', kind: 'note' }),
    ]);

    expect(transitions(statuses.seen.map((s) => s.state))).toEqual([
      'armed',
      'recording',
      'paused',
      'recording',
      'idle',
    ]);
    // The marker was pushed as it was dropped, and the clock moved once a second meanwhile.
    expect(statuses.seen.some((s) => s.state === 'recording' && s.markers.length === 1)).toBe(true);
    expect(statuses.seen.filter((s) => s.state === 'recording').length).toBeGreaterThan(3);
    expect(changes.seen).toContainEqual({
      scope: 'tracks',
      showId: episode.showId,
      episodeId: episode.id,
    });
    statuses.off();
    levels.off();
    changes.off();
  });

  it('a bad source is refused with the engine’s message and leaves the recorder idle', async () => {
    const episode = await newEpisode(services, 'Bad source');
    const unknown = await rejection(
      request(services, 'recorder.arm', {
        episodeId: episode.id,
        tracks: [{ name: 'Host', source: 'nope:thing' }],
      }),
    );
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toMatch(/Unknown source “nope:thing”/);

    const badFilter = await rejection(
      request(services, 'recorder.arm', {
        episodeId: episode.id,
        tracks: [
          { name: 'Host', source: SINE_440 },
          { name: 'Guest', source: 'lavfi:no_such_filter_here' },
        ],
      }),
    );
    expect(badFilter.message).toMatch(/“no_such_filter_here” is not a test signal/);
    expect(await request(services, 'recorder.status')).toMatchObject({
      state: 'idle',
      episodeId: null,
      tracks: [],
    });
  });

  it('refuses what does not fit the state, with a message that says what to do', async () => {
    const episode = await newEpisode(services, 'States');
    const other = await newEpisode(services, 'Other');

    const missing = await rejection(
      request(services, 'recorder.arm', { episodeId: 'no-such-episode', tracks: twoTracks }),
    );
    expect(missing.code).toBe('not_found');
    for (const name of ['recorder.record', 'recorder.pause', 'recorder.stop'] as const) {
      const error = await rejection(request(services, name));
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/arm the tracks first/);
    }

    await request(services, 'recorder.arm', { episodeId: episode.id, tracks: twoTracks });
    const twice = await rejection(
      request(services, 'recorder.arm', { episodeId: other.id, tracks: twoTracks }),
    );
    expect(twice.code).toBe('conflict');
    expect(twice.message).toMatch(/already armed for “States”.*disarm/);
    const noTake = await rejection(request(services, 'recorder.marker', { title: 'x' }));
    expect(noTake.message).toMatch(/press Record first/);

    const disarmed = await request(services, 'recorder.disarm');
    expect(disarmed).toMatchObject({ state: 'idle', episodeId: null, tracks: [] });
    expect(existsSync(join(services.dataDir, 'takes', episode.id))).toBe(false);
    expect((await request(services, 'episodes.get', { id: episode.id })).tracks).toEqual([]);
  });
});

describe('takes that end on their own', () => {
  it('every source over: the take is stopped and saved by itself, and the notice says so', async () => {
    const episode = await newEpisode(services, 'Sources run out');
    const statuses = collect(services, 'recorder.status');
    await request(services, 'recorder.arm', {
      episodeId: episode.id,
      tracks: [{ name: 'Tape', source: 'lavfi:sine=frequency=300:sample_rate=48000:duration=1.5' }],
    });
    await request(services, 'recorder.record');
    await until(
      () =>
        statuses.seen.some(
          (s) =>
            s.state === 'idle' &&
            /^Recording stopped/.test(s.notice ?? '') &&
            /Saved/.test(s.notice ?? ''),
        ),
      'the take to be saved by itself',
      30_000,
    );
    const final = statuses.seen.at(-1)!;
    expect(final.notice).toMatch(
      /^Recording stopped at 0:01\. Every source stopped delivering audio.* Saved 1 track \(0:01\)\.$/,
    );
    // The session said it was saving before it had saved.
    expect(statuses.seen.some((s) => s.notice?.endsWith('Saving what was recorded…'))).toBe(true);
    const detail = await request(services, 'episodes.get', { id: episode.id });
    expect(detail.tracks.map((t) => [t.name, t.asset?.kind])).toEqual([['Tape', 'recording']]);
    expect(detail.tracks[0]!.asset!.durationSamples / MODEL_RATE).toBeLessThanOrEqual(1.5);
    expect(detail.tracks[0]!.asset!.durationSamples / MODEL_RATE).toBeGreaterThan(1);
    // Arming again clears the notice.
    const again = await request(services, 'recorder.arm', {
      episodeId: episode.id,
      tracks: twoTracks,
    });
    expect(again.notice).toBeNull();
    await request(services, 'recorder.disarm');
    statuses.off();
  });

  it('a full disk: recording stops where it filled, and the take is finished in place and saved', () => {
    const dataDir = join(dir, 'full-disk-data');
    const scenario: Scenario = { dataDir, size: '1m' };
    const result = runInMountNamespace<RecordResult>(
      'full-disk',
      join(import.meta.dirname, 'scenarios', 'record-on-full-disk.ts'),
      scenario,
      55_000,
    );

    expect(result.states).toEqual(['armed', 'recording', 'idle']);
    // 1 MiB holds about 2.7 s of two mono float tracks. The take is finished where it is (the
    // recorder's space reserve pays for the new take.json) and added to the episode.
    expect(result.final.notice).toMatch(
      /^The disk is full: recording stopped at 0:0[12]; everything up to there is saved\. Saved 2 tracks \(0:0[12]\)\.$/,
    );
    expect(result.interrupted).toEqual([]);
    expect(result.take.status).toBe('stopped');
    for (const error of result.take.errors) expect(error).toMatch(/disk .* is full/);
    // Every track was stopped at the first failed write: the same length, give or take a block.
    const [host, guest] = result.take.frames as number[];
    expect(Math.abs(host! - guest!)).toBeLessThanOrEqual(4800);
    expect(result.tracks.map((t) => [t.name, t.kind])).toEqual([
      ['Host', 'recording'],
      ['Guest', 'recording'],
    ]);
    for (const track of result.tracks) {
      expect(track.seconds).toBeGreaterThan(1.5);
      expect(track.seconds).toBeLessThan(2.8);
    }
  });
});

describe('takes a crash left behind', () => {
  it('are listed at start, recovered into their episode, then no longer listed', async () => {
    const dataDir = join(dir, 'crashed-data');
    const first = await createServices({ dataDir, transport: 'http', version: 'test' });
    const episode = await newEpisode(first, 'Crashed');
    await first.close();

    const take = join(dataDir, 'takes', episode.id, takeStamp(new Date(2026, 10, 23, 15, 4, 5)));
    await writeCrashedTake(take, [
      { name: 'Host', seconds: 1.5, frequency: 300 },
      { name: 'Guest', seconds: 1.25, frequency: 500 },
    ]);
    const manifest = await readManifest(take);
    await writeManifest(take, {
      ...manifest,
      episodeId: episode.id,
      markers: [{ frame: 24_000, title: 'Before the crash' }],
    });
    // A take that was stopped properly is not interrupted.
    const stoppedTake = join(dataDir, 'takes', episode.id, '2026-11-23T15-00-00');
    mkdirSync(stoppedTake, { recursive: true });
    await writeManifest(stoppedTake, { ...manifest, status: 'stopped', episodeId: episode.id });

    const services2 = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      const listed = await request(services2, 'recorder.interrupted');
      expect(listed).toEqual([
        {
          dir: take,
          episodeId: episode.id,
          startedAt: manifest.startedAt,
          trackNames: ['Host', 'Guest'],
        },
      ]);
      expect(take.endsWith('2026-11-23T15-04-05')).toBe(true);

      // Only a listed take: not a stopped one, not a path that climbs out of the takes folder.
      for (const other of [stoppedTake, join(dataDir, 'takes', episode.id, '..', '..'), '/etc']) {
        const refused = await rejection(request(services2, 'recorder.recover', { dir: other }));
        expect(refused.code).toBe('not_found');
        expect(refused.message).toMatch(/not one of the interrupted takes/);
      }

      const saved = await request(services2, 'recorder.recover', { dir: take });
      expect(saved.tracks.map((t) => [t.name, t.status, t.durationSec])).toEqual([
        ['Host', 'added', 1.5],
        ['Guest', 'added', 1.25],
      ]);
      expect(saved.markers).toBe(1);
      expect(saved.message).toBe('Recovered “Host” (0:01), “Guest” (0:01) and 1 marker.');
      expect((await readManifest(take)).status).toBe('recovered');

      const detail = await request(services2, 'episodes.get', { id: episode.id });
      expect(detail.tracks.map((t) => [t.name, t.asset?.kind, t.asset?.durationSamples])).toEqual([
        ['Host', 'recording', 1.5 * MODEL_RATE],
        ['Guest', 'recording', 1.25 * MODEL_RATE],
      ]);
      expect(detail.markers.map((m) => [m.positionSamples, m.title, m.kind])).toEqual([
        [24_000, 'Before the crash', 'note'],
      ]);

      expect(await request(services2, 'recorder.interrupted')).toEqual([]);
      const again = await rejection(request(services2, 'recorder.recover', { dir: take }));
      expect(again.code).toBe('not_found');
    } finally {
      await services2.close();
    }
  });

  it('whose episode is gone are refused with a clear message and stay listed', async () => {
    const dataDir = join(dir, 'orphan-data');
    const first = await createServices({ dataDir, transport: 'http', version: 'test' });
    const episode = await newEpisode(first, 'Orphan');
    await request(first, 'episodes.trash', { id: episode.id });
    await first.close();
    const take = join(dataDir, 'takes', episode.id, '2026-11-23T15-04-05');
    await writeCrashedTake(take, [{ name: 'Host', seconds: 0.5, frequency: 300 }]);
    await writeManifest(take, { ...(await readManifest(take)), episodeId: episode.id });

    const services2 = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      const refused = await rejection(request(services2, 'recorder.recover', { dir: take }));
      expect(refused.code).toBe('not_found');
      expect(refused.message).toMatch(/episode .* no longer exists.*Restore the episode/);
      expect((await readManifest(take)).status).toBe('recording');
      expect(await request(services2, 'recorder.interrupted')).toHaveLength(1);
    } finally {
      await services2.close();
    }
  });
});

describe('closing the services', () => {
  it('stops and saves a take that is still open', async () => {
    const dataDir = join(dir, 'close-data');
    const first = await createServices({ dataDir, transport: 'http', version: 'test' });
    const episode = await newEpisode(first, 'Closed mid-take');
    await request(first, 'recorder.arm', { episodeId: episode.id, tracks: twoTracks.slice(0, 1) });
    await request(first, 'recorder.record');
    await sleep(1000);
    await first.close();

    const [stamp] = readdirSync(join(dataDir, 'takes', episode.id));
    expect((await readManifest(join(dataDir, 'takes', episode.id, stamp!))).status).toBe('stopped');
    const reopened = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      const detail = await request(reopened, 'episodes.get', { id: episode.id });
      expect(detail.tracks.map((t) => t.name)).toEqual(['Host']);
      expect(detail.tracks[0]!.asset!.durationSamples / MODEL_RATE).toBeGreaterThan(0.8);
      expect(await request(reopened, 'recorder.interrupted')).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});

describe('interrupted takes found while running', () => {
  it('are pushed as recorder.interrupted when a stop fails, and again once recovered', async () => {
    const dataDir = join(dir, 'stop-fails-data');
    const own = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      const episode = await newEpisode(own, 'Stop fails');
      const pushed = collect(own, 'recorder.interrupted');
      await request(own, 'recorder.arm', { episodeId: episode.id, tracks: twoTracks.slice(0, 1) });
      await request(own, 'recorder.record');
      await sleep(500);
      // Finishing a take first gives back the space reserve; a folder in its place cannot be
      // removed that way, so the stop fails after the audio is written and take.json still says
      // 'recording': what a failed stop leaves for recovery.
      const [stamp] = readdirSync(join(dataDir, 'takes', episode.id));
      const take = join(dataDir, 'takes', episode.id, stamp!);
      const reserve = join(take, '.space-reserve');
      rmSync(reserve);
      mkdirSync(join(reserve, 'in-the-way'), { recursive: true });

      const failed = await rejection(request(own, 'recorder.stop'));
      expect(failed.message).toMatch(
        /^Stopping the take failed: .* recover it from the interrupted takes\.$/,
      );
      const listed = [
        {
          dir: take,
          episodeId: episode.id,
          startedAt: (await readManifest(take)).startedAt,
          trackNames: ['Host'],
        },
      ];
      expect(pushed.seen).toEqual([listed]);
      expect(await request(own, 'recorder.interrupted')).toEqual(listed);

      rmSync(reserve, { recursive: true });
      const saved = await request(own, 'recorder.recover', { dir: take });
      expect(saved.tracks.map((t) => t.status)).toEqual(['added']);
      expect(pushed.seen).toEqual([listed, []]);
      pushed.off();
    } finally {
      await own.close();
    }
  });
});
