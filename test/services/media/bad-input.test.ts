import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../src/main/services/app/services';
import type { EpisodeDetail, Job } from '../../../src/shared/domain';
import { generate, speechLike, tempDir } from '../../helpers/audio';
import { runInMountNamespace } from '../../helpers/mount-namespace';
import { request, testServices } from '../../helpers/services';
import type { Scenario, ScenarioResult } from './scenarios/import-on-broken-disk';

/**
 * Bad input and broken disks: each import fails as a job whose error names the file and the
 * reason, the library and every earlier asset's files stay exactly as they were, and nothing
 * half-written is left in the data dir.
 */

const dir = tempDir('studio-bad-input-');
let services: Services;
let episodeId: string;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Random-looking bytes, the same on every run (truly random ones are sometimes misread as MP3). */
function noiseBytes(length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i * 32 < length; i++)
    blocks.push(createHash('sha256').update(`noise ${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** Every file under media/ with its hash, every folder there, and any *.partial in the data dir. */
function disk(): { files: Record<string, string>; dirs: string[]; partials: string[] } {
  const dataDir = services.dataDir;
  const files: Record<string, string> = {};
  const dirs: string[] = [];
  for (const entry of readdirSync(join(dataDir, 'media'), {
    recursive: true,
    withFileTypes: true,
  })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) dirs.push(relative(dataDir, path));
    else files[relative(dataDir, path)] = sha256(path);
  }
  const partials = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((p) =>
    p.endsWith('.partial'),
  );
  return { files, dirs: dirs.sort(), partials };
}

function rowCounts() {
  const count = (table: string) =>
    services.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { assets: count('assets'), tracks: count('tracks') };
}

async function library(): Promise<EpisodeDetail> {
  return request(services, 'episodes.get', { id: episodeId });
}

async function jobFromList(id: string): Promise<Job> {
  const job = (await request(services, 'jobs.list')).find((j) => j.id === id);
  if (!job) throw new Error(`job ${id} is not in jobs.list`);
  return job;
}

/** Media folders on disk are exactly the assets in the library: no orphan, none missing. */
function expectFoldersMatchAssets() {
  const ids = services.db.prepare('SELECT id FROM assets').pluck().all() as string[];
  expect(readdirSync(join(services.dataDir, 'media')).sort()).toEqual(ids.sort());
}

beforeAll(async () => {
  services = await testServices();
  const show = await request(services, 'shows.create', { title: 'Bad input' });
  episodeId = (await request(services, 'episodes.create', { showId: show.id, title: 'One' })).id;
  const earlier = speechLike(join(dir, 'interview.wav'), 3);
  const { jobIds } = await request(services, 'media.importPaths', {
    episodeId,
    paths: [earlier],
  });
  await services.jobs.whenIdle();
  expect((await jobFromList(jobIds[0]!)).status).toBe('done');
  expect((await library()).tracks).toHaveLength(1);
});

describe('importing a file that is not usable audio', () => {
  const cases: {
    name: string;
    file: string;
    make(path: string): void;
    code: string;
    reason: RegExp;
  }[] = [
    {
      name: 'random bytes named .wav',
      file: 'noise.wav',
      make: (p) => writeFileSync(p, noiseBytes(8192)),
      code: 'media_unreadable',
      reason: /could not be read as audio: it is damaged or not an audio or video format/,
    },
    {
      name: 'a text file renamed .wav',
      file: 'notes.wav',
      make: (p) => writeFileSync(p, 'Show notes\n\n- intro\n- interview\n- outro\n'.repeat(20)),
      code: 'media_unreadable',
      reason: /could not be read as audio: it is damaged or not an audio or video format/,
    },
    {
      name: 'a zero-length file',
      file: 'empty.wav',
      make: (p) => writeFileSync(p, ''),
      code: 'file_empty',
      reason: /is empty \(0 bytes\)/,
    },
    {
      name: 'a WAV cut off inside its header (first 20 bytes)',
      file: 'header-only.wav',
      make: (p) => {
        const whole = generate(join(dir, 'whole.wav'), 'sine=duration=1', ['-c:a', 'pcm_s16le']);
        writeFileSync(p, readFileSync(whole).subarray(0, 20));
      },
      code: 'media_unreadable',
      reason: /could not be read as audio: it is damaged or not an audio or video format/,
    },
    {
      name: 'a video without sound',
      file: 'silent-movie.mp4',
      make: (p) => generate(p, 'testsrc=size=64x48:rate=5:duration=1', ['-c:v', 'mpeg4']),
      code: 'media_no_audio',
      reason: /has no audio stream/,
    },
    {
      name: 'a folder',
      file: 'folder.wav',
      make: (p) => mkdirSync(p),
      code: 'media_unreadable',
      reason: /is a folder, not an audio file/,
    },
  ];

  for (const c of cases) {
    it(`fails cleanly on ${c.name}`, async () => {
      const path = join(dir, c.file);
      c.make(path);
      const sourceBefore = existsSync(path) && !c.file.startsWith('folder') ? sha256(path) : null;
      const libraryBefore = await library();
      const countsBefore = rowCounts();
      const diskBefore = disk();

      const { jobIds } = await request(services, 'media.importPaths', { episodeId, paths: [path] });
      await services.jobs.whenIdle();

      const job = await jobFromList(jobIds[0]!);
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe(c.code);
      expect(job.error?.message).toContain(c.file);
      expect(job.error?.message).toMatch(c.reason);
      expect(job.stage).toBe('Failed');
      expect(await library()).toEqual(libraryBefore);
      expect(rowCounts()).toEqual(countsBefore);
      expect(disk()).toEqual(diskBefore);
      expect(disk().partials).toEqual([]);
      expectFoldersMatchAssets();
      if (sourceBefore) expect(sha256(path)).toBe(sourceBefore);
    });
  }

  it('fails cleanly on a file deleted after it was queued', async () => {
    // Two files in one request: the second waits while the first imports, and is deleted then.
    const first = speechLike(join(dir, 'first.wav'), 3);
    const gone = speechLike(join(dir, 'gone.wav'), 3);
    const libraryBefore = await library();
    const diskBefore = disk();

    const { jobIds } = await request(services, 'media.importPaths', {
      episodeId,
      paths: [first, gone],
    });
    expect(services.jobs.get(jobIds[1]!).status).toBe('queued');
    rmSync(gone);
    await services.jobs.whenIdle();

    expect((await jobFromList(jobIds[0]!)).status).toBe('done');
    const job = await jobFromList(jobIds[1]!);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('file_missing');
    expect(job.error?.message).toContain('gone.wav');
    expect(job.error?.message).toMatch(/was not found/);

    // Only the first file was added; every earlier file is as it was.
    const after = await library();
    expect(after.tracks.slice(0, -1)).toEqual(libraryBefore.tracks);
    expect(after.tracks.map((t) => t.name)).toEqual([
      ...libraryBefore.tracks.map((t) => t.name),
      'first',
    ]);
    const diskAfter = disk();
    expect(diskAfter.files).toMatchObject(diskBefore.files);
    expect(diskAfter.dirs).toHaveLength(diskBefore.dirs.length + 1);
    expect(diskAfter.partials).toEqual([]);
    expectFoldersMatchAssets();
  });

  it('reports the job error the same way through jobs.retry and a second failure', async () => {
    const path = join(dir, 'still-empty.wav');
    writeFileSync(path, '');
    const { jobIds } = await request(services, 'media.importPaths', { episodeId, paths: [path] });
    await services.jobs.whenIdle();
    const retried = await request(services, 'jobs.retry', { id: jobIds[0]! });
    await services.jobs.whenIdle();
    const job = await jobFromList(retried.id);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toBe((await jobFromList(jobIds[0]!)).error?.message);
    expectFoldersMatchAssets();
  });
});

/**
 * Broken disks need mounts, so each runs in a child process inside its own mount namespace
 * (`unshare -m`, as root): the mounts vanish with it, and it reports what it saw as JSON.
 */
function runOnBrokenDisk(scenario: Omit<Scenario, 'dataDir'>): ScenarioResult {
  const dataDir = join(dir, `data-${scenario.mode}`);
  mkdirSync(dataDir, { recursive: true });
  return runInMountNamespace<ScenarioResult>(
    scenario.mode,
    join(import.meta.dirname, 'scenarios', 'import-on-broken-disk.ts'),
    { ...scenario, dataDir },
    30_000,
  );
}

describe('importing onto a broken disk', () => {
  it('fails cleanly when the media folder is read-only', () => {
    const earlier = speechLike(join(dir, 'ro-earlier.wav'), 2);
    const victim = speechLike(join(dir, 'ro-victim.wav'), 2);
    const victimSha = sha256(victim);
    const result = runOnBrokenDisk({ mode: 'read-only', earlier, victims: [victim] });

    expect(result.earlierJob.status).toBe('done');
    expect(result.readOnlyProof).toBe('EROFS');
    const [v] = result.victims;
    expect(v!.job.status).toBe('failed');
    expect(v!.job.error?.code).toBe('read_only');
    expect(v!.job.error?.message).toContain('ro-victim.wav');
    expect(v!.job.error?.message).toMatch(/read-only disk/);
    expect(v!.library).toEqual(result.libraryBefore);
    expect(v!.files).toEqual(result.filesBefore);
    expect(v!.files.partials).toEqual([]);
    expect(sha256(victim)).toBe(victimSha);
  });

  it('fails cleanly when the disk is full, keeps earlier assets, and recovers', () => {
    const earlier = speechLike(join(dir, 'full-earlier.wav'), 1);
    // Bigger than the whole 3 MB disk: the copy of the original cannot fit.
    const tooBig = speechLike(join(dir, 'too-big.wav'), 40, ['-c:a', 'pcm_s16le']);
    // Small itself (about 180 kB), but its 48 kHz FLAC working copy of noise needs about 4 MB.
    const workingTooBig = generate(
      join(dir, 'noise.mp3'),
      'anoisesrc=color=white:sample_rate=48000:amplitude=0.5:duration=45',
      ['-b:a', '32k'],
    );
    const fits = speechLike(join(dir, 'fits.wav'), 1);
    const result = runOnBrokenDisk({
      mode: 'disk-full',
      size: '3m',
      earlier,
      victims: [tooBig, workingTooBig, fits],
    });

    expect(result.earlierJob.status).toBe('done');
    const [big, working, small] = result.victims;

    expect(big!.size).toBeGreaterThan(big!.freeBefore);
    expect(big!.job.status).toBe('failed');
    expect(big!.job.error?.code).toBe('disk_full');
    expect(big!.job.error?.message).toContain('too-big.wav');
    expect(big!.job.error?.message).toMatch(/disk .*is full/);

    expect(working!.size).toBeLessThan(working!.freeBefore);
    expect(working!.job.status).toBe('failed');
    expect(working!.job.error?.code).toBe('disk_full');
    expect(working!.job.error?.message).toContain('noise.mp3');
    expect(working!.job.error?.message).toMatch(/disk is full/);
    // The temp name ffmpeg was writing is no business of the user's.
    expect(working!.job.error?.message).not.toMatch(/partial/);

    for (const failed of [big!, working!]) {
      expect(failed.library).toEqual(result.libraryBefore);
      expect(failed.files).toEqual(result.filesBefore);
      expect(failed.files.partials).toEqual([]);
      // The space the failed import took is given back (give or take the library's own pages).
      expect(failed.freeAfter).toBeGreaterThan(failed.freeBefore - 256 * 1024);
    }

    // Once the big file is gone, a file that fits imports as usual, next to the earlier one.
    expect(small!.job.status).toBe('done');
    expect(small!.library.tracks.map((t) => t.name)).toEqual(['full-earlier', 'fits']);
    expect(small!.library.tracks[0]).toEqual(result.libraryBefore.tracks[0]);
    expect(small!.files.files).toMatchObject(result.filesBefore.files);
    expect(small!.files.partials).toEqual([]);
  });
});
