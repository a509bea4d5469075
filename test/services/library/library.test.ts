import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/app/services';
import { openLibraryDatabase } from '../../../src/main/services/library/database';
import { migrations } from '../../../src/main/services/library/migrations';
import { assetFiles } from '../../../src/main/services/media/asset-files';
import type { Show } from '../../../src/shared/domain';
import { type ErrorCode, StudioError } from '../../../src/shared/errors';
import { MODEL_RATE } from '../../../src/shared/time';
import { generate, tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

const root = tempDir('studio-library-');
const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** A short 48 kHz WAV, quick to import, so episodes can have real tracks. */
function tone(name: string, seconds = 0.5, frequency = 440): string {
  return generate(
    join(root, name),
    `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`,
    ['-c:a', 'pcm_s16le'],
  );
}

/** Imports files through the request gate and waits for the jobs; returns the episode's tracks. */
async function importInto(services: Services, episodeId: string, paths: string[]) {
  const { jobIds } = await request(services, 'media.importPaths', { episodeId, paths });
  await services.jobs.whenIdle();
  for (const id of jobIds) expect(services.jobs.get(id)).toMatchObject({ status: 'done' });
  return (await request(services, 'episodes.get', { id: episodeId })).tracks;
}

function rejectsWith(promise: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  return expect(promise).rejects.toSatisfy((error: unknown) => {
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe(code);
    if (message) expect((error as StudioError).message).toMatch(message);
    return true;
  });
}

const titles = (shows: { title: string }[]) => shows.map((s) => s.title);

describe('shows', () => {
  let services: Services;
  beforeAll(async () => {
    services = await testServices(join(root, 'shows'));
  });

  it('creates a show with the documented defaults and lists it', async () => {
    const show = await request(services, 'shows.create', { title: '  The Morning Cast  ' });
    expect(show).toMatchObject({
      title: 'The Morning Cast',
      author: '',
      description: '',
      language: 'en',
      category: '',
      explicit: false,
      artworkAssetId: null,
      position: 0,
      episodeCount: 0,
    });
    expect(show.createdAt).toBe(show.updatedAt);
    expect(await request(services, 'shows.list')).toEqual([show]);
    const second = await request(services, 'shows.create', {
      title: 'Second',
      author: 'Ada',
      explicit: true,
    });
    expect(second).toMatchObject({ position: 1, author: 'Ada', explicit: true });
    expect(titles(await request(services, 'shows.list'))).toEqual(['The Morning Cast', 'Second']);
  });

  it('updates each field on its own and leaves the others alone', async () => {
    let show = await request(services, 'shows.create', { title: 'Editable' });
    const patches: Partial<Show>[] = [
      { title: 'Renamed Show' },
      { author: 'Grace Hopper' },
      { description: 'Conversations about compilers.\nSecond line.' },
      { language: 'fr-CA' },
      { category: 'Technology' },
      { explicit: true },
      { explicit: false },
    ];
    for (const patch of patches) {
      const before = show;
      show = await request(services, 'shows.update', { id: show.id, patch });
      expect(show).toEqual({ ...before, ...patch, updatedAt: show.updatedAt });
      expect(show.updatedAt >= before.updatedAt).toBe(true);
      const listed = (await request(services, 'shows.list')).find((s) => s.id === show.id);
      expect(listed).toEqual(show);
    }
    expect(show).toMatchObject({
      title: 'Renamed Show',
      author: 'Grace Hopper',
      language: 'fr-CA',
      category: 'Technology',
      explicit: false,
    });
  });

  it('has no way to set artwork through the contract yet: the field is refused, nothing changes', async () => {
    // ShowFields has no artwork field; artworkAssetId is read-only until artwork import exists.
    const show = await request(services, 'shows.create', { title: 'Artless' });
    await rejectsWith(
      request(services, 'shows.update', { id: show.id, patch: { artworkAssetId: 'a1' } }),
      'invalid_input',
    );
    const listed = (await request(services, 'shows.list')).find((s) => s.id === show.id);
    expect(listed).toEqual(show);
  });

  it('refuses an empty title and an unknown show', async () => {
    const show = await request(services, 'shows.create', { title: 'Keep' });
    await rejectsWith(
      request(services, 'shows.update', { id: show.id, patch: { title: '   ' } }),
      'invalid_input',
      /needs a title/,
    );
    await rejectsWith(
      request(services, 'shows.update', { id: 'no-such-show', patch: { title: 'X' } }),
      'not_found',
      /no-such-show/,
    );
    await rejectsWith(request(services, 'shows.create', { title: '' }), 'invalid_input');
    expect((await request(services, 'shows.list')).find((s) => s.id === show.id)?.title).toBe(
      'Keep',
    );
  });
});

describe('episodes', () => {
  let services: Services;
  let show: Show;
  beforeAll(async () => {
    services = await testServices(join(root, 'episodes'));
    show = await request(services, 'shows.create', { title: 'Host Show' });
  });

  it('creates an episode with defaults, counted on its show', async () => {
    const episode = await request(services, 'episodes.create', {
      showId: show.id,
      title: 'Pilot',
    });
    expect(episode).toMatchObject({
      showId: show.id,
      title: 'Pilot',
      number: null,
      season: null,
      type: 'full',
      status: 'draft',
      notes: '',
      position: 0,
      trackCount: 0,
      durationSamples: 0,
    });
    expect(await request(services, 'episodes.list', { showId: show.id })).toEqual([episode]);
    expect(await request(services, 'episodes.get', { id: episode.id })).toEqual({
      episode,
      show: { ...show, episodeCount: 1 },
      tracks: [],
      markers: [],
    });
    const [listed] = await request(services, 'shows.list');
    expect(listed?.episodeCount).toBe(1);
  });

  it('updates title, number, season, type, status and notes one at a time', async () => {
    let episode = await request(services, 'episodes.create', {
      showId: show.id,
      title: 'Draft title',
    });
    const patches = [
      { title: 'Final title' },
      { number: 12 },
      { season: 3 },
      { type: 'bonus' as const },
      { status: 'editing' as const },
      { status: 'published' as const },
      { notes: 'Links:\n- https://example.com' },
      { number: null },
    ];
    for (const patch of patches) {
      const before = episode;
      episode = await request(services, 'episodes.update', { id: episode.id, patch });
      expect(episode).toEqual({ ...before, ...patch, updatedAt: episode.updatedAt });
      const detail = await request(services, 'episodes.get', { id: episode.id });
      expect(detail.episode).toEqual(episode);
    }
    expect(episode).toMatchObject({
      title: 'Final title',
      number: null,
      season: 3,
      type: 'bonus',
      status: 'published',
    });
  });

  it('refuses values outside the model and unknown shows or episodes', async () => {
    const episode = await request(services, 'episodes.create', { showId: show.id, title: 'E' });
    await rejectsWith(
      request(services, 'episodes.update', { id: episode.id, patch: { type: 'movie' } }),
      'invalid_input',
      /type/,
    );
    await rejectsWith(
      request(services, 'episodes.update', { id: episode.id, patch: { number: -1 } }),
      'invalid_input',
      /number/,
    );
    await rejectsWith(
      request(services, 'episodes.update', { id: episode.id, patch: { season: 1.5 } }),
      'invalid_input',
      /season/,
    );
    await rejectsWith(
      request(services, 'episodes.create', { showId: 'ghost', title: 'Orphan' }),
      'not_found',
      /Show ghost/,
    );
    await rejectsWith(request(services, 'episodes.get', { id: 'ghost' }), 'not_found', /ghost/);
    expect((await request(services, 'episodes.get', { id: episode.id })).episode).toEqual(episode);
  });
});

describe('tracks', () => {
  let services: Services;
  let episodeId: string;
  beforeAll(async () => {
    services = await testServices(join(root, 'tracks'));
    const show = await request(services, 'shows.create', { title: 'Tracked' });
    episodeId = (await request(services, 'episodes.create', { showId: show.id, title: 'Ep' })).id;
  });

  it('imported files become tracks that can be renamed, reordered and trashed', async () => {
    const tracks = await importInto(services, episodeId, [
      tone('host.wav', 0.5, 300),
      tone('guest.wav', 1, 500),
      tone('music.wav', 0.25, 700),
    ]);
    expect(tracks.map((t) => t.name)).toEqual(['host', 'guest', 'music']);
    expect(tracks.map((t) => t.position)).toEqual([0, 1, 2]);
    const episode = (await request(services, 'episodes.get', { id: episodeId })).episode;
    expect(episode.trackCount).toBe(3);
    expect(episode.durationSamples).toBe(MODEL_RATE);

    const [host, guest, music] = tracks.map((t) => t.id) as [string, string, string];
    await request(services, 'tracks.rename', { id: guest, name: '  Guest (remote)  ' });
    await request(services, 'tracks.reorder', { episodeId, ids: [music, host, guest] });
    let detail = await request(services, 'episodes.get', { id: episodeId });
    expect(detail.tracks.map((t) => t.name)).toEqual(['music', 'host', 'Guest (remote)']);

    await rejectsWith(
      request(services, 'tracks.reorder', { episodeId, ids: [host, guest] }),
      'conflict',
      new RegExp(`leaves out 1 track.*${music}`),
    );
    await rejectsWith(
      request(services, 'tracks.reorder', { episodeId, ids: [music, host, 'nope'] }),
      'not_found',
      /Track nope/,
    );
    await rejectsWith(request(services, 'tracks.rename', { id: guest, name: '' }), 'invalid_input');
    await rejectsWith(
      request(services, 'tracks.rename', { id: 'nope', name: 'X' }),
      'not_found',
      /nope/,
    );

    const item = await request(services, 'tracks.trash', { id: guest });
    expect(item).toMatchObject({
      entity: 'track',
      entityId: guest,
      title: 'Guest (remote)',
      parentTitle: 'Ep',
    });
    detail = await request(services, 'episodes.get', { id: episodeId });
    expect(detail.tracks.map((t) => t.name)).toEqual(['music', 'host']);
    // The longest track is gone: the episode is as long as what is left.
    expect(detail.episode).toMatchObject({ trackCount: 2, durationSamples: MODEL_RATE / 2 });

    await request(services, 'trash.restore', { id: item.id });
    detail = await request(services, 'episodes.get', { id: episodeId });
    expect(detail.tracks.map((t) => t.name)).toEqual(['music', 'host', 'Guest (remote)']);
    expect(detail.episode.durationSamples).toBe(MODEL_RATE);
  });
});

describe('reorder', () => {
  let services: Services;
  let ids: { a: string; b: string; c: string };
  beforeAll(async () => {
    services = await testServices(join(root, 'reorder'));
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((title) => request(services, 'shows.create', { title })),
    );
    ids = { a: a!.id, b: b!.id, c: c!.id };
  });

  const order = async () => titles(await request(services, 'shows.list')).join('');

  it('sets the show order and keeps it', async () => {
    expect(await order()).toBe('ABC');
    await request(services, 'shows.reorder', { ids: [ids.c, ids.a, ids.b] });
    expect(await order()).toBe('CAB');
    const shows = await request(services, 'shows.list');
    expect(shows.map((s) => s.position)).toEqual([0, 1, 2]);
  });

  it('refuses unknown, repeated, left-out and trashed ids, and changes nothing', async () => {
    const before = await order();
    await rejectsWith(
      request(services, 'shows.reorder', { ids: [ids.a, ids.b, ids.c, 'ghost'] }),
      'not_found',
      /Show ghost does not exist/,
    );
    await rejectsWith(
      request(services, 'shows.reorder', { ids: [ids.a, ids.a, ids.b, ids.c] }),
      'invalid_input',
      /twice/,
    );
    await rejectsWith(
      request(services, 'shows.reorder', { ids: [ids.b, ids.a] }),
      'conflict',
      new RegExp(`leaves out 1 show .*${ids.c}.*refresh`),
    );
    await rejectsWith(request(services, 'shows.reorder', { ids: [] }), 'invalid_input');
    expect(await order()).toBe(before);

    const d = await request(services, 'shows.create', { title: 'D' });
    await request(services, 'shows.trash', { id: d.id });
    await rejectsWith(
      request(services, 'shows.reorder', { ids: [ids.a, ids.b, ids.c, d.id] }),
      'not_found',
    );
    // A trashed show is not part of the order.
    await request(services, 'shows.reorder', { ids: [ids.a, ids.b, ids.c] });
    expect(await order()).toBe('ABC');
  });

  it('sets episode order within a show only', async () => {
    const made = [];
    for (const title of ['one', 'two', 'three']) {
      made.push(await request(services, 'episodes.create', { showId: ids.a, title }));
    }
    const other = await request(services, 'episodes.create', { showId: ids.b, title: 'other' });
    const [one, two, three] = made.map((e) => e.id) as [string, string, string];
    const list = async () =>
      (await request(services, 'episodes.list', { showId: ids.a })).map((e) => e.title);

    await request(services, 'episodes.reorder', { showId: ids.a, ids: [three, one, two] });
    expect(await list()).toEqual(['three', 'one', 'two']);

    await rejectsWith(
      request(services, 'episodes.reorder', { showId: ids.a, ids: [three, one, two, other.id] }),
      'not_found',
      new RegExp(other.id),
    );
    await rejectsWith(
      request(services, 'episodes.reorder', { showId: ids.a, ids: [one, two] }),
      'conflict',
      /leaves out 1 episode/,
    );
    await rejectsWith(
      request(services, 'episodes.reorder', { showId: 'ghost', ids: [one] }),
      'not_found',
      /Show ghost/,
    );
    expect(await list()).toEqual(['three', 'one', 'two']);
    expect(
      (await request(services, 'episodes.list', { showId: ids.b })).map((e) => e.position),
    ).toEqual([0]);
  });
});

describe('trash', () => {
  let services: Services;
  beforeAll(async () => {
    services = await testServices(join(root, 'trash'));
  });

  async function showWithEpisodes(title: string, episodes: string[]) {
    const show = await request(services, 'shows.create', { title });
    const made = [];
    for (const t of episodes) {
      made.push(await request(services, 'episodes.create', { showId: show.id, title: t }));
    }
    return { show, episodes: made };
  }

  it('an episode goes to the trash, out of every list, and comes back in place', async () => {
    const { show, episodes } = await showWithEpisodes('Trash Show', ['first', 'middle', 'last']);
    const middle = episodes[1]!;
    const item = await request(services, 'episodes.trash', { id: middle.id });
    expect(item).toMatchObject({
      entity: 'episode',
      entityId: middle.id,
      title: 'middle',
      parentTitle: 'Trash Show',
    });
    const listed = await request(services, 'episodes.list', { showId: show.id });
    expect(listed.map((e) => e.title)).toEqual(['first', 'last']);
    expect((await request(services, 'shows.list')).find((s) => s.id === show.id)).toMatchObject({
      episodeCount: 2,
    });
    await rejectsWith(request(services, 'episodes.get', { id: middle.id }), 'not_found');
    await rejectsWith(
      request(services, 'episodes.update', { id: middle.id, patch: { title: 'x' } }),
      'not_found',
    );
    await rejectsWith(request(services, 'episodes.trash', { id: middle.id }), 'not_found');
    expect(await request(services, 'trash.list')).toContainEqual(item);

    await request(services, 'trash.restore', { id: item.id });
    const back = await request(services, 'episodes.list', { showId: show.id });
    expect(back.map((e) => e.title)).toEqual(['first', 'middle', 'last']);
    expect(back[1]).toEqual(middle);
    expect((await request(services, 'trash.list')).map((t) => t.id)).not.toContain(item.id);
    await rejectsWith(request(services, 'trash.restore', { id: item.id }), 'not_found');
  });

  it('a show goes to the trash with its episodes and comes back with them', async () => {
    const { show, episodes } = await showWithEpisodes('Whole Show', ['a', 'b']);
    const after = await request(services, 'shows.create', { title: 'After' });
    const item = await request(services, 'shows.trash', { id: show.id });
    expect(item).toMatchObject({
      entity: 'show',
      entityId: show.id,
      title: 'Whole Show',
      parentTitle: null,
    });
    expect(titles(await request(services, 'shows.list'))).not.toContain('Whole Show');
    await rejectsWith(request(services, 'episodes.list', { showId: show.id }), 'not_found');
    await rejectsWith(request(services, 'episodes.get', { id: episodes[0]!.id }), 'not_found');
    await rejectsWith(
      request(services, 'episodes.create', { showId: show.id, title: 'c' }),
      'not_found',
    );
    expect((await request(services, 'trash.list'))[0]).toEqual(item);

    await request(services, 'trash.restore', { id: item.id });
    const shows = await request(services, 'shows.list');
    expect(shows.find((s) => s.id === show.id)).toEqual({ ...show, episodeCount: 2 });
    expect(shows.findIndex((s) => s.id === show.id)).toBeLessThan(
      shows.findIndex((s) => s.id === after.id),
    );
    expect(await request(services, 'episodes.list', { showId: show.id })).toEqual(episodes);
  });

  it('an episode whose show is in the trash cannot be restored alone', async () => {
    const { show, episodes } = await showWithEpisodes('Parent', ['child']);
    const episodeItem = await request(services, 'episodes.trash', { id: episodes[0]!.id });
    const showItem = await request(services, 'shows.trash', { id: show.id });
    expect((await request(services, 'trash.list')).slice(0, 2)).toEqual([showItem, episodeItem]);

    await rejectsWith(
      request(services, 'trash.restore', { id: episodeItem.id }),
      'conflict',
      /Restore the show “Parent” first: “child” belongs to it/,
    );
    expect((await request(services, 'trash.list')).map((t) => t.id)).toContain(episodeItem.id);

    await request(services, 'trash.restore', { id: showItem.id });
    expect(await request(services, 'episodes.list', { showId: show.id })).toEqual([]);
    await request(services, 'trash.restore', { id: episodeItem.id });
    expect(await request(services, 'episodes.list', { showId: show.id })).toEqual(episodes);
  });

  it('a track whose episode is in the trash cannot be restored alone', async () => {
    const { episodes } = await showWithEpisodes('Track Parent', ['with track']);
    const episodeId = episodes[0]!.id;
    const [track] = await importInto(services, episodeId, [tone('lonely.wav')]);
    const trackItem = await request(services, 'tracks.trash', { id: track!.id });
    const episodeItem = await request(services, 'episodes.trash', { id: episodeId });
    await rejectsWith(
      request(services, 'trash.restore', { id: trackItem.id }),
      'conflict',
      /Restore the episode “with track” first: “lonely” belongs to it/,
    );
    await request(services, 'trash.restore', { id: episodeItem.id });
    expect((await request(services, 'episodes.get', { id: episodeId })).tracks).toEqual([]);
    await request(services, 'trash.restore', { id: trackItem.id });
    expect((await request(services, 'episodes.get', { id: episodeId })).tracks).toEqual([track]);
  });

  it('emptying the trash deletes rows and media files for good, and leaves the rest', async () => {
    const { show, episodes } = await showWithEpisodes('Emptied', ['doomed', 'kept']);
    const [doomed, kept] = episodes as [(typeof episodes)[0], (typeof episodes)[0]];
    const [doomedTrack] = await importInto(services, doomed.id, [tone('doomed.wav')]);
    const [keptTrack] = await importInto(services, kept.id, [tone('kept.wav')]);
    const doomedDir = join(services.dataDir, assetFiles.dir(doomedTrack!.asset!.id));
    const keptDir = join(services.dataDir, assetFiles.dir(keptTrack!.asset!.id));
    expect(existsSync(doomedDir)).toBe(true);

    const item = await request(services, 'episodes.trash', { id: doomed.id });
    // Still restorable: files stay while the episode is only in the trash.
    expect(existsSync(doomedDir)).toBe(true);
    const inTrash = (await request(services, 'trash.list')).length;
    expect(inTrash).toBeGreaterThan(0);

    expect(await request(services, 'trash.empty')).toEqual({ removed: inTrash });
    expect(await request(services, 'trash.list')).toEqual([]);
    await rejectsWith(request(services, 'trash.restore', { id: item.id }), 'not_found');
    const count = (sql: string, id: string) =>
      (services.db.prepare(sql).get(id) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM episodes WHERE id = ?', doomed.id)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM tracks WHERE episode_id = ?', doomed.id)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM assets WHERE id = ?', doomedTrack!.asset!.id)).toBe(0);
    expect(existsSync(doomedDir)).toBe(false);

    expect(existsSync(keptDir)).toBe(true);
    expect((await request(services, 'episodes.get', { id: kept.id })).tracks).toEqual([keptTrack]);
    expect(
      (await request(services, 'episodes.list', { showId: show.id })).map((e) => e.id),
    ).toEqual([kept.id]);
    expect(await request(services, 'trash.empty')).toEqual({ removed: 0 });
  });
});

describe('persistence', () => {
  it('everything is still there after closing and reopening the data dir', async () => {
    const dataDir = join(root, 'persist');
    const open = () => createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
    let services = await open();
    const show = await request(services, 'shows.create', {
      title: 'Lasting',
      author: 'A. Author',
      description: 'Kept across restarts',
      language: 'de',
      category: 'History',
      explicit: true,
    });
    const second = await request(services, 'shows.create', { title: 'Second' });
    await request(services, 'shows.reorder', { ids: [second.id, show.id] });
    const episode = await request(services, 'episodes.create', {
      showId: show.id,
      title: 'Saved',
      number: 7,
      season: 2,
      type: 'trailer',
      status: 'ready',
      notes: 'notes survive',
    });
    const trashed = await request(services, 'episodes.create', {
      showId: show.id,
      title: 'Binned',
    });
    await importInto(services, episode.id, [tone('persist.wav', 0.5)]);
    await request(services, 'episodes.trash', { id: trashed.id });

    const before = {
      shows: await request(services, 'shows.list'),
      episodes: await request(services, 'episodes.list', { showId: show.id }),
      detail: await request(services, 'episodes.get', { id: episode.id }),
      trash: await request(services, 'trash.list'),
      jobs: await request(services, 'jobs.list'),
    };
    await services.close();

    services = await open();
    try {
      expect(await request(services, 'shows.list')).toEqual(before.shows);
      expect(titles(before.shows)).toEqual(['Second', 'Lasting']);
      expect(await request(services, 'episodes.list', { showId: show.id })).toEqual(
        before.episodes,
      );
      expect(await request(services, 'episodes.get', { id: episode.id })).toEqual(before.detail);
      expect(before.detail.tracks).toHaveLength(1);
      expect(await request(services, 'trash.list')).toEqual(before.trash);
      expect(await request(services, 'jobs.list')).toEqual(before.jobs);
      // The trash still works after the restart.
      await request(services, 'trash.restore', { id: before.trash[0]!.id });
      expect(
        (await request(services, 'episodes.list', { showId: show.id })).map((e) => e.title),
      ).toEqual(['Saved', 'Binned']);
    } finally {
      await services.close();
    }
  });
});

describe('database', () => {
  it('runs in WAL mode with foreign keys on, at the current schema version', () => {
    const db = openLibraryDatabase(join(root, 'wal'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    } finally {
      db.close();
    }
    // Opening again is a no-op migration, not a failure.
    openLibraryDatabase(join(root, 'wal')).close();
  });

  it('migration 5 measures the edits saved before it (the episode length)', () => {
    const dataDir = join(root, 'edit-lengths');
    const db = openLibraryDatabase(dataDir);
    const clip = (id: string, timelineStart: number, sourceIn: number, sourceOut: number) => ({
      id,
      assetId: 'a',
      sourceIn,
      sourceOut,
      timelineStart,
      gainDb: 0,
      fadeIn: 0,
      fadeOut: 0,
    });
    const track = (id: string, clips: unknown[]) => ({
      id,
      name: id,
      gainDb: 0,
      pan: 0,
      muted: false,
      solo: false,
      clips,
    });
    const edit = {
      version: 1,
      sampleRate: 48_000,
      markers: [],
      tracks: [
        track('t1', [clip('c1', 0, 0, 1000), clip('c2', 5000, 100, 2100)]),
        track('t2', [clip('c3', 6000, 0, 500)]),
      ],
    };
    db.exec(`
      INSERT INTO shows (id, title, position, created_at, updated_at) VALUES ('s', 'S', 0, 'x', 'x');
      INSERT INTO episodes (id, show_id, title, position, created_at, updated_at)
        VALUES ('e1', 's', 'Edited', 0, 'x', 'x'), ('e2', 's', 'Never edited', 1, 'x', 'x'),
               ('e3', 's', 'Damaged', 2, 'x', 'x'), ('e4', 's', 'Odd tracks', 3, 'x', 'x'),
               ('e5', 's', 'Odd clips', 4, 'x', 'x');
    `);
    db.prepare("UPDATE episodes SET edit_json = ? WHERE id = 'e1'").run(JSON.stringify(edit));
    db.prepare("UPDATE episodes SET edit_json = '{not json' WHERE id = 'e3'").run();
    // Valid JSON of the wrong shape: a track or a clip that is not an object measures as nothing
    // instead of stopping the migration (and with it the app's start).
    db.prepare(`UPDATE episodes SET edit_json = '{"tracks":["x", 3]}' WHERE id = 'e4'`).run();
    db.prepare("UPDATE episodes SET edit_json = ? WHERE id = 'e5'").run(
      JSON.stringify({ tracks: [{ clips: ['y', null, clip('c4', 10, 0, 90)] }, { clips: 'z' }] }),
    );
    // Back to version 4, as a library from before this migration.
    db.exec('ALTER TABLE episodes DROP COLUMN edit_length_samples');
    db.pragma('user_version = 4');
    db.close();

    const migrated = openLibraryDatabase(dataDir);
    try {
      const lengths = migrated
        .prepare('SELECT id, edit_length_samples AS length FROM episodes ORDER BY id')
        .all();
      expect(lengths).toEqual([
        { id: 'e1', length: 7000 },
        { id: 'e2', length: null },
        { id: 'e3', length: null },
        { id: 'e4', length: 0 },
        { id: 'e5', length: 100 },
      ]);
    } finally {
      migrated.close();
    }
  });

  it('several processes opening the same new library at once all succeed', async () => {
    // The app and the CLI (or two CLI commands) may create a library together: one of them
    // migrates, the others wait and find it migrated.
    const dataDir = join(root, 'together');
    const at = Date.now() + 1000;
    const outputs = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              ['--import', 'tsx', join('test', 'fixtures', 'open-library.ts'), dataDir, String(at)],
              { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
            );
            let out = '';
            child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
              out += chunk;
            });
            child.on('error', reject);
            child.on('close', () => resolve(out.trim()));
          }),
      ),
    );
    expect(outputs).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const db = openLibraryDatabase(dataDir);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('refuses a library written by a newer version, with a typed error, and leaves it alone', async () => {
    const dataDir = join(root, 'future');
    const db = openLibraryDatabase(dataDir);
    db.prepare(
      `INSERT INTO shows (id, title, position, created_at, updated_at) VALUES ('s1', 'From the future', 0, 'now', 'now')`,
    ).run();
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();

    let thrown: unknown;
    try {
      openLibraryDatabase(dataDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StudioError);
    expect(thrown).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/newer version of Podcast Studio.*Update the app/),
      details: { schema: migrations.length + 1, supported: migrations.length },
    });
    await expect(
      createServices({ dataDir, transport: 'http', version: '0.0.0-test' }),
    ).rejects.toMatchObject({ code: 'conflict' });

    const raw = new Database(join(dataDir, 'library.sqlite'), { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length + 1);
      expect(raw.prepare('SELECT title FROM shows').pluck().all()).toEqual(['From the future']);
    } finally {
      raw.close();
    }
  });
});
