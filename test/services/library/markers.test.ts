import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services/app/services';
import { addMarkers, listMarkers } from '../../../src/main/services/library/markers';
import { migrations } from '../../../src/main/services/library/migrations';
import { defaultRecorderSettings } from '../../../src/main/services/library/recorder-settings';
import type { MarkerKind } from '../../../src/shared/domain';
import { StudioError } from '../../../src/shared/errors';
import type { AudioDevice } from '../../../src/shared/recording';
import { tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

const dir = tempDir('studio-markers-');
const services = await testServices(join(dir, 'data'));

async function newEpisode(title = 'Markers') {
  const show = await request(services, 'shows.create', { title: `Show of ${title}` });
  const episode = await request(services, 'episodes.create', { showId: show.id, title });
  return { show, episode };
}

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<StudioError> {
  const error = await Promise.resolve()
    .then(() => (typeof promise === 'function' ? promise() : promise))
    .then(
      () => null,
      (e: unknown) => e,
    );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

const device = (fields: Partial<AudioDevice> & Pick<AudioDevice, 'id'>): AudioDevice => ({
  name: fields.id,
  kind: 'input',
  channels: 1,
  defaultRate: 48000,
  backend: 'pulse',
  isDefault: false,
  ...fields,
});

describe('markers in the library', () => {
  it('are stored in one go and listed by position with the episode', async () => {
    const { episode } = await newEpisode();
    const before = await request(services, 'episodes.get', { id: episode.id });
    expect(before.markers).toEqual([]);

    const added = addMarkers(services.db, episode.id, [
      { positionSamples: 96_000, title: 'Second', kind: 'note' },
      { positionSamples: 0, title: 'Intro', kind: 'chapter' },
      { positionSamples: 48_000, title: 'Sponsor', kind: 'ad' },
    ]);
    expect(added.map((m) => m.title)).toEqual(['Second', 'Intro', 'Sponsor']);

    const detail = await request(services, 'episodes.get', { id: episode.id });
    expect(detail.markers.map((m) => [m.positionSamples, m.title, m.kind])).toEqual([
      [0, 'Intro', 'chapter'],
      [48_000, 'Sponsor', 'ad'],
      [96_000, 'Second', 'note'],
    ]);
    expect(detail.markers[0]).toMatchObject({ episodeId: episode.id, id: added[1]!.id });
    expect(listMarkers(services.db, episode.id)).toEqual(detail.markers);
  });

  it('a batch with one bad marker stores none of them', async () => {
    const { episode } = await newEpisode('Batch');
    const negative = await rejection(() =>
      addMarkers(services.db, episode.id, [
        { positionSamples: 10, title: 'Fine', kind: 'note' },
        { positionSamples: -1, title: 'Before the start', kind: 'note' },
      ]),
    );
    expect(negative.code).toBe('invalid_input');
    expect(negative.message).toMatch(/Before the start/);

    // A kind the table does not allow fails inside the transaction, after the first insert ran.
    expect(() =>
      addMarkers(services.db, episode.id, [
        { positionSamples: 10, title: 'Fine', kind: 'note' },
        { positionSamples: 20, title: 'Odd', kind: 'bogus' as unknown as MarkerKind },
      ]),
    ).toThrow(/CHECK constraint/);
    expect(listMarkers(services.db, episode.id)).toEqual([]);

    const unknown = await rejection(() =>
      addMarkers(services.db, 'no-such-episode', [
        { positionSamples: 0, title: 'x', kind: 'note' },
      ]),
    );
    expect(unknown.code).toBe('not_found');
  });

  it('go with their episode when it is deleted for good', async () => {
    const { episode } = await newEpisode('Doomed');
    addMarkers(services.db, episode.id, [{ positionSamples: 5, title: 'Gone soon', kind: 'note' }]);
    const count = () =>
      services.db
        .prepare('SELECT COUNT(*) FROM markers WHERE episode_id = ?')
        .pluck()
        .get(episode.id);
    await request(services, 'episodes.trash', { id: episode.id });
    expect(count()).toBe(1);
    await request(services, 'trash.empty');
    expect(count()).toBe(0);
  });

  it('a library from before markers is upgraded: episodes have none, shows no recorder setup', async () => {
    const dataDir = join(dir, 'schema-2');
    mkdirSync(dataDir, { recursive: true });
    const old = new Database(join(dataDir, 'library.sqlite'));
    old.exec(migrations[0]!);
    old.exec(migrations[1]!);
    old.pragma('user_version = 2');
    const t = '2026-01-01T00:00:00.000Z';
    old.exec(`
      INSERT INTO shows (id, title, position, created_at, updated_at) VALUES ('s', 'Show', 0, '${t}', '${t}');
      INSERT INTO episodes (id, show_id, title, position, created_at, updated_at) VALUES ('e', 's', 'Old', 0, '${t}', '${t}');
    `);
    old.close();

    const upgraded = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      expect((await request(upgraded, 'episodes.get', { id: 'e' })).markers).toEqual([]);
      expect(
        upgraded.db.prepare('SELECT recorder_json FROM shows WHERE id = ?').pluck().get('s'),
      ).toBeNull();
      expect((await request(upgraded, 'recorder.settings', { showId: 's' })).countInSec).toBe(3);
    } finally {
      await upgraded.close();
    }
  });
});

describe('recorder settings per show', () => {
  it('default to one "Host" track on the default input, else the first input, else none', () => {
    const monitor = device({ id: 'out.monitor', kind: 'system', isDefault: true });
    const first = device({ id: 'usb-mic' });
    const chosen = device({ id: 'desk-mic', isDefault: true });
    expect(defaultRecorderSettings([monitor, first, chosen])).toEqual({
      tracks: [{ name: 'Host', source: 'pulse:desk-mic' }],
      countInSec: 3,
    });
    expect(defaultRecorderSettings([monitor, first])).toEqual({
      tracks: [{ name: 'Host', source: 'pulse:usb-mic' }],
      countInSec: 3,
    });
    expect(defaultRecorderSettings([monitor])).toEqual({ tracks: [], countInSec: 3 });
    expect(defaultRecorderSettings([])).toEqual({ tracks: [], countInSec: 3 });
  });

  it('are the default (from this machine’s devices) until saved, then what was saved, per show', async () => {
    const { show } = await newEpisode('Settings');
    const { show: other } = await newEpisode('Other settings');
    const devices = await request(services, 'recorder.devices').catch(() => []);
    const fresh = await request(services, 'recorder.settings', { showId: show.id });
    expect(fresh).toEqual(defaultRecorderSettings(devices));

    const settings = {
      tracks: [
        { name: 'Host', source: 'lavfi:sine=frequency=440:sample_rate=48000' },
        { name: 'Guest', source: 'lavfi:anoisesrc=color=pink:amplitude=0.3' },
      ],
      countInSec: 0,
    };
    await expect(
      request(services, 'recorder.saveSettings', { showId: show.id, settings }),
    ).resolves.toEqual({ ok: true });
    expect(await request(services, 'recorder.settings', { showId: show.id })).toEqual(settings);
    expect(await request(services, 'recorder.settings', { showId: other.id })).toEqual(fresh);

    const tooLong = await rejection(
      request(services, 'recorder.saveSettings', {
        showId: show.id,
        settings: { ...settings, countInSec: 11 },
      }),
    );
    expect(tooLong.code).toBe('invalid_input');
    expect(await request(services, 'recorder.settings', { showId: show.id })).toEqual(settings);

    const unknown = await rejection(request(services, 'recorder.settings', { showId: 'nope' }));
    expect(unknown.code).toBe('not_found');
  });

  it('that cannot be read fall back to the default instead of failing', async () => {
    const { show } = await newEpisode('Corrupt');
    const expected = defaultRecorderSettings(
      await request(services, 'recorder.devices').catch(() => []),
    );
    const store = services.db.prepare('UPDATE shows SET recorder_json = ? WHERE id = ?');
    for (const stored of ['{not json', '{"tracks":"Host","countInSec":3}', 'null']) {
      store.run(stored, show.id);
      expect(await request(services, 'recorder.settings', { showId: show.id })).toEqual(expected);
    }
  });
});
