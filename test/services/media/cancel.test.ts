import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeMedia } from '../../../src/main/services/ffmpeg/probe';
import { analyzeMedia } from '../../../src/main/services/media/analysis/analyze';
import type { Job } from '../../../src/shared/domain';
import { generate, speechLike, tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

const dir = tempDir();

/** Every file under the data dir's media folder, relative. */
function mediaFiles(dataDir: string): string[] {
  return readdirSync(join(dataDir, 'media'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('cancelling an import halfway', () => {
  const wav = speechLike(join(dir, 'long.wav'), 300);
  const mp3 = generate(join(dir, 'long.mp3'), `amovie=${wav}`, [
    '-c:a',
    'libmp3lame',
    '-b:a',
    '64k',
  ]);

  for (const [label, path] of [
    ['a WAV measured on worker threads', wav],
    ['an MP3 measured while ffmpeg decodes it', mp3],
  ] as const) {
    it(`stops ${label}, leaves no file behind and keeps the library as it was`, async () => {
      const services = await testServices();
      const show = await request(services, 'shows.create', { title: 'S' });
      const episode = await request(services, 'episodes.create', { showId: show.id, title: 'E' });
      const running = new Promise<Job>((resolve) => {
        const off = services.bus.on('job.updated', (job) => {
          if (job.status === 'running' && (job.progress ?? 0) > 0.05) {
            off();
            resolve(job);
          }
        });
      });
      const { jobIds } = await request(services, 'media.importPaths', {
        episodeId: episode.id,
        paths: [path],
      });
      await running;
      await request(services, 'jobs.cancel', { id: jobIds[0] });
      await services.jobs.whenIdle();
      const [job] = await request(services, 'jobs.list');
      expect(job?.status).toBe('cancelled');
      expect((await request(services, 'episodes.get', { id: episode.id })).tracks).toEqual([]);
      expect(mediaFiles(services.dataDir)).toEqual([]);
    });
  }
});

describe('a cancel that lands before measuring starts', () => {
  it('is answered at once for every kind of input, with no worker left running', async () => {
    const wav48 = speechLike(join(dir, 'pre-48k.wav'), 130);
    const wav44 = generate(join(dir, 'pre-44k.wav'), `amovie=${wav48}`, ['-ar', '44100']);
    const mp3 = generate(join(dir, 'pre.mp3'), `amovie=${wav48}`, ['-c:a', 'libmp3lame']);
    for (const [path, workingCopyPath] of [
      [wav48, undefined],
      [wav44, join(dir, '.pre-working.flac.partial')],
      [mp3, join(dir, '.pre-mp3-working.flac.partial')],
    ] as const) {
      const probe = await probeMedia(path);
      const stopped = new AbortController();
      stopped.abort();
      const progress: number[] = [];
      const outcome = await analyzeMedia({
        path,
        ...probe,
        workingCopyPath,
        signal: stopped.signal,
        onProgress: (fraction) => progress.push(fraction),
      }).catch((error: unknown) => error);
      expect(outcome, path).toMatchObject({ code: 'cancelled' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(progress, `${path}: no work after the cancel`).toEqual([]);
    }
  });
});
