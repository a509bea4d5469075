import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'vite';
import type * as EngineModule from '../src/renderer/features/editor/playback/playback-engine';
import { duckEnvelope, duckGainAt, type Edit, type Interval } from '../src/shared/edit';

// The playback engine in real Chromium Web Audio, rendered offline so every output sample can be
// checked: the engine module is bundled on its own and loaded into a blank page (the app is not
// involved), with an OfflineAudioContext and PCM made up in the page.

const GLOBAL = 'PlaybackEngineUnderTest';
let bundle = '';

test.beforeAll(async () => {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: {
        entry: resolve('src/renderer/features/editor/playback/playback-engine.ts'),
        formats: ['iife'],
        name: GLOBAL,
        fileName: 'engine',
      },
    },
  });
  for (const output of Array.isArray(result) ? result : [result]) {
    if (!('output' in output)) continue;
    for (const chunk of output.output) if (chunk.type === 'chunk') bundle = chunk.code;
  }
  expect(bundle).toContain('createPlaybackEngine');
});

const clip = (
  id: string,
  assetId: string,
  sourceIn: number,
  sourceOut: number,
  timelineStart: number,
  extra: { gainDb?: number; fadeIn?: number; fadeOut?: number } = {},
) => ({
  id,
  assetId,
  sourceIn,
  sourceOut,
  timelineStart,
  gainDb: 0,
  fadeIn: 0,
  fadeOut: 0,
  ...extra,
});

const track = (
  id: string,
  clips: Edit['tracks'][number]['clips'],
  extra: Partial<Edit['tracks'][number]> = {},
) => ({
  id,
  name: id,
  gainDb: 0,
  pan: 0,
  muted: false,
  solo: false,
  clips,
  ...extra,
});

/** Clicks, a crossfade of constant audio, a faded stereo clip, an offline asset, a muted track. */
const edit: Edit = {
  version: 1,
  sampleRate: 48_000,
  markers: [],
  tracks: [
    track('clicks', [clip('k1', 'click', 0, 2_000, 0), clip('k2', 'click', 500, 2_000, 10_000)], {
      pan: -1,
    }),
    track('xfade', [
      clip('x1', 'one', 0, 6_000, 12_000, { fadeOut: 2_000 }),
      clip('x2', 'one', 0, 6_000, 16_000, { fadeIn: 2_000 }),
    ]),
    track('stereo', [clip('s1', 'dc', 0, 8_000, 24_000, { fadeIn: 4_800, gainDb: -6 })]),
    track('missing', [clip('m1', 'offline', 0, 1_000, 33_000)]),
    track('muted', [clip('u1', 'offline-muted', 0, 1_000, 0)], { muted: true }),
  ],
};

interface Rendered {
  left: number[];
  right: number[];
  errors: string[];
  fetched: string[];
}

/** Plays `first` (then `second` through update(), before any audio) into 1 s of offline output. */
async function render(
  page: import('@playwright/test').Page,
  first: Edit,
  second?: Edit,
  activity: [string, Interval[]][] = [],
) {
  await page.setContent('<!doctype html><title>engine</title>');
  await page.addScriptTag({ content: bundle });
  return page.evaluate(
    async ({ first, second, globalName, activity }): Promise<Rendered> => {
      const engineModule = (window as unknown as Record<string, typeof EngineModule>)[globalName]!;
      const fetched: string[] = [];
      const errors: string[] = [];
      const ctx = new OfflineAudioContext({
        numberOfChannels: 2,
        length: 48_000,
        sampleRate: 48_000,
      });
      const engine = engineModule.createPlaybackEngine({
        audioContext: () => ctx,
        activity: new Map(activity),
        onError: (assetId) => errors.push(assetId),
        fetchPcm: async (assetId, from, frames) => {
          fetched.push(assetId);
          if (assetId.startsWith('offline')) throw new Error('Asset offline');
          const stereo = assetId === 'dc';
          const data = new Float32Array(frames * (stereo ? 2 : 1));
          for (let i = 0; i < frames; i++) {
            const frame = from + i;
            if (assetId === 'click') data[i] = frame === 1_000 ? 1 : 0;
            else if (assetId === 'one') data[i] = 1;
            else if (assetId === 'silent') data[i] = 0;
            else {
              data[2 * i] = 0.5;
              data[2 * i + 1] = 0.25;
            }
          }
          return { channels: stereo ? 2 : 1, data };
        },
      });
      await engine.play(first, 0);
      if (second) {
        engine.update(second);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const output = await ctx.startRendering();
      engine.dispose();
      return {
        left: Array.from(output.getChannelData(0)),
        right: Array.from(output.getChannelData(1)),
        errors,
        fetched: [...new Set(fetched)],
      };
    },
    { first, second, globalName: GLOBAL, activity },
  );
}

const db = (x: number) => 10 ** (x / 20);

test('places every clip at its exact sample with the render’s gains, fades and pan', async ({
  page,
}) => {
  const out = await render(page, edit);
  // The engine starts a little after "now": find where timeline sample 0 landed from the first click.
  const offset = out.left.findIndex((v) => v !== 0) - 1_000;
  expect(offset).toBeGreaterThanOrEqual(0);
  const at = (sample: number) => ({
    l: out.left[offset + sample]!,
    r: out.right[offset + sample]!,
  });

  // Hard left, mono: the clicks at full level on the left only, each at its exact sample.
  expect(at(1_000).l).toBeCloseTo(1, 6);
  expect(at(10_500).l).toBeCloseTo(1, 6);
  for (const s of [999, 1_001, 10_499, 10_501]) expect(at(s).l).toBe(0);
  expect(at(1_000).r).toBe(0);
  expect(at(10_500).r).toBe(0);

  // Centre, mono, a crossfade of constant audio: cos(π/4) on both sides all through it.
  let worst = 0;
  for (let s = 12_000; s < 22_000; s++) {
    worst = Math.max(worst, Math.abs(at(s).l - Math.SQRT1_2), Math.abs(at(s).r - Math.SQRT1_2));
  }
  expect(worst).toBeLessThan(1e-5);
  expect(at(11_999).l).toBe(0);
  expect(at(22_000).l).toBe(0);

  // Centre, stereo: passed unchanged, times clip gain and a linear fade-in (k/n at the k-th sample).
  let worstFade = 0;
  for (let k = 0; k < 8_000; k++) {
    const fade = Math.min(1, k / 4_800) * db(-6);
    worstFade = Math.max(
      worstFade,
      Math.abs(at(24_000 + k).l - 0.5 * fade),
      Math.abs(at(24_000 + k).r - 0.25 * fade),
    );
  }
  expect(worstFade).toBeLessThan(1e-6);
  expect(at(24_000).l).toBe(0);
  expect(at(32_000).l).toBe(0);

  // The offline asset is reported once and silences only its own clip; a muted track is not read.
  expect(out.errors).toEqual(['offline']);
  expect(out.fetched).not.toContain('offline-muted');
  expect(at(33_500).l).toBe(0);
});

test('an edit changed while playing is heard from the change on', async ({ page }) => {
  const changed: Edit = {
    ...edit,
    tracks: edit.tracks.map((t) =>
      t.id === 'clicks'
        ? {
            ...t,
            clips: [t.clips[0]!, { ...t.clips[1]!, timelineStart: 11_000, gainDb: -6 }],
          }
        : t.id === 'xfade'
          ? { ...t, muted: true }
          : t,
    ),
  };
  const out = await render(page, edit, changed);
  const offset = out.left.findIndex((v) => v !== 0) - 1_000;
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(out.left[offset + 10_500]).toBe(0);
  expect(out.left[offset + 11_500]).toBeCloseTo(db(-6), 6);
  expect(Math.max(...out.left.slice(offset + 12_000, offset + 22_000).map(Math.abs))).toBe(0);
  expect(out.left[offset + 24_000 + 4_800]).toBeCloseTo(0.5 * db(-6), 5);
});

test('ducks a music track under speech with the render’s envelope', async ({ page }) => {
  // Speech (silent samples: only the activity counts) at timeline 20000–24000; the bed, constant
  // 1 in the middle, ramps down from 8000, stays down to 43200, then rises again.
  const ducking: Edit = {
    version: 1,
    sampleRate: 48_000,
    markers: [],
    tracks: [
      track('clicks', [clip('k1', 'click', 0, 2_000, 0)], { pan: -1 }),
      track('voice', [clip('v1', 'silent', 10_000, 40_000, 0)]),
      track('bed', [clip('b1', 'one', 0, 44_000, 0)], {
        role: 'music',
        ducking: { depthDb: -20 },
      }),
    ],
  };
  const activity: [string, Interval[]][] = [['silent', [{ start: 30_000, end: 34_000 }]]];
  const out = await render(page, ducking, undefined, activity);
  // The click is on the left only (the bed is the same on both sides): it marks timeline 1000.
  const clickAt = out.left.findIndex((v, i) => Math.abs(v - out.right[i]!) > 0.5);
  expect(clickAt).toBeGreaterThan(0);
  const zero = clickAt - 1_000;
  expect(zero).toBeGreaterThanOrEqual(0);
  const points = duckEnvelope(ducking, 'bed', new Map(activity));
  expect(points.map((p) => p.sample)).toEqual([8_000, 20_000, 43_200, 81_600]);
  // The right side is the bed alone: cos(π/4) times the duck gain, sample by sample.
  let worst = 0;
  const last = Math.min(44_000, out.right.length - zero);
  for (let s = 0; s < last; s++) {
    worst = Math.max(worst, Math.abs(out.right[zero + s]! - Math.SQRT1_2 * duckGainAt(points, s)));
  }
  expect(worst).toBeLessThan(1e-5);
  expect(out.right[zero + 30_000]).toBeCloseTo(Math.SQRT1_2 * 0.1, 6);
  expect(out.right[zero + 4_000]).toBeCloseTo(Math.SQRT1_2, 6);
});
