import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../../../src/main/services/app/dispatch';
import { createServices } from '../../../src/main/services/app/services';
import { speechLike, tempDir } from '../../helpers/audio';

const open = (dataDir: string) => createServices({ dataDir, transport: 'http', version: 'test' });

describe('start-up sweep after a crash', () => {
  it('removes half-written files, unrecorded media folders and stale uploads, and keeps assets and foreign files', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const services = await open(dataDir);
    const show = await call(services.dispatch, 'shows.create', { title: 'S' });
    const episode = await call(services.dispatch, 'episodes.create', {
      showId: show.id,
      title: 'E',
    });
    const source = speechLike(join(dir, 'kept.wav'), 2);
    await call(services.dispatch, 'media.importPaths', { episodeId: episode.id, paths: [source] });
    await services.jobs.whenIdle();
    const [kept] = readdirSync(join(dataDir, 'media'));
    await services.close();

    // What a crash at the wrong moment leaves behind.
    const orphan = join(dataDir, 'media', '6f1c2a9e-0000-4000-8000-000000000000');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'source.wav'), 'half an import');
    const partial = join(dataDir, 'media', kept!, '.peaks.bin.1234abcd.partial');
    writeFileSync(partial, 'unfinished');
    mkdirSync(join(dataDir, 'uploads'), { recursive: true });
    writeFileSync(
      join(dataDir, 'uploads', '0b7e5a51-1c2d-4e3f-8a9b-0c1d2e3f4a5b-stale.mp3'),
      'never queued',
    );
    // Things the studio did not name are not its to remove.
    mkdirSync(join(dataDir, 'media', 'my own folder'));
    writeFileSync(join(dataDir, 'uploads', 'draft.wav'), 'mine');

    const reopened = await open(dataDir);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(partial)).toBe(false);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual(['draft.wav']);
    expect(readdirSync(join(dataDir, 'media')).sort()).toEqual([kept, 'my own folder'].sort());
    const detail = await call(reopened.dispatch, 'episodes.get', { id: episode.id });
    expect(detail.tracks).toHaveLength(1);
    expect(existsSync(join(dataDir, 'media', kept!, 'peaks.bin'))).toBe(true);
    await reopened.close();
  });
});
