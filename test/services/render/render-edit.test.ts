import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEdit } from '../../../src/main/services/render/render-edit';
import type { Edit } from '../../../src/shared/edit/model';
import { generate, tempDir } from '../../helpers/audio';
import { CENTER, clip, edit, peaksAbove, readFloatWav, referenceMono, track } from './helpers';

const dir = tempDir('studio-render-');
const paths: Record<string, string> = {};
const assetPath = (id: string) => paths[id] ?? join(dir, `${id}.wav`);

/** Clicks every 4800 samples from sample 1000 on, each 0.01 louder than the one before. */
const CLICK_EXPR = 'if(eq(mod(n\\,4800)\\,1000)\\,0.01*(1+floor(n/4800))\\,0)';
const clickAt = (n: number) => (n % 4800 === 1000 ? 0.01 * (1 + Math.floor(n / 4800)) : 0);

beforeAll(() => {
  const f32 = ['-c:a', 'pcm_f32le'];
  paths.clicks = generate(join(dir, 'clicks.wav'), `aevalsrc=${CLICK_EXPR}:s=48000:d=10`, f32);
  paths.dc = generate(join(dir, 'dc.wav'), 'aevalsrc=0.5:s=48000:d=10', f32);
  paths.stereo = generate(join(dir, 'stereo.wav'), 'aevalsrc=0.5|0.25:s=48000:d=10', f32);
  // A file at 44.1 kHz with clicks at 1 s and 2 s: they belong at 48000 and 96000 after resampling.
  paths.clicks44 = generate(
    join(dir, 'clicks44.wav'),
    'aevalsrc=if(eq(n\\,44100)+eq(n\\,88200)\\,0.9\\,0):s=44100:d=3',
    f32,
  );
});

async function render(e: Edit, name: string, channels: 1 | 2 = 1) {
  const out = join(dir, name);
  const result = await renderEdit({ edit: e, assetPath, out, channels });
  expect(result.path).toBe(out);
  return { result, pcm: readFloatWav(out) };
}

describe('renderEdit', () => {
  it('puts every click of cut and moved clips at exactly the expected sample', async () => {
    const a = clip({ assetId: 'clicks', sourceIn: 3000, sourceOut: 20000, timelineStart: 0 });
    const b = clip({ assetId: 'clicks', sourceIn: 30000, sourceOut: 50000, timelineStart: 17000 });
    const c = clip({ assetId: 'clicks', sourceIn: 5800, sourceOut: 7000, timelineStart: 60001 });
    const { result, pcm } = await render(edit([track([a, b, c])]), 'cut-move.wav');

    expect(pcm.sampleRate).toBe(48000);
    expect(pcm.channels).toBe(1);
    expect(result.lengthSamples).toBe(61201);
    expect(pcm.length).toBe(61201);

    const expected: number[] = [];
    for (const x of [a, b, c]) {
      for (let n = x.sourceIn; n < x.sourceOut; n++) {
        if (clickAt(n)) expected.push(x.timelineStart + n - x.sourceIn);
      }
    }
    const found = peaksAbove(pcm.data[0]!, 1e-4);
    expect(found).toEqual(expected);
    // A cut at sample n lands at sample n: c starts on a click, so its click is sample 60001.
    expect(pcm.data[0]![60001]).toBeCloseTo(clickAt(5800), 7);
    expect(pcm.data[0]![60000]).toBe(0);
    // Each click is the one from the right source position (they differ in level).
    for (const x of [a, b]) {
      for (let n = x.sourceIn; n < x.sourceOut; n++) {
        if (clickAt(n))
          expect(pcm.data[0]![x.timelineStart + n - x.sourceIn]).toBeCloseTo(clickAt(n), 7);
      }
    }
  });

  it('renders a clip split in two exactly like the unsplit clip', async () => {
    const whole = edit([
      track([clip({ assetId: 'clicks', sourceIn: 1000, sourceOut: 90000, timelineStart: 777 })]),
    ]);
    const split = edit([
      track([
        clip({ assetId: 'clicks', sourceIn: 1000, sourceOut: 12345, timelineStart: 777 }),
        clip({ assetId: 'clicks', sourceIn: 12345, sourceOut: 90000, timelineStart: 777 + 11345 }),
      ]),
    ]);
    const one = (await render(whole, 'whole.wav')).pcm;
    const two = (await render(split, 'split.wav')).pcm;
    expect(two.length).toBe(one.length);
    expect(Buffer.from(two.data[0]!.buffer).equals(Buffer.from(one.data[0]!.buffer))).toBe(true);
  });

  it('fades linearly over exactly fadeIn and fadeOut samples', async () => {
    const x = clip({
      assetId: 'dc',
      sourceIn: 100,
      sourceOut: 48100,
      timelineStart: 1000,
      fadeIn: 4800,
      fadeOut: 9600,
    });
    const { pcm } = await render(edit([track([x])]), 'fades.wav');
    const s = pcm.data[0]!;
    const at = (k: number) => s[1000 + k]!;
    expect(pcm.length).toBe(49000);
    expect(s[999]).toBe(0);
    expect(at(0)).toBe(0);
    expect(at(2400)).toBeCloseTo(0.25, 6); // half of 0.5, halfway in: linear
    expect(at(4799)).toBeCloseTo((0.5 * 4799) / 4800, 6);
    expect(at(4800)).toBeCloseTo(0.5, 6);
    expect(at(48000 - 9600 - 1)).toBeCloseTo(0.5, 6);
    expect(at(48000 - 9600)).toBeCloseTo(0.5, 6);
    expect(at(48000 - 4800)).toBeCloseTo(0.25, 6);
    expect(at(47999)).toBeCloseTo(0.5 / 9600, 7);
  });

  it('changes level by the clip and track gain in dB', async () => {
    const x = clip({ assetId: 'dc', sourceIn: 0, sourceOut: 4800, timelineStart: 0, gainDb: -6 });
    const y = clip({ assetId: 'dc', sourceIn: 0, sourceOut: 4800, timelineStart: 4800, gainDb: 4 });
    const { pcm } = await render(edit([track([x, y], { gainDb: -2 })]), 'gain.wav');
    const s = pcm.data[0]!;
    expect(20 * Math.log10(s[100]! / 0.5)).toBeCloseTo(-8, 4);
    expect(20 * Math.log10(s[4900]! / 0.5)).toBeCloseTo(2, 4);
  });

  it('sums a crossfade of two constant signals to a constant level', async () => {
    const x = clip({
      assetId: 'dc',
      sourceIn: 0,
      sourceOut: 24000,
      timelineStart: 0,
      fadeOut: 4800,
    });
    const y = clip({
      assetId: 'dc',
      sourceIn: 30000,
      sourceOut: 54000,
      timelineStart: 19200,
      fadeIn: 4800,
    });
    const { pcm } = await render(edit([track([x, y])]), 'xfade.wav');
    expect(pcm.length).toBe(43200);
    let worst = 0;
    for (const v of pcm.data[0]!) worst = Math.max(worst, Math.abs(v - 0.5));
    expect(worst).toBeLessThan(1e-6);
  });

  it('matches an independent reference for overlapping, faded clips on several tracks', async () => {
    const e = edit([
      track(
        [
          clip({
            assetId: 'clicks',
            sourceIn: 0,
            sourceOut: 30000,
            timelineStart: 500,
            fadeIn: 333,
            fadeOut: 7000,
            gainDb: 1.5,
          }),
          clip({
            assetId: 'dc',
            sourceIn: 10,
            sourceOut: 20000,
            timelineStart: 25000,
            fadeIn: 5500,
            fadeOut: 100,
          }),
          clip({
            assetId: 'clicks',
            sourceIn: 40000,
            sourceOut: 41000,
            timelineStart: 44900,
            fadeIn: 100,
          }),
        ],
        { gainDb: -3 },
      ),
      track([
        clip({
          assetId: 'clicks',
          sourceIn: 47000,
          sourceOut: 99000,
          timelineStart: 3,
          fadeOut: 51999,
        }),
      ]),
    ]);
    const { pcm } = await render(e, 'reference.wav');
    const sources = new Map([
      ['clicks', readFloatWav(paths.clicks!).data[0]!],
      ['dc', readFloatWav(paths.dc!).data[0]!],
    ]);
    const expected = referenceMono(e, sources, 52003);
    expect(pcm.length).toBe(52003);
    let worst = 0;
    for (let i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(expected[i]! - pcm.data[0]![i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it('leaves out muted tracks and, with any solo, every track not soloed', async () => {
    const clicks = () =>
      clip({ assetId: 'clicks', sourceIn: 0, sourceOut: 24000, timelineStart: 0 });
    const dc = () => clip({ assetId: 'dc', sourceIn: 0, sourceOut: 12000, timelineStart: 24000 });

    const mutedDc = (
      await render(edit([track([clicks()]), track([dc()], { muted: true })]), 'mute.wav')
    ).pcm;
    expect(mutedDc.length).toBe(36000); // muting does not shorten the timeline
    expect(peaksAbove(mutedDc.data[0]!, 1e-4)).toEqual([1000, 5800, 10600, 15400, 20200]);

    const soloDc = (
      await render(edit([track([clicks()]), track([dc()], { solo: true })]), 'solo.wav')
    ).pcm;
    expect(soloDc.data[0]![1000]).toBe(0);
    expect(soloDc.data[0]![30000]).toBeCloseTo(0.5, 6);

    const soloMuted = edit([
      track([clicks()], { solo: true }),
      track([dc()], { solo: true, muted: true }),
      track([dc()]),
    ]);
    const s = (await render(soloMuted, 'solo-muted.wav')).pcm;
    expect(s.data[0]![1000]).toBeCloseTo(0.01, 7);
    expect(s.data[0]![30000]).toBe(0);

    const allMuted = (await render(edit([track([clicks()], { muted: true })]), 'all-muted.wav'))
      .pcm;
    expect(allMuted.length).toBe(24000);
    expect(peaksAbove(allMuted.data[0]!, 0)).toEqual([]);
  });

  it('pans with constant power: mono as (cos, sin), stereo balanced, unity in the middle', async () => {
    const dc = (pan: number) =>
      track([clip({ assetId: 'dc', sourceIn: 0, sourceOut: 4800, timelineStart: 0 })], { pan });
    const level = async (e: Edit, name: string) => {
      const { pcm } = await render(e, name, 2);
      expect(pcm.channels).toBe(2);
      return [pcm.data[0]![2000]!, pcm.data[1]![2000]!] as const;
    };
    const [l0, r0] = await level(edit([dc(0)]), 'pan-center.wav');
    expect(l0).toBeCloseTo(0.5 * CENTER, 6);
    expect(r0).toBeCloseTo(0.5 * CENTER, 6);
    const [l1, r1] = await level(edit([dc(-1)]), 'pan-left.wav');
    expect(l1).toBeCloseTo(0.5, 6);
    expect(r1).toBe(0);
    const [l2, r2] = await level(edit([dc(0.5)]), 'pan-half-right.wav');
    expect(l2).toBeCloseTo(0.5 * Math.cos((3 * Math.PI) / 8), 6);
    expect(r2).toBeCloseTo(0.5 * Math.sin((3 * Math.PI) / 8), 6);
    expect(l2 ** 2 + r2 ** 2).toBeCloseTo(0.25, 6); // the power is the same wherever it is panned

    const stereo = (pan: number) =>
      track([clip({ assetId: 'stereo', sourceIn: 0, sourceOut: 4800, timelineStart: 0 })], { pan });
    const [l3, r3] = await level(edit([stereo(0)]), 'stereo-center.wav');
    expect(l3).toBeCloseTo(0.5, 6);
    expect(r3).toBeCloseTo(0.25, 6);
    const [l4, r4] = await level(edit([stereo(1)]), 'stereo-right.wav');
    expect(l4).toBe(0);
    expect(r4).toBeCloseTo(0.25 * Math.SQRT2, 6);
  });

  it('resamples an asset that is not at 48 kHz before cutting it', async () => {
    const x = clip({ assetId: 'clicks44', sourceIn: 0, sourceOut: 144000, timelineStart: 100 });
    const { pcm } = await render(edit([track([x])]), 'resampled.wav');
    expect(pcm.length).toBe(144100);
    const s = pcm.data[0]!;
    const argmax = (from: number, to: number) => {
      let best = from;
      for (let i = from; i < to; i++) if (Math.abs(s[i]!) > Math.abs(s[best]!)) best = i;
      return best;
    };
    expect(argmax(40000, 60000)).toBe(48100);
    expect(argmax(90000, 110000)).toBe(96100);
  });

  it('writes FLAC when the output says .flac, with the same samples to 24 bits', async () => {
    const e = edit([
      track([clip({ assetId: 'clicks', sourceIn: 3000, sourceOut: 20000, timelineStart: 10 })]),
    ]);
    const out = join(dir, 'mix.flac');
    const result = await renderEdit({ edit: e, assetPath, out });
    expect(result.lengthSamples).toBe(17010);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'f32le', '-']);
    expect(raw.length).toBe(17010 * 2 * 4);
    const left = (i: number) => raw.readFloatLE(i * 8);
    expect(left(10 + 5800 - 3000)).toBeCloseTo(0.02 * CENTER, 5);
    expect(left(10 + 5800 - 3000 - 1)).toBe(0);
  });
});
