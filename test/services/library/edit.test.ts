import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { insertAsset } from '../../../src/main/services/library/assets';
import { now } from '../../../src/main/services/library/database';
import { getEpisodeEdit, saveEpisodeEdit } from '../../../src/main/services/library/edit';
import { addMarkers } from '../../../src/main/services/library/markers';
import { insertTrack } from '../../../src/main/services/library/tracks';
import type { EventPayload } from '../../../src/shared/contract';
import { type Edit, move, splitAt } from '../../../src/shared/edit';
import { StudioError } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

const services = await testServices(join(tempDir('studio-edit-'), 'data'));
const { db } = services;

async function newEpisode(title = 'Edit') {
  const show = await request(services, 'shows.create', { title: `Show of ${title}` });
  return request(services, 'episodes.create', { showId: show.id, title });
}

/** An asset row of the episode (no files: only rows matter here). */
function insertAssetRow(
  episodeId: string,
  name: string,
  assetId: string,
  durationSamples: number,
  kind: 'import' | 'render' = 'import',
) {
  insertAsset(
    db,
    {
      id: assetId,
      episode_id: episodeId,
      kind,
      original_name: `${name}.wav`,
      path: `media/${assetId}/source.wav`,
      working_path: null,
      peaks_path: null,
      format: 'wav/pcm_s16le',
      sample_rate: 48000,
      channels: 1,
      duration_samples: durationSamples,
      size_bytes: durationSamples * 2,
      integrated_lufs: null,
      lra: 0,
      true_peak_dbtp: null,
      sample_peak_dbfs: null,
    },
    now(),
  );
}

/** A track with an asset of `durationSamples`, as an import leaves it. */
function addTrack(episodeId: string, name: string, durationSamples: number | null) {
  const assetId = durationSamples === null ? null : crypto.randomUUID();
  const trackId = db.transaction(() => {
    if (assetId !== null && durationSamples !== null) {
      insertAssetRow(episodeId, name, assetId, durationSamples);
    }
    return insertTrack(db, episodeId, name, assetId);
  })();
  return { trackId, assetId };
}

async function rejection(work: () => unknown): Promise<StudioError> {
  const error = await Promise.resolve()
    .then(work)
    .then(
      () => null,
      (e: unknown) => e,
    );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

const wholeClip = (id: string, assetId: string, length: number) => ({
  id,
  assetId,
  sourceIn: 0,
  sourceOut: length,
  timelineStart: 0,
  gainDb: 0,
  fadeIn: 0,
  fadeOut: 0,
});

const ids =
  (counter = { n: 0 }) =>
  () =>
    `new-${++counter.n}`;

describe('the episode edit in the library', () => {
  it('is derived from the tracks and markers until first saved', async () => {
    const episode = await newEpisode();
    expect(getEpisodeEdit(db, episode.id)).toEqual({
      edit: { version: 1, sampleRate: 48000, tracks: [], markers: [] },
      restored: null,
    });

    const host = addTrack(episode.id, 'Host', 96_000);
    const guest = addTrack(episode.id, 'Guest', 48_000);
    const empty = addTrack(episode.id, 'Empty', null);
    const [intro] = addMarkers(db, episode.id, [
      { positionSamples: 1000, title: 'Intro', kind: 'chapter' },
    ]);

    const { edit, restored } = getEpisodeEdit(db, episode.id);
    expect(restored).toBeNull();
    const base = { gainDb: 0, pan: 0, muted: false, solo: false };
    expect(edit.tracks).toEqual([
      {
        id: host.trackId,
        name: 'Host',
        ...base,
        clips: [wholeClip(host.trackId, host.assetId!, 96_000)],
      },
      {
        id: guest.trackId,
        name: 'Guest',
        ...base,
        clips: [wholeClip(guest.trackId, guest.assetId!, 48_000)],
      },
      { id: empty.trackId, name: 'Empty', ...base, clips: [] },
    ]);
    expect(edit.markers).toEqual([
      { id: intro!.id, position: 1000, title: 'Intro', kind: 'chapter' },
    ]);
    // The same edit every time: a UI that reads twice sees the same clip ids.
    expect(getEpisodeEdit(db, episode.id).edit).toEqual(edit);
  });

  it('is saved, and reconciled with tracks added and trashed since', async () => {
    const episode = await newEpisode();
    const host = addTrack(episode.id, 'Host', 96_000);
    const guest = addTrack(episode.id, 'Guest', 48_000);
    const derived = getEpisodeEdit(db, episode.id).edit;
    const cut = splitAt(derived, { trackIds: [host.trackId], position: 48_000, newId: ids() });
    const moved = move(cut, { clipId: 'new-1', timelineStart: 120_000 });
    saveEpisodeEdit(db, episode.id, moved);
    expect(getEpisodeEdit(db, episode.id)).toEqual({ edit: moved, restored: null });

    const music = addTrack(episode.id, 'Music', 24_000);
    await request(services, 'tracks.trash', { id: guest.trackId });
    await request(services, 'tracks.rename', { id: host.trackId, name: 'Host (Ana)' });
    const [late] = addMarkers(db, episode.id, [
      { positionSamples: 500, title: 'Added later', kind: 'note' },
    ]);

    const { edit } = getEpisodeEdit(db, episode.id);
    expect(edit.tracks.map((t) => t.name)).toEqual(['Host (Ana)', 'Music']);
    expect(edit.tracks[0]!.clips).toEqual(moved.tracks[0]!.clips);
    expect(edit.tracks[1]!.clips).toEqual([wholeClip(music.trackId, music.assetId!, 24_000)]);
    expect(edit.markers.map((m) => m.id)).toEqual([late!.id]);

    // Reconciled on read, not stored: a track restored from the trash comes back as it was edited.
    const restoreGuest = async () => {
      const [item] = (await request(services, 'trash.list')).filter(
        (t) => t.entityId === guest.trackId,
      );
      await request(services, 'trash.restore', { id: item!.id });
    };
    await restoreGuest();
    expect(getEpisodeEdit(db, episode.id).edit.tracks.map((t) => t.name)).toEqual([
      'Host (Ana)',
      'Guest',
      'Music',
    ]);

    // Once an edit without it was saved, a restored track is appended with its whole asset.
    await request(services, 'tracks.trash', { id: guest.trackId });
    saveEpisodeEdit(db, episode.id, getEpisodeEdit(db, episode.id).edit);
    await restoreGuest();
    const after = getEpisodeEdit(db, episode.id).edit;
    expect(after.tracks.map((t) => t.name)).toEqual(['Host (Ana)', 'Music', 'Guest']);
    expect(after.tracks[2]!.clips).toEqual([wholeClip(guest.trackId, guest.assetId!, 48_000)]);
  });

  it('gives the episode its length once saved; before, the longest track’s', async () => {
    const episode = await newEpisode('Lengths');
    const host = addTrack(episode.id, 'Host', 96_000);
    addTrack(episode.id, 'Guest', 48_000);
    const lengthOf = async () =>
      (await request(services, 'episodes.get', { id: episode.id })).episode.durationSamples;
    expect(await lengthOf()).toBe(96_000);
    const derived = getEpisodeEdit(db, episode.id).edit;
    const moved = move(derived, {
      clipId: derived.tracks[0]!.clips[0]!.id,
      timelineStart: 200_000,
    });
    saveEpisodeEdit(db, episode.id, moved);
    expect(await lengthOf()).toBe(296_000);
    const listed = await request(services, 'episodes.list', { showId: episode.showId });
    expect(listed.find((e) => e.id === episode.id)?.durationSamples).toBe(296_000);
    // Tracks trashed, restored or added after the save change the length without another save.
    await request(services, 'tracks.trash', { id: host.trackId });
    expect(await lengthOf()).toBe(48_000);
    const [item] = (await request(services, 'trash.list')).filter(
      (t) => t.entityId === host.trackId,
    );
    await request(services, 'trash.restore', { id: item!.id });
    expect(await lengthOf()).toBe(296_000);
    const late = addTrack(episode.id, 'Late', 400_000);
    expect(await lengthOf()).toBe(400_000);
    await request(services, 'tracks.trash', { id: late.trackId });
    expect(await lengthOf()).toBe(296_000);
    // An edit with every clip deleted is an episode of length 0, not the tracks' length.
    saveEpisodeEdit(db, episode.id, {
      ...moved,
      tracks: moved.tracks.map((t) => ({ ...t, clips: [] })),
    });
    expect(await lengthOf()).toBe(0);
    expect(host.assetId).not.toBeNull();
  });

  it('keeps the audio of a clip moved to another track when its own track is trashed and the trash emptied', async () => {
    const episode = await newEpisode('Moved');
    const a = addTrack(episode.id, 'A', 96_000);
    const b = addTrack(episode.id, 'B', 48_000);
    const derived = getEpisodeEdit(db, episode.id).edit;
    // The derived clip's id is its track's.
    const moved = move(derived, { clipId: a.trackId, timelineStart: 200_000, trackId: b.trackId });
    saveEpisodeEdit(db, episode.id, moved);
    await request(services, 'tracks.trash', { id: a.trackId });
    await request(services, 'trash.empty', {});
    const assetExists = () =>
      db.prepare('SELECT 1 FROM assets WHERE id = ?').get(a.assetId) !== undefined;
    expect(assetExists()).toBe(true);

    const after = getEpisodeEdit(db, episode.id).edit;
    expect(after.tracks.map((t) => t.name)).toEqual(['B']);
    expect(after.tracks[0]!.clips.map((c) => c.assetId)).toEqual([b.assetId, a.assetId]);
    saveEpisodeEdit(db, episode.id, after);
    // Once no clip plays it, the next emptying removes it.
    saveEpisodeEdit(db, episode.id, {
      ...after,
      tracks: after.tracks.map((t) => ({
        ...t,
        clips: t.clips.filter((c) => c.assetId !== a.assetId),
      })),
    });
    await request(services, 'trash.empty', {});
    expect(assetExists()).toBe(false);
  });

  it('leaves out, on reading, a clip of a track on audio that is not a clip source', async () => {
    const episode = await newEpisode('Stray');
    const host = addTrack(episode.id, 'Host', 96_000);
    const mixdownId = crypto.randomUUID();
    insertAssetRow(episode.id, 'Mixdown', mixdownId, 96_000, 'render');
    const edit = getEpisodeEdit(db, episode.id).edit;
    // Written as a tool outside the app might (the library's own save refuses it).
    const stray: Edit = {
      ...edit,
      tracks: [
        {
          ...edit.tracks[0]!,
          clips: [
            ...edit.tracks[0]!.clips,
            { ...wholeClip('on-mixdown', mixdownId, 96_000), timelineStart: 200_000 },
          ],
        },
      ],
    };
    db.prepare('UPDATE episodes SET edit_json = ? WHERE id = ?').run(
      JSON.stringify(stray),
      episode.id,
    );
    const read = getEpisodeEdit(db, episode.id).edit;
    expect(read.tracks[0]!.clips.map((c) => c.assetId)).toEqual([host.assetId]);
    // So the editor can save the episode again.
    expect(() => saveEpisodeEdit(db, episode.id, read)).not.toThrow();
  });

  it('refuses an edit that breaks a rule or plays another episode’s audio', async () => {
    const episode = await newEpisode();
    const other = await newEpisode('Other');
    const host = addTrack(episode.id, 'Host', 96_000);
    const foreign = addTrack(other.id, 'Foreign', 96_000);
    const edit = getEpisodeEdit(db, episode.id).edit;

    const stolen: Edit = {
      ...edit,
      tracks: [{ ...edit.tracks[0]!, clips: [wholeClip('c1', foreign.assetId!, 96_000)] }],
    };
    const error = await rejection(() => saveEpisodeEdit(db, episode.id, stolen));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/not one of this episode’s imports or recordings/);
    // Nor its mixdown: a new mixdown deletes it, which would leave the clip playing nothing.
    const mixdownId = crypto.randomUUID();
    insertAssetRow(episode.id, 'Mixdown', mixdownId, 96_000, 'render');
    const onMixdown: Edit = {
      ...edit,
      tracks: [{ ...edit.tracks[0]!, clips: [wholeClip('c1', mixdownId, 96_000)] }],
    };
    expect((await rejection(() => saveEpisodeEdit(db, episode.id, onMixdown))).code).toBe(
      'invalid_input',
    );

    const overlapping: Edit = {
      ...edit,
      tracks: [
        {
          ...edit.tracks[0]!,
          clips: [
            wholeClip('c1', host.assetId!, 96_000),
            { ...wholeClip('c2', host.assetId!, 96_000), timelineStart: 10 },
          ],
        },
      ],
    };
    expect((await rejection(() => saveEpisodeEdit(db, episode.id, overlapping))).code).toBe(
      'invalid_input',
    );
    // Nothing was stored by either attempt.
    expect(getEpisodeEdit(db, episode.id).edit).toEqual(edit);
  });

  it('reports a damaged stored edit and restores the previous good one', async () => {
    const episode = await newEpisode();
    const host = addTrack(episode.id, 'Host', 96_000);
    const first = getEpisodeEdit(db, episode.id).edit;
    const second = splitAt(first, { trackIds: 'all', position: 48_000, newId: ids() });
    saveEpisodeEdit(db, episode.id, first);
    saveEpisodeEdit(db, episode.id, second);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      db.prepare('UPDATE episodes SET edit_json = ? WHERE id = ?').run(
        '{"version":1,"tra',
        episode.id,
      );
      const got = getEpisodeEdit(db, episode.id);
      expect(got.restored).toMatch(/damaged.*previous version was restored/);
      expect(got.edit).toEqual(first);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('not JSON'));
      // Reported once: the restored edit is stored.
      expect(getEpisodeEdit(db, episode.id)).toEqual({ edit: first, restored: null });

      // Valid JSON that breaks a rule, with a damaged previous version too: rebuilt from tracks.
      const broken = {
        ...second,
        tracks: [{ ...second.tracks[0]!, clips: [...second.tracks[0]!.clips].reverse() }],
      };
      db.prepare('UPDATE episodes SET edit_json = ?, edit_previous_json = ? WHERE id = ?').run(
        JSON.stringify(broken),
        'garbage',
        episode.id,
      );
      const rebuilt = getEpisodeEdit(db, episode.id);
      expect(rebuilt.restored).toMatch(/rebuilt from the episode’s tracks/);
      expect(rebuilt.edit.tracks[0]!.clips).toEqual([
        wholeClip(host.trackId, host.assetId!, 96_000),
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('edit.get and edit.save requests', () => {
  it('read and save through the contract, announcing the change', async () => {
    const episode = await newEpisode();
    const host = addTrack(episode.id, 'Host', 96_000);
    const got = await request(services, 'edit.get', { episodeId: episode.id });
    expect(got.restored).toBeNull();
    // Only rows were made: the asset's file is not on disk, so its clips are offline.
    const described = {
      id: host.assetId,
      name: 'Host.wav',
      channels: 1,
      sampleRate: 48_000,
      durationSamples: 96_000,
      offline: true,
    };
    expect(got.assets).toEqual([described]);
    const file = join(services.dataDir, `media/${host.assetId}/source.wav`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    const online = await request(services, 'edit.get', { episodeId: episode.id });
    expect(online.assets).toEqual([{ ...described, offline: false }]);

    const changes: EventPayload<'library.changed'>[] = [];
    const off = services.bus.on('library.changed', (change) => changes.push(change));
    try {
      const cut = splitAt(got.edit, { trackIds: [host.trackId], position: 1000, newId: ids() });
      expect(await request(services, 'edit.save', { episodeId: episode.id, edit: cut })).toEqual({
        ok: true,
      });
      expect(changes).toEqual([{ scope: 'edit', episodeId: episode.id }]);
      expect((await request(services, 'edit.get', { episodeId: episode.id })).edit).toEqual(cut);
    } finally {
      off();
    }
  });

  it('refuse a broken edit at the gate, and unknown episodes', async () => {
    const episode = await newEpisode();
    const host = addTrack(episode.id, 'Host', 96_000);
    const { edit } = await request(services, 'edit.get', { episodeId: episode.id });
    const negative = {
      ...edit,
      tracks: [{ ...edit.tracks[0]!, clips: [{ ...edit.tracks[0]!.clips[0]!, sourceOut: 0 }] }],
    };
    const gate = await rejection(() =>
      request(services, 'edit.save', { episodeId: episode.id, edit: negative }),
    );
    expect(gate.code).toBe('invalid_input');
    expect((await rejection(() => request(services, 'edit.get', { episodeId: 'nope' }))).code).toBe(
      'not_found',
    );
    expect(
      (
        await rejection(() =>
          request(services, 'edit.save', {
            episodeId: episode.id,
            edit: { ...edit, version: 2 },
          }),
        )
      ).code,
    ).toBe('invalid_input');
    expect(host.assetId).not.toBeNull();
  });
});
