import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { renderEdit } from '../../../src/main/services/render/render-edit';
import type { Clip } from '../../../src/shared/edit/model';
import { generate, tempDir } from '../../helpers/audio';
import { clip, edit, readFloatWav, referenceMono, track } from './helpers';

const dir = tempDir('studio-render-many-');
const paths: Record<string, string> = {};

beforeAll(() => {
  paths.clicks = generate(
    join(dir, 'clicks.wav'),
    'aevalsrc=if(eq(mod(n\\,4800)\\,1000)\\,0.01*(1+mod(floor(n/4800)\\,90))\\,0):s=48000:d=60',
    ['-c:a', 'pcm_f32le'],
  );
  // Working copies in the library are often FLAC: decode one here too.
  paths.noise = generate(
    join(dir, 'noise.flac'),
    'anoisesrc=color=white:sample_rate=48000:amplitude=0.3:duration=60:seed=7',
    ['-c:a', 'flac', '-sample_fmt', 's32'],
  );
});

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

it('renders a 500-clip, 4-track edit with crossfades exactly like the reference', async () => {
  const next = random(42);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo));
  const tracks = [0, 1, 2, 3].map((t) => {
    const clips: Clip[] = [];
    let end = int(0, 5000);
    for (let i = 0; i < 125; i++) {
      const assetId = (i + t) % 3 === 0 ? 'noise' : 'clicks';
      const length = int(12_000, 96_000);
      const sourceIn = int(0, 60 * 48000 - length);
      const crossfade = i > 0 && next() < 0.3 ? int(100, 4800) : 0;
      const start = crossfade ? end - crossfade : end + int(0, 9600);
      const previous = clips.at(-1);
      if (previous && crossfade) previous.fadeOut = Math.max(previous.fadeOut, crossfade);
      clips.push(
        clip({
          assetId,
          sourceIn,
          sourceOut: sourceIn + length,
          timelineStart: start,
          gainDb: int(-12, 6),
          fadeIn: crossfade || (next() < 0.2 ? int(1, 2000) : 0),
          fadeOut: next() < 0.2 ? int(1, 2000) : 0,
        }),
      );
      end = start + length;
    }
    return track(clips, { gainDb: t - 2 });
  });
  const e = edit(tracks);
  expect(e.tracks.flatMap((t) => t.clips)).toHaveLength(500);

  const out = join(dir, 'many.wav');
  const began = performance.now();
  let lastFraction = 0;
  const result = await renderEdit({
    edit: e,
    assetPath: (id) => paths[id]!,
    out,
    channels: 1,
    onProgress: (p) => {
      lastFraction = p.fraction;
    },
  });
  const seconds = (performance.now() - began) / 1000;
  const audioSeconds = result.lengthSamples / 48000;
  console.log(
    `500 clips, 4 tracks, ${audioSeconds.toFixed(0)} s of timeline: rendered in ${seconds.toFixed(2)} s (${(audioSeconds / seconds).toFixed(0)}x realtime)`,
  );
  expect(lastFraction).toBe(1);

  const pcm = readFloatWav(out);
  const sources = new Map([
    ['clicks', readFloatWav(paths.clicks!).data[0]!],
    ['noise', decodeFlac(paths.noise!)],
  ]);
  const expected = referenceMono(e, sources, result.lengthSamples);
  expect(pcm.length).toBe(result.lengthSamples);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(expected[i]! - pcm.data[0]![i]!));
  }
  expect(worst).toBeLessThan(1e-5);
  // And a few clicks by hand: the first click of track 1's clips that use the clicks asset.
  for (const c of tracks[1]!.clips.filter((x) => x.assetId === 'clicks').slice(0, 5)) {
    const firstClick = c.sourceIn + ((1000 - (c.sourceIn % 4800) + 4800) % 4800);
    const at = c.timelineStart + firstClick - c.sourceIn;
    expect(Math.abs(pcm.data[0]![at]!)).toBeGreaterThan(0);
    expect(pcm.data[0]![at]).toBeCloseTo(expected[at]!, 5);
  }
});

function decodeFlac(path: string): Float32Array {
  const wav = join(dir, 'noise-decoded.wav');
  generate(wav, `amovie=${path.replaceAll('\\', '/').replaceAll(':', '\\\\:')}`, [
    '-c:a',
    'pcm_f32le',
  ]);
  return readFloatWav(wav).data[0]!;
}
