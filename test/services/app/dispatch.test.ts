import { beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../src/main/services/app/services';
import { isErrorValue } from '../../../src/shared/errors';
import { request, testServices } from '../../helpers/services';

let services: Services;
let showId: string;
let episodeId: string;
/** Every event the services push; a handler that ran would have announced its change here. */
const pushed: string[] = [];

beforeAll(async () => {
  services = await testServices();
  const show = await request(services, 'shows.create', { title: 'Gatekept', author: 'Orig' });
  showId = show.id;
  episodeId = (await request(services, 'episodes.create', { showId, title: 'Ep 1', number: 1 })).id;
  services.bus.onAny((name) => pushed.push(name));
});

/** Everything a request could have changed, read straight from the database. */
function snapshot() {
  const all = (table: string) => services.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  return {
    shows: all('shows'),
    episodes: all('episodes'),
    tracks: all('tracks'),
    trash: all('trash'),
    jobs: all('jobs'),
  };
}

async function refused(name: string, input: unknown) {
  const before = snapshot();
  const eventsBefore = pushed.length;
  const result = await services.dispatch(name, input);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  // Errors cross IPC and HTTP as plain values: nothing is lost in a JSON round trip.
  expect(isErrorValue(result.error)).toBe(true);
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  expect(snapshot()).toEqual(before);
  expect(pushed.length).toBe(eventsBefore);
  return result.error;
}

describe('the request gate', () => {
  it('answers a valid request with { ok: true, value }', async () => {
    const result = await services.dispatch('shows.list', {});
    expect(result).toEqual({ ok: true, value: [expect.objectContaining({ id: showId })] });
    // A missing input is the same as an empty one for requests that take nothing.
    expect(await services.dispatch('trash.list', undefined)).toEqual({ ok: true, value: [] });
  });

  it.each([
    'shows.destroy',
    '',
    'SHOWS.LIST',
    'toString',
    '__proto__',
    'constructor',
    'hasOwnProperty',
  ])('refuses the unknown request %j', async (name) => {
    const error = await refused(name, {});
    expect(error).toEqual({ code: 'invalid_input', message: `Unknown request “${name}”.` });
  });

  const invalid: [string, string, unknown, RegExp][] = [
    ['a number for a title', 'shows.create', { title: 42 }, /\(title\)/],
    ['a blank title', 'shows.create', { title: '   ' }, /A show needs a title \(title\)/],
    ['a string for a boolean', 'shows.create', { title: 'X', explicit: 'yes' }, /explicit/],
    ['an extra key on create', 'shows.create', { title: 'X', owner: 'me' }, /owner/],
    ['no input at all', 'shows.create', null, /title/],
    ['an array for an object', 'shows.create', ['title'], /object/i],
    ['a string for an object', 'episodes.get', 'some-id', /object/i],
    ['a missing id', 'shows.update', { patch: { title: 'Y' } }, /\(id\)/],
    ['an empty id', 'episodes.get', { id: '' }, /\(id\)/],
    ['an over-long id', 'episodes.get', { id: 'x'.repeat(65) }, /\(id\)/],
    ['a number for an id', 'trash.restore', { id: 7 }, /\(id\)/],
    ['an extra key on a by-id request', 'episodes.trash', { id: 'e', cascade: true }, /cascade/],
    ['an extra key on an empty request', 'trash.empty', { force: true }, /force/],
    // Patch keys become column names: anything not in the schema must never get through.
    [
      'an unknown patch key',
      'shows.update',
      { id: 'SHOW', patch: { "title = 'x', author": 'pwned' } },
      /patch/,
    ],
    [
      'a read-only field in a patch',
      'shows.update',
      { id: 'SHOW', patch: { position: 9 } },
      /patch/,
    ],
    ['a missing patch', 'shows.update', { id: 'SHOW' }, /\(patch\)/],
    ['an unknown episode type', 'episodes.update', { id: 'EP', patch: { type: 'movie' } }, /type/],
    ['a fractional number', 'episodes.update', { id: 'EP', patch: { number: 1.5 } }, /number/],
    ['a string number', 'episodes.create', { showId: 'SHOW', title: 'T', number: '3' }, /number/],
    ['a missing show id', 'episodes.create', { title: 'No show' }, /showId/],
    ['an empty reorder', 'shows.reorder', { ids: [] }, /ids/],
    ['numbers as ids', 'shows.reorder', { ids: [1, 2] }, /ids\.0/],
    ['a string for a list', 'episodes.reorder', { showId: 'SHOW', ids: 'EP' }, /ids/],
    ['an empty track name', 'tracks.rename', { id: 't', name: '  ' }, /name/],
    ['no files to import', 'media.importPaths', { episodeId: 'EP', paths: [] }, /paths/],
    ['an empty path', 'media.importPaths', { episodeId: 'EP', paths: [''] }, /paths\.0/],
  ];

  it.each(invalid)('refuses %s before any handler runs', async (_what, name, input, where) => {
    const fill = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value ?? null)
          .replaceAll('"SHOW"', JSON.stringify(showId))
          .replaceAll('"EP"', JSON.stringify(episodeId)),
      );
    const error = await refused(name, fill(input));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(where);
    expect(error.details).toMatchObject({
      request: name,
      issues: expect.arrayContaining([
        expect.objectContaining({ path: expect.any(String), message: expect.any(String) }),
      ]),
    });
  });

  it('leaves the library exactly as it was after every refusal', async () => {
    expect(await request(services, 'shows.list')).toEqual([
      expect.objectContaining({ id: showId, title: 'Gatekept', author: 'Orig', episodeCount: 1 }),
    ]);
    expect((await request(services, 'episodes.get', { id: episodeId })).episode).toMatchObject({
      title: 'Ep 1',
      number: 1,
      type: 'full',
    });
    expect(await request(services, 'jobs.list')).toEqual([]);
  });

  it.each([
    ['shows.update', { id: 'ghost-show', patch: { title: 'X' } }, /Show ghost-show does not exist/],
    ['shows.trash', { id: 'ghost-show' }, /Show ghost-show/],
    ['episodes.list', { showId: 'ghost-show' }, /Show ghost-show/],
    ['episodes.get', { id: 'ghost-ep' }, /Episode ghost-ep does not exist/],
    ['episodes.create', { showId: 'ghost-show', title: 'T' }, /Show ghost-show/],
    ['episodes.update', { id: 'ghost-ep', patch: { notes: 'n' } }, /Episode ghost-ep/],
    ['episodes.trash', { id: 'ghost-ep' }, /Episode ghost-ep/],
    ['tracks.rename', { id: 'ghost-track', name: 'N' }, /Track ghost-track/],
    ['tracks.reorder', { episodeId: 'ghost-ep', ids: ['t'] }, /Episode ghost-ep/],
    ['tracks.trash', { id: 'ghost-track' }, /Track ghost-track/],
    ['trash.restore', { id: 'ghost-item' }, /Trash item ghost-item/],
    ['media.asset', { id: 'ghost-asset' }, /Asset ghost-asset/],
    ['media.importPaths', { episodeId: 'ghost-ep', paths: ['/a.wav'] }, /Episode ghost-ep/],
    ['jobs.cancel', { id: 'ghost-job' }, /Job ghost-job/],
    ['jobs.retry', { id: 'ghost-job' }, /Job ghost-job/],
  ])('%s with an unknown id is not_found and changes nothing', async (name, input, message) => {
    const error = await refused(name, input);
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/does not exist/);
  });
});
