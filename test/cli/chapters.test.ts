import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services/app/services';
import { addMarker } from '../../src/shared/edit';
import { generate, tempDir } from '../helpers/audio';
import { runStudio } from '../helpers/cli';
import { request } from '../helpers/services';

const dir = tempDir('studio-chapters-cli-');
const dataDir = join(dir, 'data');

async function json<T>(args: string[]): Promise<T> {
  const run = await runStudio([...args, '--json'], { dataDir });
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

describe('studio chapters', () => {
  it('exports and imports chapters, keeping notes', async () => {
    const show = await json<{ id: string }>(['shows', 'add', 'Chapter show']);
    const episodeId = (await json<{ id: string }>(['episodes', 'add', '--show', show.id, 'Ep'])).id;
    const tone = generate(join(dir, 'tone.wav'), 'sine=f=440:r=48000:d=3', ['-c:a', 'pcm_s16le']);
    await json(['import', tone, '--episode', episodeId]);

    const services = await createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
    try {
      const { edit } = await request(services, 'edit.get', { episodeId });
      let next = addMarker(edit, {
        marker: { id: 'intro', position: 0, title: 'Intro', kind: 'chapter' },
      });
      next = addMarker(next, {
        marker: { id: 'talk', position: 72_000, title: 'Talk', kind: 'chapter' },
      });
      next = addMarker(next, {
        marker: { id: 'memo', position: 24_000, title: 'Fix levels', kind: 'note' },
      });
      await request(services, 'edit.save', { episodeId, edit: next });
    } finally {
      await services.close();
    }

    const jsonOut = join(dir, 'chapters.json');
    const exported = await runStudio(['chapters', 'export', episodeId, '-o', jsonOut], {
      dataDir,
    });
    expect(exported, exported.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toContain('2 chapters');
    expect(JSON.parse(readFileSync(jsonOut, 'utf8'))).toEqual({
      version: '1.2.0',
      chapters: [
        { startTime: 0, title: 'Intro' },
        { startTime: 1.5, title: 'Talk' },
      ],
    });

    const labelsOut = join(dir, 'labels.txt');
    await json(['chapters', 'export', episodeId, '-o', labelsOut]);
    expect(readFileSync(labelsOut, 'utf8')).toBe(
      '0.000000\t1.500000\tIntro\n1.500000\t3.000000\tTalk\n',
    );

    const labelsIn = join(dir, 'new.txt');
    writeFileSync(labelsIn, '0.5\t0.5\tCold open\r\n\\\t100\t200\r\n2.25\t3\tWrap up\r\n');
    const imported = await json<{ chapters: { position: number; title: string }[] }>([
      'chapters',
      'import',
      episodeId,
      labelsIn,
    ]);
    expect(imported.chapters).toEqual([
      { position: 24_000, title: 'Cold open' },
      { position: 108_000, title: 'Wrap up' },
    ]);

    const services2 = await createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
    try {
      const { edit } = await request(services2, 'edit.get', { episodeId });
      expect(edit.markers.map((m) => [m.position, m.kind, m.title])).toEqual([
        [24_000, 'note', 'Fix levels'],
        [24_000, 'chapter', 'Cold open'],
        [108_000, 'chapter', 'Wrap up'],
      ]);
    } finally {
      await services2.close();
    }

    // Back from the JSON exported earlier: the original chapters return.
    await json(['chapters', 'import', episodeId, jsonOut]);
    const again = await runStudio(
      ['chapters', 'export', episodeId, '-o', join(dir, 'again.json')],
      {
        dataDir,
      },
    );
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(jsonOut, 'utf8'));

    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '0\t1\tA\nnonsense\n');
    const refused = await runStudio(['chapters', 'import', episodeId, bad], { dataDir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Label file line 2: expected start, end and title');

    const wrongKind = await runStudio(['chapters', 'export', episodeId, '-o', join(dir, 'x.csv')], {
      dataDir,
    });
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(/name a \.json file .* or a \.txt file/);
  });
});
