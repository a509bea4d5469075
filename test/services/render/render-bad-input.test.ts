import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEdit } from '../../../src/main/services/render/render-edit';
import { StudioError } from '../../../src/shared/errors';
import { generate, tempDir } from '../../helpers/audio';
import { clip, edit, track } from './helpers';

const dir = tempDir('studio-render-bad-');
let tone = '';

beforeAll(() => {
  tone = generate(join(dir, 'tone.flac'), 'sine=f=440:sample_rate=48000:duration=60', ['-ac', '1']);
});

async function failure(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

describe('renderEdit with bad input', () => {
  it('names the clip and asset whose file is missing, and writes nothing', async () => {
    const outDir = join(dir, 'missing');
    const gone = clip({
      id: 'intro-music',
      assetId: 'asset-gone',
      sourceIn: 0,
      sourceOut: 48000,
      timelineStart: 0,
    });
    const e = edit([
      track([clip({ assetId: 'tone', sourceIn: 0, sourceOut: 48000, timelineStart: 0 })]),
      track([gone], { name: 'Music' }),
    ]);
    const paths: Record<string, string> = { tone, 'asset-gone': join(dir, 'gone', 'music.wav') };
    const error = await failure(
      renderEdit({ edit: e, assetPath: (id) => paths[id]!, out: join(outDir, 'mix.wav') }),
    );
    expect(error.code).toBe('file_missing');
    expect(error.message).toContain('intro-music');
    expect(error.message).toContain('"Music"');
    expect(error.message).toContain('asset-gone');
    expect(error.message).toContain('music.wav');
    expect(error.details).toMatchObject({ clipId: 'intro-music', assetId: 'asset-gone' });
    expect(() => readdirSync(outDir)).toThrow(); // not even the folder
  });

  it('ignores a missing file that only a muted track uses', async () => {
    const e = edit([
      track([clip({ assetId: 'tone', sourceIn: 0, sourceOut: 4800, timelineStart: 0 })]),
      track([clip({ assetId: 'gone', sourceIn: 0, sourceOut: 9600, timelineStart: 0 })], {
        muted: true,
      }),
    ]);
    const result = await renderEdit({
      edit: e,
      assetPath: (id) => (id === 'tone' ? tone : join(dir, 'nowhere.wav')),
      out: join(dir, 'muted-missing.wav'),
    });
    expect(result.lengthSamples).toBe(9600);
  });

  it('refuses clips that cannot be rendered, naming them', async () => {
    const run = (c: ReturnType<typeof clip>) =>
      failure(
        renderEdit({
          edit: edit([track([c], { name: 'Host' })]),
          assetPath: () => tone,
          out: join(dir, 'x.wav'),
        }),
      );
    const backwards = await run(
      clip({ id: 'c-back', assetId: 'tone', sourceIn: 500, sourceOut: 400, timelineStart: 0 }),
    );
    expect(backwards.code).toBe('invalid_input');
    expect(backwards.message).toContain('c-back');
    expect(backwards.message).toContain('"Host"');
    const fractional = await run(
      clip({ assetId: 'tone', sourceIn: 0.5, sourceOut: 400, timelineStart: 0 }),
    );
    expect(fractional.code).toBe('invalid_input');
    const longFade = await run(
      clip({ assetId: 'tone', sourceIn: 0, sourceOut: 400, timelineStart: 0, fadeIn: 401 }),
    );
    expect(longFade.message).toContain('fade');
    const empty = await failure(
      renderEdit({ edit: edit([]), assetPath: () => tone, out: join(dir, 'x.wav') }),
    );
    expect(empty.code).toBe('invalid_input');
    const mp3 = await failure(
      renderEdit({
        edit: edit([
          track([clip({ assetId: 'tone', sourceIn: 0, sourceOut: 400, timelineStart: 0 })]),
        ]),
        assetPath: () => tone,
        out: join(dir, 'x.mp3'),
      }),
    );
    expect(mp3.message).toContain('.wav or .flac');
  });

  it('stops when cancelled and leaves no output behind', async () => {
    const outDir = join(dir, 'cancel');
    // An hour of timeline from one minute of tone: long enough to be cancelled mid-way.
    const clips = Array.from({ length: 60 }, (_, i) =>
      clip({ assetId: 'tone', sourceIn: 0, sourceOut: 60 * 48000, timelineStart: i * 60 * 48000 }),
    );
    const controller = new AbortController();
    let progressSeen = false;
    const error = await failure(
      renderEdit({
        edit: edit([track(clips)]),
        assetPath: () => tone,
        out: join(outDir, 'mix.wav'),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.fraction > 0 && p.fraction < 1) {
            progressSeen = true;
            controller.abort();
          }
        },
      }),
    );
    expect(progressSeen).toBe(true);
    expect(error.code).toBe('cancelled');
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      renderEdit({
        edit: edit([
          track([clip({ assetId: 'tone', sourceIn: 0, sourceOut: 400, timelineStart: 0 })]),
        ]),
        assetPath: () => tone,
        out: join(dir, 'never.wav'),
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe('cancelled');
  });
});
