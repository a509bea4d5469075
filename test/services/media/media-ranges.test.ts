import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../../src/host/server';
import type { Services } from '../../../src/main/services/app/services';
import { getAssetRow } from '../../../src/main/services/library/assets';
import { createPeaksRedraw, rebuildPeaks } from '../../../src/main/services/media/rebuild-peaks';
import { mediaPaths, PCM_RANGE_MAX_FRAMES } from '../../../src/shared/contract';
import {
  decodePeaksLevel,
  PEAK_TILE_MAX_PAIRS,
  PEAK_TILE_SPPS,
  PEAKS_LEVELS,
  type PeaksLevel,
} from '../../../src/shared/peaks';
import { tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

/**
 * The timeline's media routes: peak tiles at any zoom and sample-accurate PCM ranges, through
 * MediaAccess and over the browser host's HTTP server. Real ffmpeg, real imports.
 */

const LENGTH = 600_000; // 12.5 s at 48 kHz
const CLICKS = [12_345, 100_000, 480_000];

/** Quiet deterministic noise (|x| ≤ 1000) with full-ish single-sample clicks; per channel. */
function material(channels: number): Int16Array {
  const out = new Int16Array(LENGTH * channels);
  let seed = 20_260_101;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    out[i] = ((seed >>> 16) % 2001) - 1000;
  }
  CLICKS.forEach((at, k) => {
    for (let c = 0; c < channels; c++) out[at * channels + c] = c === 0 ? 20_000 + k : -15_000 - k;
  });
  return out;
}

function writeWav(path: string, samples: Int16Array, channels: number, rate = 48_000): void {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2 * channels, 28);
  header.writeUInt16LE(2 * channels, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.from(samples.buffer)]));
}

/** What the import's analysis stores for a 16-bit sample (float x / 32768, scaled by 32767). */
const asPeak = (x: number) => Math.max(-32768, Math.min(32767, Math.round((x / 32768) * 32767)));

const mono = material(1);
const stereo = material(2);
let services: Services;
const ids = { mono: '', stereo: '', cd: '' };
let host: { app: FastifyInstance; base: string; cookie: string };

beforeAll(async () => {
  const dir = tempDir('studio-ranges-');
  writeWav(join(dir, 'mono.wav'), mono, 1);
  writeWav(join(dir, 'stereo-src.wav'), stereo, 2);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', join(dir, 'stereo-src.wav')],
    ...['-c:a', 'flac', join(dir, 'stereo.flac')],
  ]);
  // The same samples labelled 44.1 kHz: peaks in the source's own samples, played from a working copy.
  writeWav(join(dir, 'cd-src.wav'), stereo, 2, 44_100);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', join(dir, 'cd-src.wav')],
    ...['-c:a', 'flac', join(dir, 'cd.flac')],
  ]);
  services = await testServices();
  const show = await request(services, 'shows.create', { title: 'Ranges' });
  const episode = await request(services, 'episodes.create', { showId: show.id, title: 'One' });
  await request(services, 'media.importPaths', {
    episodeId: episode.id,
    paths: [join(dir, 'mono.wav'), join(dir, 'stereo.flac'), join(dir, 'cd.flac')],
  });
  await services.jobs.whenIdle();
  const detail = await request(services, 'episodes.get', { id: episode.id });
  for (const track of detail.tracks) {
    if (track.asset?.originalName === 'mono.wav') ids.mono = track.asset.id;
    if (track.asset?.originalName === 'stereo.flac') ids.stereo = track.asset.id;
    if (track.asset?.originalName === 'cd.flac') ids.cd = track.asset.id;
  }
  expect(ids.mono && ids.stereo && ids.cd).toBeTruthy();

  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const started = await startHost({ services, rendererDir, port: 0 });
  const url = new URL(started.url);
  host = {
    app: started.app,
    base: url.origin,
    cookie: `studio_session=${url.searchParams.get('token')}`,
  };
});

afterAll(async () => {
  await host?.app.close();
});

const get = (path: string) => fetch(host.base + path, { headers: { cookie: host.cookie } });

/** The expected floats of frames [from, from + frames) of 16-bit material. */
function expectedPcm(source: Int16Array, channels: number, from: number, frames: number) {
  const end = Math.min(LENGTH, from + frames);
  const out = new Float32Array(Math.max(0, end - from) * channels);
  for (let i = 0; i < out.length; i++) out[i] = source[from * channels + i]! / 32768;
  return out;
}

describe('PCM ranges', () => {
  const starts = [0, 1, 12_345 - 4_801, 99_999, 100_000 - 4_093, 300_001, 480_000 - 7, 479_000];
  for (const [name, channels] of [
    ['mono', 1],
    ['stereo', 2],
  ] as const) {
    const source = name === 'mono' ? mono : stereo;

    it(`${name}: returns exactly the asked frames, clicks at the exact offset`, async () => {
      for (const from of starts) {
        const pcm = await services.media.pcm(ids[name], from, 48_000);
        expect(pcm.channels).toBe(channels);
        expect(pcm.frames, `from ${from}`).toBe(48_000);
        const samples = new Float32Array(new Uint8Array(pcm.body).buffer);
        const expected = expectedPcm(source, channels, from, 48_000);
        expect(samples.length).toBe(expected.length);
        // Whole-range equality would hide where it went wrong: first look for the clicks.
        for (const click of CLICKS.filter((c) => c >= from && c < from + 48_000)) {
          expect(samples[(click - from) * channels], `click ${click} from ${from}`).toBe(
            source[click * channels]! / 32768,
          );
        }
        expect(Buffer.from(samples.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      }
    });

    it(`${name}: is short at the end and empty past it`, async () => {
      const near = await services.media.pcm(ids[name], LENGTH - 1_000, 48_000);
      expect(near.frames).toBe(1_000);
      expect(
        near.body.equals(Buffer.from(expectedPcm(source, channels, LENGTH - 1_000, 1_000).buffer)),
      ).toBe(true);
      const last = await services.media.pcm(ids[name], LENGTH - 1, 10);
      expect(last.frames).toBe(1);
      for (const from of [LENGTH, LENGTH + 5, LENGTH + 100_000]) {
        const past = await services.media.pcm(ids[name], from, 48_000);
        expect(past.frames, `from ${from}`).toBe(0);
        expect(past.body.length).toBe(0);
        expect(past.channels).toBe(channels);
      }
    });
  }

  it('answers over HTTP with the channel count and caching headers', async () => {
    const response = await get(mediaPaths.pcm(ids.stereo, 480_000 - 3, 10));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-channels')).toBe('2');
    expect(response.headers.get('cache-control')).toMatch(/max-age=/);
    const samples = new Float32Array(await response.arrayBuffer());
    expect(samples.length).toBe(20);
    expect(samples[6]).toBe(20_002 / 32768);
    expect(samples[7]).toBe(-15_002 / 32768);
    expect(Array.from(samples)).toEqual(Array.from(expectedPcm(stereo, 2, 480_000 - 3, 10)));

    const monoResponse = await get(mediaPaths.pcm(ids.mono, 12_345, 1));
    expect(monoResponse.headers.get('x-channels')).toBe('1');
    expect(Array.from(new Float32Array(await monoResponse.arrayBuffer()))).toEqual([
      20_000 / 32768,
    ]);
  });

  it('refuses bad ranges with 400', async () => {
    const id = encodeURIComponent(ids.mono);
    for (const query of [
      'from=-1&frames=10',
      'from=1.5&frames=10',
      'from=0&frames=0',
      `from=0&frames=${PCM_RANGE_MAX_FRAMES + 1}`,
      'frames=10',
      'from=0',
    ]) {
      const response = await get(`/pcm/${id}?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_input');
    }
    expect((await get(mediaPaths.pcm('no-such-asset', 0, 10))).status).toBe(404);
    expect((await get(mediaPaths.pcm(ids.mono, 0, PCM_RANGE_MAX_FRAMES))).status).toBe(200);
  });
});

describe('peak tiles', () => {
  const frames = LENGTH;

  /** A whole stored level, through the existing minPairs form. */
  async function storedLevel(id: string, spp: number): Promise<PeaksLevel> {
    const level = decodePeaksLevel(await services.media.peaks(id, Math.ceil(frames / spp)));
    expect(level.samplesPerPair).toBe(spp);
    return level;
  }
  const tile = async (id: string, spp: number, from: number, count: number) =>
    decodePeaksLevel(await services.media.peakTile(id, spp, from, count));

  it('serves a stored level’s pairs as they are in the whole level', async () => {
    for (const id of [ids.mono, ids.stereo]) {
      for (const spp of PEAKS_LEVELS) {
        const whole = await storedLevel(id, spp);
        const pairCount = whole.data.length / 2;
        for (const [from, count] of [
          [0, 1],
          [1, 3],
          [0, PEAK_TILE_MAX_PAIRS],
          [pairCount - 2, 5],
        ] as const) {
          if (from < 0) continue;
          const part = await tile(id, spp, from, count);
          const pairs = Math.min(count, pairCount - from);
          expect(part.samplesPerPair).toBe(spp);
          expect(part.sampleRate).toBe(48_000);
          expect(part.frames).toBe(Math.min(count * spp, frames - from * spp));
          expect(Array.from(part.data)).toEqual(
            Array.from(whole.data.subarray(from * 2, (from + pairs) * 2)),
          );
        }
        const past = await tile(id, spp, pairCount, 10);
        expect(past.data.length).toBe(0);
        expect(past.frames).toBe(0);
      }
    }
  });

  it('computes single-sample tiles: the samples themselves, min and max across channels', async () => {
    const monoTile = await tile(ids.mono, 1, 12_340, 10);
    expect(monoTile.frames).toBe(10);
    const expected: number[] = [];
    for (let i = 12_340; i < 12_350; i++) expected.push(mono[i]!, mono[i]!);
    // Raw int16 values below half scale come back unchanged; the click goes through the same
    // 32767 scaling as the stored levels.
    expect(Array.from(monoTile.data)).toEqual(expected.map(asPeak));
    expect(monoTile.data[2 * 5]).toBe(asPeak(20_000));
    for (let i = 0; i < 20; i++)
      if (i !== 10 && i !== 11) expect(monoTile.data[i]).toBe(expected[i]);

    const at = 480_000 - 2_000;
    const stereoTile = await tile(ids.stereo, 1, at, 4_096);
    for (let k = 0; k < 4_096; k++) {
      const left = stereo[(at + k) * 2]!;
      const right = stereo[(at + k) * 2 + 1]!;
      expect(stereoTile.data[k * 2]).toBe(asPeak(Math.min(left, right)));
      expect(stereoTile.data[k * 2 + 1]).toBe(asPeak(Math.max(left, right)));
    }
    expect(stereoTile.data[2_000 * 2]).toBe(asPeak(-15_002));
    expect(stereoTile.data[2_000 * 2 + 1]).toBe(asPeak(20_002));
  });

  it('computes spp=4 min/max over each 4 frames of every channel', async () => {
    for (const [id, source, channels] of [
      [ids.mono, mono, 1],
      [ids.stereo, stereo, 2],
    ] as const) {
      const from = 25_000; // frame 100,000: the second click
      const part = await tile(id, 4, from, 1_000);
      expect(part.frames).toBe(4_000);
      for (let p = 0; p < 1_000; p++) {
        let min = 32767;
        let max = -32768;
        for (let i = (from + p) * 4 * channels; i < (from + p + 1) * 4 * channels; i++) {
          min = Math.min(min, source[i]!);
          max = Math.max(max, source[i]!);
        }
        expect([part.data[p * 2], part.data[p * 2 + 1]]).toEqual([asPeak(min), asPeak(max)]);
      }
      expect(part.data[1]).toBe(asPeak(20_001));
    }
  });

  it('computed tiles merge into the stored finest level, up to a short end', async () => {
    for (const id of [ids.mono, ids.stereo]) {
      const stored = await storedLevel(id, 256);
      const storedPairs = stored.data.length / 2;
      for (const from of [0, storedPairs * 4 - 2_000]) {
        const part = await tile(id, 64, from, 2_048);
        const pairs = part.data.length / 2;
        expect(pairs).toBe(Math.min(2_048, Math.ceil(frames / 64) - from));
        for (let q = 0; q < pairs / 4; q++) {
          const merged = [32767, -32768];
          for (let k = q * 4; k < Math.min(pairs, q * 4 + 4); k++) {
            merged[0] = Math.min(merged[0]!, part.data[k * 2]!);
            merged[1] = Math.max(merged[1]!, part.data[k * 2 + 1]!);
          }
          const s = from / 4 + q;
          expect(merged).toEqual([stored.data[s * 2], stored.data[s * 2 + 1]]);
        }
      }
      const past = await tile(id, 16, Math.ceil(frames / 16), 10);
      expect([past.data.length, past.frames]).toEqual([0, 0]);
    }
  });

  it('counts a 44.1 kHz source in its own samples at every zoom', async () => {
    const stored = await storedLevel(ids.cd, 256);
    expect(stored.sampleRate).toBe(44_100);
    const at = 100_000 - 3;
    const fine = await tile(ids.cd, 1, at, 8);
    expect(fine.sampleRate).toBe(44_100);
    const expected: number[] = [];
    for (let i = at; i < at + 8; i++) {
      const [l, r] = [stereo[i * 2]!, stereo[i * 2 + 1]!];
      expected.push(asPeak(Math.min(l, r)), asPeak(Math.max(l, r)));
    }
    expect(Array.from(fine.data)).toEqual(expected);
    const part = await tile(ids.cd, 64, 1_560, 16);
    for (let q = 0; q < 4; q++) {
      const pairs = Array.from(part.data.subarray(q * 8, q * 8 + 8));
      const merged = [
        Math.min(...pairs.filter((_, i) => i % 2 === 0)),
        Math.max(...pairs.filter((_, i) => i % 2 === 1)),
      ];
      expect(merged).toEqual(Array.from(stored.data.subarray((390 + q) * 2, (390 + q) * 2 + 2)));
    }
    // Played from the 48 kHz working copy: about 600,000 × 48 / 44.1 frames, two channels.
    const end = Math.round((LENGTH * 48_000) / 44_100);
    const tail = await services.media.pcm(ids.cd, end - 100, 1_000);
    expect(tail.channels).toBe(2);
    expect(Math.abs(tail.frames - 100)).toBeLessThanOrEqual(2);
  });

  it('answers over HTTP, keeps the minPairs form, and refuses bad tiles with 400', async () => {
    const response = await get(mediaPaths.peakTile(ids.stereo, 16, 6_250, 2_048));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const part = decodePeaksLevel(await response.arrayBuffer());
    expect(part.samplesPerPair).toBe(16);
    expect(part.frames).toBe(2_048 * 16);
    expect(part.data[1]).toBe(asPeak(20_001)); // frame 100,000 opens pair 6,250

    const level = await get(mediaPaths.peaks(ids.mono, 100));
    // 600,000 / 4096 → 147 pairs, the coarsest level with at least 100.
    expect(decodePeaksLevel(await level.arrayBuffer()).samplesPerPair).toBe(4096);

    const id = encodeURIComponent(ids.mono);
    for (const query of [
      'spp=3&from=0&count=10',
      'spp=2&from=0&count=10',
      'spp=131072&from=0&count=10',
      'spp=&from=0&count=10',
      'spp=4&from=-1&count=10',
      'spp=4&from=0&count=0',
      `spp=4&from=0&count=${PEAK_TILE_MAX_PAIRS + 1}`,
      'spp=256&from=0',
    ]) {
      const bad = await get(`/peaks/${id}?${query}`);
      expect(bad.status, query).toBe(400);
      expect((await bad.json()).error.code).toBe('invalid_input');
    }
    for (const spp of PEAK_TILE_SPPS) {
      expect((await get(mediaPaths.peakTile(ids.mono, spp, 0, 1))).status).toBe(200);
    }
  });
});

describe('a waveform file gone or damaged', () => {
  it('is drawn again from the audio; tiles asked together all get the same pairs as before', async () => {
    const row = getAssetRow(services.db, ids.stereo);
    const peaksPath = join(services.dataDir, row.peaks_path!);
    const spp = PEAKS_LEVELS[1]!;
    const before = await services.media.peakTile(ids.stereo, spp, 0, 100);
    const whole = await services.media.peaks(ids.stereo, 50);

    rmSync(peaksPath);
    const together = await Promise.all(
      [0, 1, 2].map(() => services.media.peakTile(ids.stereo, spp, 0, 100)),
    );
    for (const tile of together) expect(tile.equals(before)).toBe(true);
    expect(existsSync(peaksPath)).toBe(true);

    writeFileSync(peaksPath, 'damaged');
    expect((await services.media.peaks(ids.stereo, 50)).equals(whole)).toBe(true);
    expect((await services.media.peakTile(ids.stereo, spp, 0, 100)).equals(before)).toBe(true);

    // Cut short after a valid header: damaged too, not zeros.
    truncateSync(peaksPath, 200);
    expect((await services.media.peakTile(ids.stereo, spp, 0, 100)).equals(before)).toBe(true);
    expect(statSync(peaksPath).size).toBeGreaterThan(1000);
  });

  it('is redrawn one at a time, shared while under way, and a failure is remembered for a while', async () => {
    const calls: string[] = [];
    let running = 0;
    let most = 0;
    const counted: typeof rebuildPeaks = async (context, assetId) => {
      calls.push(assetId);
      most = Math.max(most, ++running);
      try {
        await rebuildPeaks(context, assetId);
      } finally {
        running--;
      }
    };
    const peaks = createPeaksRedraw(services, { rebuild: counted, retryMs: 300 });
    await Promise.all([peaks.redraw(ids.stereo), peaks.redraw(ids.stereo), peaks.redraw(ids.cd)]);
    expect(calls).toEqual([ids.stereo, ids.cd]);
    expect(most).toBe(1);

    const row = getAssetRow(services.db, ids.mono);
    const audio = join(services.dataDir, row.path);
    renameSync(audio, `${audio}.away`);
    try {
      for (let i = 0; i < 3; i++) {
        await expect(peaks.redraw(ids.mono)).rejects.toMatchObject({ code: 'file_missing' });
      }
    } finally {
      renameSync(`${audio}.away`, audio);
    }
    expect(calls.filter((id) => id === ids.mono)).toHaveLength(1);
    // Still the remembered answer within the retry time, then the audio is read again.
    await expect(peaks.redraw(ids.mono)).rejects.toMatchObject({ code: 'file_missing' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await peaks.redraw(ids.mono);
    expect(calls.filter((id) => id === ids.mono)).toHaveLength(2);
  });

  it('with its audio gone too, answers that the audio is missing', async () => {
    const row = getAssetRow(services.db, ids.mono);
    const audio = join(services.dataDir, row.path);
    rmSync(join(services.dataDir, row.peaks_path!));
    renameSync(audio, `${audio}.away`);
    try {
      await expect(
        services.media.peakTile(ids.mono, PEAKS_LEVELS[0]!, 0, 10),
      ).rejects.toMatchObject({ code: 'file_missing' });
    } finally {
      renameSync(`${audio}.away`, audio);
    }
    // Back in place, the answer is still the remembered one for a while (REDRAW_RETRY_MS), so
    // a timeline asking again and again does not read the audio each time.
    await expect(services.media.peakTile(ids.mono, PEAKS_LEVELS[0]!, 0, 10)).rejects.toMatchObject({
      code: 'file_missing',
    });
    // Over HTTP a 404, as any missing media.
    const response = await get(mediaPaths.peakTile(ids.mono, PEAKS_LEVELS[0]!, 0, 10));
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('file_missing');
  });
});

describe('a missing file', () => {
  it('is not_found naming the file (the timeline shows the clip offline)', async () => {
    const row = getAssetRow(services.db, ids.stereo);
    const path = join(services.dataDir, row.path);
    renameSync(path, `${path}.away`);
    try {
      await expect(services.media.pcm(ids.stereo, 0, 10)).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringContaining(path),
      });
      await expect(services.media.peakTile(ids.stereo, 4, 0, 10)).rejects.toMatchObject({
        code: 'not_found',
      });
      const response = await get(mediaPaths.pcm(ids.stereo, 0, 10));
      expect(response.status).toBe(404);
      expect((await response.json()).error.message).toContain('source.flac');
    } finally {
      renameSync(`${path}.away`, path);
    }
  });
});
