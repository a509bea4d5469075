import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetFiles } from '../../../src/main/services/media/asset-files';
import { generate, tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

/**
 * An asset whose files were deleted outside the app: its clips are offline, nothing else breaks,
 * and pointing at the same recording brings it back under the same id (real ffmpeg, SQLite, jobs).
 */

const sources = tempDir('studio-relink-src-');
const tone = (seconds: number, rate = 48_000) =>
  `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`;

async function importedEpisode() {
  const services = await testServices();
  const original = generate(join(sources, `host-${crypto.randomUUID()}.wav`), tone(3), [
    '-c:a',
    'pcm_s16le',
  ]);
  const show = await request(services, 'shows.create', { title: 'Relinks' });
  const episode = await request(services, 'episodes.create', { showId: show.id, title: 'One' });
  await request(services, 'media.importPaths', { episodeId: episode.id, paths: [original] });
  await services.jobs.whenIdle();
  const { edit, assets } = await request(services, 'edit.get', { episodeId: episode.id });
  const assetId = edit.tracks[0]!.clips[0]!.assetId;
  expect(assets).toMatchObject([{ id: assetId, offline: false }]);
  return { services, episodeId: episode.id, assetId, original };
}

async function relink(
  services: Awaited<ReturnType<typeof testServices>>,
  episodeId: string,
  assetId: string,
  path: string,
) {
  const { jobIds } = await request(services, 'media.importPaths', {
    episodeId,
    paths: [path],
    relinkAssetId: assetId,
  });
  await services.jobs.whenIdle();
  return (await request(services, 'jobs.list')).find((job) => job.id === jobIds[0])!;
}

describe('relinking a missing asset', () => {
  it('shows the clips offline, refuses a different recording, and takes the same one back', async () => {
    const { services, episodeId, assetId, original } = await importedEpisode();
    rmSync(join(services.dataDir, assetFiles.dir(assetId)), { recursive: true, force: true });

    const offline = await request(services, 'edit.get', { episodeId });
    expect(offline.assets).toMatchObject([{ id: assetId, offline: true }]);
    // The rest of the library still works: the episode opens, the edit can be changed and saved.
    const detail = await request(services, 'episodes.get', { id: episodeId });
    expect(detail.tracks).toHaveLength(1);
    await request(services, 'edit.save', { episodeId, edit: offline.edit });

    const longer = generate(join(sources, 'longer.wav'), tone(4), ['-c:a', 'pcm_s16le']);
    const refused = await relink(services, episodeId, assetId, longer);
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(/longer\.wav is 0:04.* pick the same recording/);
    expect((await request(services, 'edit.get', { episodeId })).assets[0]!.offline).toBe(true);

    const done = await relink(services, episodeId, assetId, original);
    expect(done.status).toBe('done');
    expect(done.title).toMatch(/^Relink /);
    const back = await request(services, 'edit.get', { episodeId });
    expect(back.assets).toMatchObject([{ id: assetId, offline: false, durationSamples: 144_000 }]);
    expect(back.edit).toEqual(offline.edit);
    // Its waveform and audio are served again.
    const tile = await services.media.peakTile(assetId, 256, 0, 16);
    expect(tile.byteLength).toBeGreaterThan(28);
    const pcm = await services.media.pcm(assetId, 0, 480);
    expect(pcm.frames).toBe(480);
  });

  it('takes the same recording in another format (a working copy is made)', async () => {
    const { services, episodeId, assetId, original } = await importedEpisode();
    rmSync(join(services.dataDir, assetFiles.dir(assetId)), { recursive: true, force: true });
    const flac44 = generate(join(sources, 'host-44k.flac'), tone(3, 44_100), ['-c:a', 'flac']);
    expect((await relink(services, episodeId, assetId, flac44)).status).toBe('done');
    const { assets } = await request(services, 'edit.get', { episodeId });
    expect(assets).toMatchObject([
      { offline: false, sampleRate: 44_100, name: `host-${original.split('host-')[1]}` },
    ]);
  });

  it('refuses another episode’s asset and a file with other channels', async () => {
    const first = await importedEpisode();
    const show = await request(first.services, 'shows.create', { title: 'Other' });
    const other = await request(first.services, 'episodes.create', {
      showId: show.id,
      title: 'Two',
    });
    await expect(
      request(first.services, 'media.importPaths', {
        episodeId: other.id,
        paths: [first.original],
        relinkAssetId: first.assetId,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });

    const stereo = generate(join(sources, 'stereo.wav'), tone(3), [
      '-af',
      'aformat=channel_layouts=stereo',
      '-c:a',
      'pcm_s16le',
    ]);
    const refused = await relink(first.services, first.episodeId, first.assetId, stereo);
    expect(refused.error?.message).toMatch(/stereo\.wav has 2 channels but .* had 1/);
  });
});
