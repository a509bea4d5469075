import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/app/services';
import { getAssetRow } from '../../../src/main/services/library/assets';
import { migrations } from '../../../src/main/services/library/migrations';
import { presetById } from '../../../src/main/services/processing/presets';
import type { Job, Track } from '../../../src/shared/domain';
import { StudioError } from '../../../src/shared/errors';
import { decodePeaksLevel } from '../../../src/shared/peaks';
import { generate, tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';
import { cleanSpeech } from '../../helpers/speech';

/**
 * Processing from the app's side, through the request gate and the job queue: settings stored
 * with the episode, processed versions as new assets. Real SQLite, real ffmpeg, short inputs.
 */

const dir = tempDir();
const podcast = presetById('podcast').settings;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file under the data dir's media folder, relative to it. */
function mediaFiles(dataDir: string): string[] {
  const media = join(dataDir, 'media');
  return readdirSync(media, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(media.length + 1))
    .sort();
}

async function newEpisode(services: Services, title = 'Pilot') {
  const show = await request(services, 'shows.create', { title: 'Show' });
  return request(services, 'episodes.create', { showId: show.id, title });
}

/** Imports a file into an episode and returns its track. */
async function importTrack(services: Services, episodeId: string, path: string): Promise<Track> {
  await request(services, 'media.importPaths', { episodeId, paths: [path] });
  await services.jobs.whenIdle();
  const { tracks } = await request(services, 'episodes.get', { id: episodeId });
  const track = tracks.at(-1);
  if (!track?.asset) throw new Error(`Import of ${path} failed`);
  return track;
}

async function trackById(services: Services, episodeId: string, trackId: string) {
  const { tracks } = await request(services, 'episodes.get', { id: episodeId });
  const track = tracks.find((t) => t.id === trackId);
  if (!track) throw new Error(`No track ${trackId}`);
  return track;
}

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

describe('a library from before processing', () => {
  it('is upgraded in place: its tracks have no processed version, its episodes the defaults', async () => {
    const dataDir = join(dir, 'schema-1');
    mkdirSync(dataDir, { recursive: true });
    const old = new Database(join(dataDir, 'library.sqlite'));
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    const t = '2026-01-01T00:00:00.000Z';
    old.exec(`
      INSERT INTO shows (id, title, position, created_at, updated_at) VALUES ('s', 'Show', 0, '${t}', '${t}');
      INSERT INTO episodes (id, show_id, title, position, created_at, updated_at) VALUES ('e', 's', 'Old', 0, '${t}', '${t}');
      INSERT INTO assets (id, episode_id, kind, original_name, path, format, sample_rate, channels,
        duration_samples, size_bytes, created_at)
        VALUES ('a', 'e', 'import', 'old.wav', 'media/a/source.wav', 'wav/pcm_s16le', 48000, 1, 48000, 100, '${t}');
      INSERT INTO tracks (id, episode_id, name, asset_id, position, created_at) VALUES ('t', 'e', 'Old', 'a', 0, '${t}');
      INSERT INTO jobs (id, kind, status, title, input_json, created_at, updated_at)
        VALUES ('j', 'import', 'done', 'Import old.wav', '{}', '${t}', '${t}');
    `);
    old.close();

    const services = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      const detail = await request(services, 'episodes.get', { id: 'e' });
      expect(detail.tracks.map((track) => [track.name, track.asset?.id, track.processed])).toEqual([
        ['Old', 'a', null],
      ]);
      expect((await request(services, 'processing.get', { episodeId: 'e' })).presetId).toBe(
        'podcast',
      );
      expect((await request(services, 'jobs.list'))[0]).toMatchObject({ id: 'j', trackId: null });
    } finally {
      await services.close();
    }
  });
});

describe('processing settings stored with the episode', () => {
  it('start as the Podcast preset, are saved per episode and survive a restart', async () => {
    const dataDir = join(dir, 'settings-data');
    const first = await createServices({ dataDir, transport: 'http', version: 'test' });
    const one = await newEpisode(first, 'One');
    const two = await newEpisode(first, 'Two');

    expect(await request(first, 'processing.get', { episodeId: one.id })).toEqual({
      presetId: 'podcast',
      settings: podcast,
      format: 'flac',
    });

    const changed = {
      presetId: 'podcast',
      settings: {
        ...podcast,
        denoise: { method: 'rnn', strength: 0.8 },
        trimSilence: { enabled: true, maxPauseSeconds: 0.8 },
        loudness: { targetLufs: -18, truePeakDbtp: -1.5 },
      },
      format: 'mp3',
    } as const;
    expect(await request(first, 'processing.set', { episodeId: one.id, ...changed })).toEqual(
      changed,
    );
    await first.close();

    const again = await createServices({ dataDir, transport: 'http', version: 'test' });
    try {
      expect(await request(again, 'processing.get', { episodeId: one.id })).toEqual(changed);
      // The other episode is untouched.
      expect((await request(again, 'processing.get', { episodeId: two.id })).settings).toEqual(
        podcast,
      );
    } finally {
      await again.close();
    }
  });

  it('refuses invalid values, unknown presets and unknown episodes, and keeps what was saved', async () => {
    const services = await testServices();
    const episode = await newEpisode(services);
    const valid = { episodeId: episode.id, presetId: 'podcast', settings: podcast, format: 'wav' };
    await request(services, 'processing.set', valid);

    const invalid: [string, unknown][] = [
      [
        'a target louder than -5 LUFS',
        { ...podcast, loudness: { targetLufs: 0, truePeakDbtp: -1 } },
      ],
      ['a strength above 100 %', { ...podcast, denoise: { method: 'fft', strength: 1.5 } }],
      ['an unknown noise reduction', { ...podcast, denoise: { method: 'magic', strength: 0.5 } }],
      [
        'a pause shorter than 0.3 s',
        { ...podcast, trimSilence: { enabled: true, maxPauseSeconds: 0.1 } },
      ],
      ['an unknown step', { ...podcast, reverb: true }],
      ['a missing step', { ...podcast, leveler: undefined }],
    ];
    for (const [what, settings] of invalid) {
      const error = await rejection(request(services, 'processing.set', { ...valid, settings }));
      expect(error.code, what).toBe('invalid_input');
    }
    expect(
      (await rejection(request(services, 'processing.set', { ...valid, format: 'ogg' }))).code,
    ).toBe('invalid_input');
    const unknownPreset = await rejection(
      request(services, 'processing.set', { ...valid, presetId: 'radio-2000' }),
    );
    expect(unknownPreset.code).toBe('invalid_input');
    expect(unknownPreset.message).toMatch(/radio-2000/);
    expect((await rejection(request(services, 'processing.get', { episodeId: 'nope' }))).code).toBe(
      'not_found',
    );

    expect(await request(services, 'processing.get', { episodeId: episode.id })).toEqual({
      presetId: 'podcast',
      settings: podcast,
      format: 'wav',
    });
  });

  it('lists the presets with their settings', async () => {
    const services = await testServices();
    const presets = await request(services, 'processing.presets');
    expect(presets.map((p) => p.id)).toEqual(
      expect.arrayContaining(['podcast', 'spotify', 'broadcast', 'audiobook', 'none']),
    );
    expect(presets.find((p) => p.id === 'podcast')?.settings).toEqual(podcast);
  });
});

describe('processing a track as a job', async () => {
  const services = await testServices();
  const episode = await newEpisode(services);
  // Real speech (espeak-ng), quiet (about -29 LUFS) so the loudness step has real work to do.
  // Noise-shaped stand-ins for speech are partly taken away by the cleanup steps themselves.
  const input = cleanSpeech(join(dir, 'interview.wav'), 6, { gainDb: -8 });
  const track = await importTrack(services, episode.id, input);
  const original = track.asset!;
  const originalRow = getAssetRow(services.db, original.id);
  const originalCopy = join(services.dataDir, originalRow.path);
  const originalSha = sha(originalCopy);
  const inputSha = sha(input);

  it('makes a new asset with loudness near the target and a waveform, linked to the track', async () => {
    await request(services, 'processing.set', {
      episodeId: episode.id,
      presetId: 'podcast',
      settings: { ...podcast, deEsser: false },
      format: 'flac',
    });
    const stages: string[] = [];
    const off = services.bus.on('job.updated', (job) => {
      if (job.kind === 'process' && job.status === 'running') stages.push(job.stage);
    });
    const job = await request(services, 'processing.run', { trackId: track.id });
    expect(job).toMatchObject({ kind: 'process', trackId: track.id, episodeId: episode.id });
    await services.jobs.whenIdle();
    off();
    expect(services.jobs.get(job.id)).toMatchObject({ status: 'done', error: null });
    expect(stages).toContain('Measuring the result');

    const processed = (await trackById(services, episode.id, track.id)).processed;
    expect(processed).not.toBeNull();
    const asset = processed!.asset;
    expect(asset).toMatchObject({
      kind: 'processed',
      episodeId: episode.id,
      originalName: 'interview (processed).flac',
      format: 'flac/flac',
      sampleRate: 48_000,
      hasWorkingCopy: false,
    });
    expect(processed!.sourceAssetId).toBe(original.id);
    expect(asset.id).not.toBe(original.id);
    // Measured on the result by the import meters, like any asset.
    expect(Math.abs(asset.loudness.integratedLufs! - -16)).toBeLessThanOrEqual(1);
    expect(asset.loudness.truePeakDbtp!).toBeLessThanOrEqual(-0.9);
    expect(Math.abs(asset.durationSamples - original.durationSamples)).toBeLessThan(48);

    const report = processed!.report;
    expect(report.input).toBe('interview.wav');
    expect(report.output).toBe('interview (processed).flac');
    expect(report.settings.deEsser).toBe(false);
    expect(report.before.integratedLufs!).toBeLessThan(-22);
    expect(Math.abs(report.after.integratedLufs! - -16)).toBeLessThanOrEqual(0.5);
    // The library's meter and the engine's verification agree on the result.
    expect(Math.abs(asset.loudness.integratedLufs! - report.after.integratedLufs!)).toBeLessThan(
      0.3,
    );

    const peaks = decodePeaksLevel(await services.media.peaks(asset.id, 100));
    expect(peaks.data.length).toBeGreaterThan(0);
    expect(Math.max(...peaks.data)).toBeGreaterThan(1000);
    const audio = await services.media.audio(asset.id, 'bytes=0-3');
    expect(audio.status).toBe(206);

    // The original is exactly as it was: the user's file, the library's copy and its row.
    expect(sha(input)).toBe(inputSha);
    expect(sha(originalCopy)).toBe(originalSha);
    expect(getAssetRow(services.db, original.id)).toEqual(originalRow);
    expect((await trackById(services, episode.id, track.id)).asset).toEqual(original);
    expect(mediaFiles(services.dataDir).filter((name) => /partial|work-/.test(name))).toEqual([]);
  });

  it('replaces the previous processed version only once the new one is complete', async () => {
    const before = (await trackById(services, episode.id, track.id)).processed!;
    await request(services, 'processing.set', {
      episodeId: episode.id,
      presetId: 'spotify',
      settings: presetById('spotify').settings,
      format: 'mp3',
    });
    const sawOldWhileRunning: boolean[] = [];
    const off = services.bus.on('job.updated', (job) => {
      if (job.kind === 'process' && job.status === 'running' && (job.progress ?? 0) > 0.3) {
        const current = services.db
          .prepare('SELECT processed_asset_id FROM tracks WHERE id = ?')
          .pluck()
          .get(track.id);
        sawOldWhileRunning.push(current === before.asset.id);
      }
    });
    await request(services, 'processing.run', { trackId: track.id });
    await services.jobs.whenIdle();
    off();
    expect(sawOldWhileRunning.length).toBeGreaterThan(0);
    expect(sawOldWhileRunning.every(Boolean)).toBe(true);

    const after = (await trackById(services, episode.id, track.id)).processed!;
    expect(after.asset.id).not.toBe(before.asset.id);
    expect(after.asset).toMatchObject({ format: 'mp3/mp3', hasWorkingCopy: true });
    expect(Math.abs(after.asset.loudness.integratedLufs! - -14)).toBeLessThanOrEqual(1);
    // The old version is gone, row and files; the original stays.
    expect(() => getAssetRow(services.db, before.asset.id)).toThrow(/does not exist/);
    const folders = mediaFiles(services.dataDir).filter((name) => !name.includes('/'));
    expect(folders.sort()).toEqual([original.id, after.asset.id].sort());
    expect(sha(originalCopy)).toBe(originalSha);
  });

  it('a cancel leaves no asset and no file, and the track keeps its processed version', async () => {
    const kept = (await trackById(services, episode.id, track.id)).processed!;
    const filesBefore = mediaFiles(services.dataDir);
    const assetsBefore = services.db.prepare('SELECT id FROM assets ORDER BY id').pluck().all();
    const running = new Promise<Job>((resolve) => {
      const off = services.bus.on('job.updated', (job) => {
        if (job.kind === 'process' && job.status === 'running' && (job.progress ?? 0) > 0.05) {
          off();
          resolve(job);
        }
      });
    });
    const job = await request(services, 'processing.run', { trackId: track.id });
    await running;
    await request(services, 'jobs.cancel', { id: job.id });
    await services.jobs.whenIdle();

    expect(services.jobs.get(job.id)).toMatchObject({ status: 'cancelled', error: null });
    expect(services.db.prepare('SELECT id FROM assets ORDER BY id').pluck().all()).toEqual(
      assetsBefore,
    );
    expect(mediaFiles(services.dataDir)).toEqual(filesBefore);
    expect((await trackById(services, episode.id, track.id)).processed).toEqual(kept);
  });

  it('refuses a second run of the same track while one is queued', async () => {
    const first = await request(services, 'processing.run', { trackId: track.id });
    const error = await rejection(request(services, 'processing.run', { trackId: track.id }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/“Process .*” is already (queued|running)/);
    await request(services, 'jobs.cancel', { id: first.id });
    await services.jobs.whenIdle();
    // Retrying the cancelled job while a new run is queued would process the track twice at once.
    const second = await request(services, 'processing.run', { trackId: track.id });
    const retry = await rejection(request(services, 'jobs.retry', { id: first.id }));
    expect(retry.code).toBe('conflict');
    await request(services, 'jobs.cancel', { id: second.id });
    await services.jobs.whenIdle();
    expect((await rejection(request(services, 'processing.run', { trackId: 'nope' }))).code).toBe(
      'not_found',
    );
  });

  it('a source that cannot be read fails with a clear error naming the file, and changes nothing', async () => {
    const broken = await importTrack(
      services,
      episode.id,
      generate(join(dir, 'broken.wav'), 'sine=frequency=440:sample_rate=48000:duration=2'),
    );
    // Damage the library's copy, as a failing disk or another program might.
    writeFileSync(
      join(services.dataDir, getAssetRow(services.db, broken.asset!.id).path),
      'RIFF garbage',
    );
    const filesBefore = mediaFiles(services.dataDir);
    const failures: Job[] = [];
    const off = services.bus.on('job.updated', (job) => {
      if (job.status === 'failed') failures.push(job);
    });
    const job = await request(services, 'processing.run', { trackId: broken.id });
    await services.jobs.whenIdle();
    off();

    const failed = services.jobs.get(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('media_unreadable');
    expect(failed.error?.message).toMatch(/^broken\.wav could not be read as audio/);
    expect(failed.error?.message).not.toMatch(/source\.wav/);
    expect(failures.map((j) => j.id)).toEqual([job.id]);
    expect(mediaFiles(services.dataDir)).toEqual(filesBefore);
    expect((await trackById(services, episode.id, broken.id)).processed).toBeNull();
  });

  it('emptying the trash keeps processed versions of live tracks and removes those of trashed ones', async () => {
    const processed = (await trackById(services, episode.id, track.id)).processed!;
    await request(services, 'trash.empty');
    expect(getAssetRow(services.db, processed.asset.id).kind).toBe('processed');

    await request(services, 'tracks.trash', { id: track.id });
    await request(services, 'trash.empty');
    expect(() => getAssetRow(services.db, processed.asset.id)).toThrow(/does not exist/);
    expect(() => getAssetRow(services.db, original.id)).toThrow(/does not exist/);
    const folders = mediaFiles(services.dataDir).filter((name) => !name.includes('/'));
    expect(folders).not.toContain(processed.asset.id);
    expect(folders).not.toContain(original.id);
  });
});
