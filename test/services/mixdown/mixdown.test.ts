import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../../src/main/services/app/services';
import { getAssetRow } from '../../../src/main/services/library/assets';
import { presetById } from '../../../src/main/services/processing/presets';
import type { Job, Track } from '../../../src/shared/domain';
import type { Edit } from '../../../src/shared/edit/model';
import { StudioError } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';
import { cleanSpeech, readMonoFloat, writeMonoFloat } from '../../helpers/speech';

/**
 * The mixdown as the app runs it: mixdown.start queues a job that renders the stored edit,
 * measures it, optionally masters it, and records it on the episode. Real SQLite, real ffmpeg.
 */

const dir = tempDir();
const podcastTarget = presetById('podcast').settings.loudness!.targetLufs;

/** Every file and folder under the data dir's media folder, relative to it. */
function mediaFiles(dataDir: string): string[] {
  const media = join(dataDir, 'media');
  if (!existsSync(media)) return [];
  return readdirSync(media, { recursive: true, withFileTypes: true })
    .map((entry) => join(entry.parentPath, entry.name).slice(media.length + 1))
    .sort();
}

const assetIds = (services: Services) =>
  services.db.prepare('SELECT id FROM assets ORDER BY id').pluck().all() as string[];

async function newEpisode(services: Services, title = 'Pilot') {
  const show = await request(services, 'shows.create', { title: 'Show' });
  return request(services, 'episodes.create', { showId: show.id, title });
}

async function importTrack(services: Services, episodeId: string, path: string): Promise<Track> {
  await request(services, 'media.importPaths', { episodeId, paths: [path] });
  await services.jobs.whenIdle();
  const { tracks } = await request(services, 'episodes.get', { id: episodeId });
  const track = tracks.at(-1);
  if (!track?.asset) throw new Error(`Import of ${path} failed`);
  return track;
}

/** Runs a mixdown job to its end and returns it. */
async function mixdown(services: Services, episodeId: string, master: boolean): Promise<Job> {
  const { jobId } = await request(services, 'mixdown.start', { episodeId, master });
  await services.jobs.whenIdle();
  return services.jobs.get(jobId);
}

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

/** Mono float samples at 48 kHz: silence with a click of `value` at each given sample. */
function clicks(length: number, at: [number, number][]): Float32Array {
  const samples = new Float32Array(length);
  for (const [index, value] of at) samples[index] = value;
  return samples;
}

function above(samples: Float32Array, threshold: number): number[] {
  const found: number[] = [];
  samples.forEach((s, i) => {
    if (Math.abs(s) > threshold) found.push(i);
  });
  return found;
}

describe('mixing down an edit', async () => {
  const services = await testServices();
  const episode = await newEpisode(services);
  // Source A: 3 s with a click at 60 000; source B: 2 s with a click at 20 000.
  const a = await importTrack(
    services,
    episode.id,
    writeMonoFloat(join(dir, 'host.wav'), clicks(144_000, [[60_000, 0.9]])),
  );
  const b = await importTrack(
    services,
    episode.id,
    writeMonoFloat(join(dir, 'guest.wav'), clicks(96_000, [[20_000, -0.8]])),
  );
  const { edit: derived } = await request(services, 'edit.get', { episodeId: episode.id });
  const clipOf = (trackId: string) => derived.tracks.find((t) => t.id === trackId)!.clips[0]!;
  // A is cut in two and the pieces moved: [48 000, 96 000) at 24 000, [0, 24 000) at 120 000.
  // B is moved to 96 000 whole. The timeline ends at 96 000 + 96 000.
  const edit: Edit = {
    ...derived,
    tracks: derived.tracks.map((track) =>
      track.id === a.id
        ? {
            ...track,
            clips: [
              { ...clipOf(a.id), sourceIn: 48_000, sourceOut: 96_000, timelineStart: 24_000 },
              {
                ...clipOf(a.id),
                id: crypto.randomUUID(),
                sourceIn: 0,
                sourceOut: 24_000,
                timelineStart: 120_000,
              },
            ],
          }
        : { ...track, clips: [{ ...clipOf(b.id), timelineStart: 96_000 }] },
    ),
  };
  await request(services, 'edit.save', { episodeId: episode.id, edit });
  const editLength = 192_000;

  it('renders it sample-accurately to a render asset on the episode, on no track', async () => {
    const stages: string[] = [];
    const off = services.bus.on('job.updated', (job) => {
      if (job.kind === 'mixdown' && job.status === 'running') stages.push(job.stage);
    });
    const job = await mixdown(services, episode.id, false);
    off();
    expect(job).toMatchObject({ kind: 'mixdown', status: 'done', episodeId: episode.id });
    expect(stages).toContain('Rendering the edit');

    const got = await request(services, 'mixdown.get', { episodeId: episode.id });
    expect(got.master).toBeNull();
    expect(got.editChangedSince).toBe(false);
    const asset = got.mixdown!;
    expect(asset).toMatchObject({
      kind: 'render',
      episodeId: episode.id,
      originalName: 'Pilot (mixdown).flac',
      format: 'flac/flac',
      sampleRate: 48_000,
      channels: 2,
      durationSamples: editLength,
      hasWorkingCopy: false,
    });
    // Measured like an import: a waveform, and loudness figures (clicks are loud but short).
    expect(asset.loudness.truePeakDbtp).not.toBeNull();
    expect(mediaFiles(services.dataDir).filter((f) => f.startsWith(asset.id))).toEqual([
      asset.id,
      join(asset.id, 'peaks.bin'),
      join(asset.id, 'source.flac'),
    ]);

    const samples = readMonoFloat(join(services.dataDir, getAssetRow(services.db, asset.id).path));
    expect(samples.length).toBe(editLength);
    // A's click (source 60 000) is in its first clip: 24 000 + (60 000 - 48 000). B's at 96 000 +
    // 20 000. Nothing else is heard.
    expect(above(samples, 0.3)).toEqual([36_000, 116_000]);
    expect(samples[36_000]).toBeGreaterThan(0);
    expect(samples[116_000]).toBeLessThan(0);

    // No track was added for it; the episode's tracks are as they were.
    const detail = await request(services, 'episodes.get', { id: episode.id });
    expect(detail.tracks.map((t) => t.id)).toEqual([a.id, b.id]);
  });

  it('says the edit changed once it is saved after the mixdown', async () => {
    expect(
      (await request(services, 'mixdown.get', { episodeId: episode.id })).editChangedSince,
    ).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await request(services, 'edit.save', { episodeId: episode.id, edit });
    expect(
      (await request(services, 'mixdown.get', { episodeId: episode.id })).editChangedSince,
    ).toBe(true);
  });

  it('a second mixdown replaces the first, rows and files', async () => {
    const first = (await request(services, 'mixdown.get', { episodeId: episode.id })).mixdown!;
    const job = await mixdown(services, episode.id, false);
    expect(job.status).toBe('done');
    const second = await request(services, 'mixdown.get', { episodeId: episode.id });
    expect(second.mixdown!.id).not.toBe(first.id);
    expect(second.mixdown!.durationSamples).toBe(editLength);
    expect(second.editChangedSince).toBe(false);
    expect(() => getAssetRow(services.db, first.id)).toThrow(/does not exist/);
    expect(existsSync(join(services.dataDir, 'media', first.id))).toBe(false);
    const renders = services.db
      .prepare("SELECT id FROM assets WHERE kind = 'render'")
      .pluck()
      .all();
    expect(renders).toEqual([second.mixdown!.id]);
  });

  it('refuses an edit with no clips, at once and with nothing queued', async () => {
    const empty = await newEpisode(services, 'Empty');
    const error = await rejection(
      request(services, 'mixdown.start', { episodeId: empty.id, master: false }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/edit of “Empty” has no clips/);
    expect(services.jobs.unfinished('mixdown')).toEqual([]);
    expect(await request(services, 'mixdown.get', { episodeId: empty.id })).toEqual({
      mixdown: null,
      master: null,
      editChangedSince: false,
    });
    // An edit whose clips were all removed is just as empty.
    const { edit: emptied } = await request(services, 'edit.get', { episodeId: episode.id });
    const other = await newEpisode(services, 'Cleared');
    const track = await importTrack(
      services,
      other.id,
      writeMonoFloat(join(dir, 'short.wav'), clicks(4_800, [[100, 0.5]])),
    );
    const { edit: otherEdit } = await request(services, 'edit.get', { episodeId: other.id });
    await request(services, 'edit.save', {
      episodeId: other.id,
      edit: { ...otherEdit, tracks: otherEdit.tracks.map((t) => ({ ...t, clips: [] })) },
    });
    expect(emptied.tracks.length).toBe(2);
    expect(track.asset).not.toBeNull();
    expect(
      (await rejection(request(services, 'mixdown.start', { episodeId: other.id, master: true })))
        .code,
    ).toBe('invalid_input');
  });

  it('an offline asset fails with a message naming it, and leaves nothing', async () => {
    const offline = await newEpisode(services, 'Offline');
    const track = await importTrack(
      services,
      offline.id,
      writeMonoFloat(join(dir, 'gone.wav'), clicks(48_000, [[10, 0.5]])),
    );
    rmSync(join(services.dataDir, getAssetRow(services.db, track.asset!.id).path));
    const filesBefore = mediaFiles(services.dataDir);
    const assetsBefore = assetIds(services);

    const job = await mixdown(services, offline.id, true);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('file_missing');
    expect(job.error?.message).toContain(track.asset!.id);
    expect(job.error?.message).toContain('track "gone"');
    expect(job.error?.message).toMatch(/whose file gone\.wav was not found/);
    expect(mediaFiles(services.dataDir)).toEqual(filesBefore);
    expect(assetIds(services)).toEqual(assetsBefore);
    expect((await request(services, 'mixdown.get', { episodeId: offline.id })).mixdown).toBeNull();
  });

  it('draws again a voice’s waveform that is gone or damaged, so the music still ducks under it', async () => {
    const ducked = await newEpisode(services, 'Ducked');
    // A 1 kHz voice from 1 s to 2 s over 3 s of a 440 Hz bed that ducks 15 dB under it.
    const voiceSamples = new Float32Array(144_000);
    for (let n = 48_000; n < 96_000; n++)
      voiceSamples[n] = 0.3 * Math.sin((2 * Math.PI * 1000 * n) / 48_000);
    const bedSamples = new Float32Array(144_000).map(
      (_, n) => 0.5 * Math.sin((2 * Math.PI * 440 * n) / 48_000),
    );
    const voice = await importTrack(
      services,
      ducked.id,
      writeMonoFloat(join(dir, 'voice.wav'), voiceSamples),
    );
    const bed = await importTrack(
      services,
      ducked.id,
      writeMonoFloat(join(dir, 'bed.wav'), bedSamples),
    );
    const { edit } = await request(services, 'edit.get', { episodeId: ducked.id });
    await request(services, 'edit.save', {
      episodeId: ducked.id,
      edit: {
        ...edit,
        tracks: edit.tracks.map((t) =>
          t.id === bed.id ? { ...t, role: 'music' as const, ducking: { depthDb: -15 } } : t,
        ),
      },
    });
    const renderOnce = async () => {
      const stages: string[] = [];
      const off = services.bus.on('job.updated', (job) => {
        if (job.kind === 'mixdown' && job.status === 'running') stages.push(job.stage);
      });
      const job = await mixdown(services, ducked.id, false);
      off();
      expect(job.status).toBe('done');
      const { mixdown: asset } = await request(services, 'mixdown.get', { episodeId: ducked.id });
      return {
        stages,
        samples: readMonoFloat(join(services.dataDir, getAssetRow(services.db, asset!.id).path)),
      };
    };
    const peaksFile = join(services.dataDir, getAssetRow(services.db, voice.asset!.id).peaks_path!);

    const baseline = await renderOnce();
    // Ducked: under the voice the bed is at about 0.09, so voice and bed stay well under 0.5.
    expect(Math.max(...baseline.samples.subarray(60_000, 90_000).map(Math.abs))).toBeLessThan(0.5);
    expect(baseline.stages.some((stage) => stage.startsWith('Drawing'))).toBe(false);

    rmSync(peaksFile);
    const afterMissing = await renderOnce();
    expect(afterMissing.stages).toContain('Drawing the waveform of voice.wav again');
    expect(existsSync(peaksFile)).toBe(true);
    expect(afterMissing.samples).toEqual(baseline.samples);

    writeFileSync(peaksFile, 'not a waveform');
    const afterDamage = await renderOnce();
    expect(afterDamage.stages).toContain('Drawing the waveform of voice.wav again');
    expect(afterDamage.samples).toEqual(baseline.samples);
  });
});

describe('mixing down and mastering', async () => {
  const services = await testServices();
  const episode = await newEpisode(services, 'Interview');
  // Real speech, quiet (about -29 LUFS), so the engine has real work to do.
  await importTrack(services, episode.id, cleanSpeech(join(dir, 'speech.wav'), 6, { gainDb: -8 }));
  await importTrack(
    services,
    episode.id,
    cleanSpeech(join(dir, 'reply.wav'), 4, { gainDb: -10, seed: 2, voice: 'en-gb' }),
  );

  it('masters the mixdown to the episode’s target into a processed asset made from it', async () => {
    const stages: string[] = [];
    const off = services.bus.on('job.updated', (job) => {
      if (job.kind === 'mixdown' && job.status === 'running') stages.push(job.stage);
    });
    const job = await mixdown(services, episode.id, true);
    off();
    expect(job).toMatchObject({ status: 'done', error: null });
    expect(stages).toContain('Rendering the edit');
    expect(stages.some((stage) => stage.startsWith('Mastering'))).toBe(true);

    const { mixdown: render, master } = await request(services, 'mixdown.get', {
      episodeId: episode.id,
    });
    expect(render).toMatchObject({ kind: 'render', durationSamples: 6 * 48_000 });
    expect(master).not.toBeNull();
    expect(master!.sourceAssetId).toBe(render!.id);
    expect(master!.asset).toMatchObject({
      kind: 'processed',
      episodeId: episode.id,
      originalName: 'Interview (master).flac',
      format: 'flac/flac',
    });
    expect(Math.abs(master!.asset.loudness.integratedLufs! - podcastTarget)).toBeLessThanOrEqual(1);
    expect(master!.report.input).toBe('Interview (mixdown).flac');
    expect(master!.report.output).toBe('Interview (master).flac');
    expect(master!.report.settings).toEqual(presetById('podcast').settings);
    expect(render!.loudness.integratedLufs!).toBeLessThan(podcastTarget - 5);
    expect(mediaFiles(services.dataDir).filter((f) => f.startsWith(master!.asset.id))).toEqual([
      master!.asset.id,
      join(master!.asset.id, 'peaks.bin'),
      join(master!.asset.id, 'processed.flac'),
    ]);
  });

  it('a mixdown without mastering replaces the previous mixdown and its master', async () => {
    const before = await request(services, 'mixdown.get', { episodeId: episode.id });
    expect((await mixdown(services, episode.id, false)).status).toBe('done');
    const after = await request(services, 'mixdown.get', { episodeId: episode.id });
    expect(after.master).toBeNull();
    for (const id of [before.mixdown!.id, before.master!.asset.id]) {
      expect(() => getAssetRow(services.db, id)).toThrow(/does not exist/);
      expect(existsSync(join(services.dataDir, 'media', id))).toBe(false);
    }
  });

  it('a cancel leaves nothing new and keeps the mixdown there was', async () => {
    const kept = await request(services, 'mixdown.get', { episodeId: episode.id });
    const filesBefore = mediaFiles(services.dataDir);
    const assetsBefore = assetIds(services);
    const mastering = new Promise<void>((resolve) => {
      const off = services.bus.on('job.updated', (job) => {
        if (
          job.kind === 'mixdown' &&
          job.status === 'running' &&
          job.stage.startsWith('Mastering')
        ) {
          off();
          resolve();
        }
      });
    });
    const { jobId } = await request(services, 'mixdown.start', {
      episodeId: episode.id,
      master: true,
    });
    await mastering;
    await request(services, 'jobs.cancel', { id: jobId });
    await services.jobs.whenIdle();

    expect(services.jobs.get(jobId)).toMatchObject({ status: 'cancelled', error: null });
    expect(mediaFiles(services.dataDir)).toEqual(filesBefore);
    expect(assetIds(services)).toEqual(assetsBefore);
    expect(await request(services, 'mixdown.get', { episodeId: episode.id })).toEqual(kept);
  });

  it('refuses a second mixdown of the episode while one is queued', async () => {
    const { jobId } = await request(services, 'mixdown.start', {
      episodeId: episode.id,
      master: false,
    });
    const error = await rejection(
      request(services, 'mixdown.start', { episodeId: episode.id, master: true }),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/“Render Interview” is already (queued|running)/);
    await request(services, 'jobs.cancel', { id: jobId });
    await services.jobs.whenIdle();
    // Retrying the cancelled one while a new mixdown is queued would mix the episode down twice.
    const second = await request(services, 'mixdown.start', {
      episodeId: episode.id,
      master: true,
    });
    const retry = await rejection(request(services, 'jobs.retry', { id: jobId }));
    expect(retry.code).toBe('conflict');
    await request(services, 'jobs.cancel', { id: second.jobId });
    await services.jobs.whenIdle();
  });
  it('emptying the trash keeps the mixdown and its master, which belong to no track', async () => {
    expect((await mixdown(services, episode.id, true)).status).toBe('done');
    const kept = await request(services, 'mixdown.get', { episodeId: episode.id });
    expect(kept.mixdown).not.toBeNull();
    expect(kept.master).not.toBeNull();
    const { tracks } = await request(services, 'episodes.get', { id: episode.id });
    const trashed = tracks.at(-1)!;
    await request(services, 'tracks.trash', { id: trashed.id });
    expect((await request(services, 'trash.empty', {})).removed).toBe(1);
    // The trashed track's audio went; the mixdown made from it stays.
    expect(assetIds(services)).not.toContain(trashed.asset!.id);

    const after = await request(services, 'mixdown.get', { episodeId: episode.id });
    expect(after.mixdown?.id).toBe(kept.mixdown!.id);
    expect(after.master?.asset.id).toBe(kept.master!.asset.id);
    for (const id of [kept.mixdown!.id, kept.master!.asset.id]) {
      expect(existsSync(join(services.dataDir, getAssetRow(services.db, id).path))).toBe(true);
    }
  });
});
