import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTakeToEpisode } from '../../../src/main/services/app/add-take';
import { takeSaved } from '../../../src/main/services/app/take-saved';
import { assetFiles } from '../../../src/main/services/media/asset-files';
import { recordTake } from '../../../src/main/services/recording/record';
import { recoverTake } from '../../../src/main/services/recording/recover';
import { splitSourceName } from '../../../src/main/services/recording/source-spec';
import { readManifest, writeManifest } from '../../../src/main/services/recording/take';
import { StudioError } from '../../../src/shared/errors';
import { MODEL_RATE } from '../../../src/shared/time';
import { tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';
import { writeCrashedTake } from '../../helpers/take';

const dir = tempDir('studio-add-take-');
const services = await testServices(join(dir, 'data'));

async function newEpisode(title: string) {
  const show = await request(services, 'shows.create', { title: 'Takes', author: '' });
  return request(services, 'episodes.create', { showId: show.id, title });
}

describe('source names', () => {
  it('name=spec names a track; a spec with its own "=" after the scheme is unnamed', () => {
    expect(splitSourceName('host=pulse:alsa_input.usb')).toEqual({
      name: 'host',
      spec: 'pulse:alsa_input.usb',
    });
    expect(splitSourceName('guest=lavfi:sine=frequency=440')).toEqual({
      name: 'guest',
      spec: 'lavfi:sine=frequency=440',
    });
    expect(splitSourceName('lavfi:sine=frequency=440')).toEqual({
      name: null,
      spec: 'lavfi:sine=frequency=440',
    });
    expect(splitSourceName('pulse:x')).toEqual({ name: null, spec: 'pulse:x' });
    expect(() => splitSourceName(' =lavfi:sine')).toThrow(/empty name/);
  });

  it('unnamed tracks are track-<n>; two tracks of one name are refused before anything exists', async () => {
    const out = join(dir, 'unnamed');
    const take = await recordTake({
      sources: ['lavfi:sine', 'remote=lavfi:sine=frequency=880'],
      out,
      durationSec: 0.2,
    });
    expect(take.tracks.map((t) => t.name)).toEqual(['track-1', 'remote']);

    const twice = join(dir, 'twice');
    await expect(
      recordTake({ sources: ['a=lavfi:sine', 'a=lavfi:sine'], out: twice, durationSec: 0.2 }),
    ).rejects.toThrow(/Two tracks are named "a"/);
    expect(existsSync(twice)).toBe(false);
  });
});

describe('addTakeToEpisode', () => {
  it('refuses a take still marked recording, then adds it once recovered, in track order', async () => {
    const episode = await newEpisode('Crashed');
    const take = join(dir, 'crashed');
    await writeCrashedTake(take, [
      { name: 'host', seconds: 1.5, frequency: 300 },
      { name: 'guest', seconds: 1.25, frequency: 500 },
    ]);

    const refused = await addTakeToEpisode(services, take, episode.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StudioError);
    expect((refused as StudioError).code).toBe('conflict');
    expect((refused as StudioError).message).toMatch(
      /still marked as recording.*studio recover .*crashed/,
    );
    expect((await request(services, 'episodes.get', { id: episode.id })).tracks).toEqual([]);

    const recovered = await recoverTake(take);
    expect(recovered.tracks.map((t) => [t.name, t.frames])).toEqual([
      ['host', 1.5 * MODEL_RATE],
      ['guest', 1.25 * MODEL_RATE],
    ]);
    const added = await addTakeToEpisode(services, take, episode.id);
    expect(added.takeStatus).toBe('recovered');
    expect(added.tracks).toMatchObject([
      { name: 'host', status: 'added', durationSec: 1.5, error: null },
      { name: 'guest', status: 'added', durationSec: 1.25, error: null },
    ]);

    const { tracks } = await request(services, 'episodes.get', { id: episode.id });
    expect(tracks.map((t) => [t.name, t.position, t.id])).toEqual([
      ['host', 0, added.tracks[0]!.trackId],
      ['guest', 1, added.tracks[1]!.trackId],
    ]);
    for (const track of tracks) {
      expect(track.asset).toMatchObject({ kind: 'recording', sampleRate: 48_000, channels: 1 });
      // A 0.25 full-scale sine: about -15 LUFS.
      expect(track.asset!.loudness.integratedLufs).toBeGreaterThan(-17);
      expect(track.asset!.loudness.integratedLufs).toBeLessThan(-13);
      expect(
        statSync(join(services.dataDir, assetFiles.peaks(track.asset!.id))).size,
      ).toBeGreaterThan(0);
    }
    // Copied, not moved: the take folder is whole.
    expect(existsSync(join(take, 'track-1.wav'))).toBe(true);
  });

  it('skips a track with no audio and reports it; an unknown episode or a folder without a take is refused', async () => {
    const episode = await newEpisode('Partial');
    const take = join(dir, 'partial');
    await writeCrashedTake(take, [
      { name: 'host', seconds: 0.5, frequency: 300 },
      { name: 'guest', seconds: 0, frequency: 500 },
    ]);
    await recoverTake(take);
    const added = await addTakeToEpisode(services, take, episode.id);
    expect(added.tracks).toMatchObject([
      { name: 'host', status: 'added' },
      {
        name: 'guest',
        status: 'skipped',
        trackId: null,
        error: expect.stringMatching(/holds no audio/),
      },
    ]);

    await expect(addTakeToEpisode(services, take, 'no-such-episode')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(addTakeToEpisode(services, dir, episode.id)).rejects.toThrow(/holds no take/);
  });

  it('a track that cannot be lined up is added as recorded, says so, and the other is still lined up', async () => {
    const episode = await newEpisode('Cannot line up');
    const take = join(dir, 'misaligned');
    await writeCrashedTake(take, [
      { name: 'host', seconds: 1.5, frequency: 300 },
      { name: 'guest', seconds: 1.25, frequency: 500 },
    ]);
    await recoverTake(take);
    // Both devices started 480 frames (10 ms) after the take: each needs a lined-up copy.
    const manifest = await readManifest(take);
    await writeManifest(take, {
      ...manifest,
      tracks: manifest.tracks.map((track) => ({
        ...track,
        sync: { offsetFrames: 480, driftPpm: 0 },
      })),
    });
    // Where host's copy would be renamed to there is a folder, so lining host up fails at the
    // last step, as a full disk would fail it part way.
    const blocker = join(take, '.aligned-track-1.wav');
    mkdirSync(blocker);
    writeFileSync(join(blocker, 'keep'), 'not ours');

    const added = await addTakeToEpisode(services, take, episode.id);
    expect(added.tracks).toMatchObject([
      {
        name: 'host',
        status: 'added',
        error: null,
        note: expect.stringMatching(
          /^“host” was added as recorded: it could not be lined up with the take \(Lining up track-1\.wav with the take: .+\)\.$/,
        ),
      },
      { name: 'guest', status: 'added', error: null, note: null },
    ]);
    // As recorded: exactly its own length. Lined up: 10 ms of silence in front.
    expect(added.tracks[0]!.durationSec).toBe(1.5);
    expect(added.tracks[1]!.durationSec).toBeCloseTo(1.26, 6);
    const { tracks } = await request(services, 'episodes.get', { id: episode.id });
    expect(tracks.map((t) => [t.name, t.asset?.durationSamples])).toEqual([
      ['host', 1.5 * MODEL_RATE],
      ['guest', 1.25 * MODEL_RATE + 480],
    ]);
    // Nothing of the alignment is left: guest's copy removed, no half-written file; the folder
    // that was in the way is not ours to remove.
    expect(readdirSync(take).sort()).toEqual([
      '.aligned-track-1.wav',
      'take.json',
      'track-1.wav',
      'track-2.wav',
    ]);
    expect(readdirSync(blocker)).toEqual(['keep']);

    // The user reads it in the take's message, and on the track.
    const saved = takeSaved(added, 0, { recovered: false });
    expect(saved.message).toMatch(
      /^Saved 2 tracks \(0:01\)\. “host” was added as recorded: it could not be lined up with the take \(.+\)\.$/,
    );
    expect(saved.tracks[0]!.error).toBe(added.tracks[0]!.note);
    expect(saved.tracks[1]!.error).toBeNull();
  });
});
