import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../src/main/services/app/services';
import { probeMedia } from '../../../src/main/services/ffmpeg/probe';
import { getAssetRow } from '../../../src/main/services/library/assets';
import type { AssetRow } from '../../../src/main/services/library/rows';
import type { Asset } from '../../../src/shared/domain';
import { decodePeaksLevel, PEAKS_LEVELS } from '../../../src/shared/peaks';
import { ffmpegEbur128, generate, tempDir } from '../../helpers/audio';
import { request, testServices } from '../../helpers/services';

/**
 * Import end to end through the request gate and the job queue: real ffmpeg, real SQLite, real
 * files. Every format the app claims to take, checked on what lands in the data dir and the library.
 */

interface Case {
  file: string;
  make(path: string): void;
  seconds: number;
  sampleRate: number;
  channels: number;
  format: string;
  /** A 48 kHz FLAC working copy is expected (anything not already 48 kHz PCM/FLAC audio-only). */
  working: boolean;
}

const tone = (rate: number, seconds: number, frequency = 440) =>
  `sine=frequency=${frequency}:sample_rate=${rate}:duration=${seconds}`;
const stereo = ['-af', 'aformat=channel_layouts=stereo'];

const cases: Case[] = [
  {
    file: 'tone-48k.wav',
    make: (p) => generate(p, tone(48_000, 4), ['-c:a', 'pcm_s16le']),
    seconds: 4,
    sampleRate: 48_000,
    channels: 1,
    format: 'wav/pcm_s16le',
    working: false,
  },
  {
    file: 'tone-44k.wav',
    make: (p) => generate(p, tone(44_100, 3), [...stereo, '-c:a', 'pcm_s16le']),
    seconds: 3,
    sampleRate: 44_100,
    channels: 2,
    format: 'wav/pcm_s16le',
    working: true,
  },
  {
    file: 'tone.aiff',
    make: (p) => generate(p, tone(48_000, 3, 330)),
    seconds: 3,
    sampleRate: 48_000,
    channels: 1,
    format: 'aiff/pcm_s16be',
    working: true,
  },
  {
    file: 'tone-44k.flac',
    make: (p) => generate(p, tone(44_100, 3), stereo),
    seconds: 3,
    sampleRate: 44_100,
    channels: 2,
    format: 'flac/flac',
    working: true,
  },
  {
    file: 'tone-48k.flac',
    make: (p) => generate(p, tone(48_000, 3), []),
    seconds: 3,
    sampleRate: 48_000,
    channels: 1,
    format: 'flac/flac',
    working: false,
  },
  {
    file: 'tone.mp3',
    make: (p) => generate(p, tone(44_100, 3), [...stereo, '-b:a', '128k']),
    seconds: 3,
    sampleRate: 44_100,
    channels: 2,
    format: 'mp3/mp3',
    working: true,
  },
  {
    file: 'tone.m4a',
    make: (p) => generate(p, tone(48_000, 3), ['-c:a', 'aac', '-b:a', '96k']),
    seconds: 3,
    sampleRate: 48_000,
    channels: 1,
    format: 'mov/aac',
    working: true,
  },
  {
    file: 'tone.ogg',
    make: (p) => generate(p, tone(48_000, 3), [...stereo, '-c:a', 'libopus', '-b:a', '64k']),
    seconds: 3,
    sampleRate: 48_000,
    channels: 2,
    format: 'ogg/opus',
    working: true,
  },
  {
    file: 'tone.webm',
    make: (p) => generate(p, tone(48_000, 3), ['-c:a', 'libopus', '-b:a', '48k']),
    seconds: 3,
    sampleRate: 48_000,
    channels: 1,
    format: 'matroska/opus',
    working: true,
  },
  {
    file: 'clip.mp4',
    make: (p) =>
      generate(
        p,
        `testsrc=size=160x120:rate=10:duration=3[out0];${tone(48_000, 3)},aformat=channel_layouts=stereo[out1]`,
        ['-c:v', 'mpeg4', '-c:a', 'aac', '-b:a', '96k'],
      ),
    seconds: 3,
    sampleRate: 48_000,
    channels: 2,
    format: 'mov/aac',
    working: true,
  },
];

const sourceDir = tempDir('studio-import-src-');
let services: Services;
let episodeId: string;
let jobIds: string[];
const before = new Map<string, { sha: string; size: number; mtimeMs: number }>();
const assets = new Map<string, Asset>();

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const readBody = async (body: Readable | null) =>
  body ? Buffer.concat((await body.toArray()) as Buffer[]) : null;
const row = (file: string): AssetRow => getAssetRow(services.db, assets.get(file)!.id);

beforeAll(async () => {
  services = await testServices();
  for (const c of cases) {
    const path = join(sourceDir, c.file);
    c.make(path);
    const info = statSync(path);
    before.set(c.file, { sha: sha256(path), size: info.size, mtimeMs: info.mtimeMs });
  }
  const show = await request(services, 'shows.create', { title: 'Formats' });
  const episode = await request(services, 'episodes.create', { showId: show.id, title: 'All' });
  episodeId = episode.id;
  ({ jobIds } = await request(services, 'media.importPaths', {
    episodeId,
    paths: cases.map((c) => join(sourceDir, c.file)),
  }));
  await services.jobs.whenIdle();
  const detail = await request(services, 'episodes.get', { id: episodeId });
  for (const track of detail.tracks) {
    if (track.asset) assets.set(track.asset.originalName, track.asset);
  }
});

describe('importing each supported format', () => {
  it('finishes every job and adds one track per file, in order', async () => {
    const jobs = await request(services, 'jobs.list');
    for (const id of jobIds) {
      const job = jobs.find((j) => j.id === id);
      expect(job, `job ${id}`).toBeDefined();
      expect({ title: job!.title, status: job!.status, error: job!.error }).toEqual({
        title: job!.title,
        status: 'done',
        error: null,
      });
      expect(job!.progress).toBe(1);
    }
    const detail = await request(services, 'episodes.get', { id: episodeId });
    expect(detail.tracks.map((t) => t.name)).toEqual(
      cases.map((c) => c.file.replace(/\.\w+$/, '')),
    );
    expect(detail.episode.trackCount).toBe(cases.length);
  });

  for (const c of cases) {
    describe(c.file, () => {
      it('records the right format, rate, channels and duration', () => {
        const asset = assets.get(c.file);
        expect(asset, `${c.file} imported`).toBeDefined();
        expect(asset!.kind).toBe('import');
        expect(asset!.format).toBe(c.format);
        expect(asset!.sampleRate).toBe(c.sampleRate);
        expect(asset!.channels).toBe(c.channels);
        expect(Math.abs(asset!.durationSamples / 48_000 - c.seconds)).toBeLessThanOrEqual(0.05);
        expect(asset!.sizeBytes).toBe(before.get(c.file)!.size);
        expect(asset!.hasWorkingCopy).toBe(c.working);
      });

      it('measures loudness like ffmpeg ebur128 does', () => {
        const { loudness } = assets.get(c.file)!;
        const reference = ffmpegEbur128(join(sourceDir, c.file));
        expect(loudness.integratedLufs).not.toBeNull();
        expect(loudness.truePeakDbtp).not.toBeNull();
        expect(loudness.samplePeakDbfs).not.toBeNull();
        expect(Math.abs(loudness.integratedLufs! - reference.integrated)).toBeLessThanOrEqual(0.3);
        expect(Math.abs(loudness.truePeakDbtp! - reference.truePeak)).toBeLessThanOrEqual(0.5);
        // A 1/8 amplitude sine (-3 dB per channel when spread to stereo): about -18 to -21 dBFS
        // sample peak, a little more after a lossy codec; true peak no lower.
        expect(loudness.samplePeakDbfs!).toBeGreaterThan(-23);
        expect(loudness.samplePeakDbfs!).toBeLessThan(-15);
        expect(loudness.truePeakDbtp!).toBeGreaterThanOrEqual(loudness.samplePeakDbfs! - 0.01);
      });

      it('keeps a byte-identical original and leaves the source untouched', () => {
        const source = join(sourceDir, c.file);
        const was = before.get(c.file)!;
        const info = statSync(source);
        expect(sha256(source)).toBe(was.sha);
        expect(info.size).toBe(was.size);
        expect(info.mtimeMs).toBe(was.mtimeMs);
        const stored = join(services.dataDir, row(c.file).path);
        expect(stored).not.toBe(source);
        expect(sha256(stored)).toBe(was.sha);
      });

      it(`has ${c.working ? 'a 48 kHz FLAC working copy' : 'no working copy'} and nothing else`, async () => {
        const r = row(c.file);
        const folder = join(services.dataDir, 'media', r.id);
        const ext = c.file.slice(c.file.lastIndexOf('.'));
        const expected = [`source${ext}`, 'peaks.bin', ...(c.working ? ['working.flac'] : [])];
        expect(readdirSync(folder).sort()).toEqual(expected.sort());
        if (!c.working) {
          expect(r.working_path).toBeNull();
          return;
        }
        expect(r.working_path).toBe(join('media', r.id, 'working.flac'));
        const working = await probeMedia(join(services.dataDir, r.working_path!));
        expect(working.codec).toBe('flac');
        expect(working.sampleRate).toBe(48_000);
        expect(working.channels).toBe(c.channels);
        expect(working.hasVideo).toBe(false);
        expect(Math.abs(working.durationSec! - c.seconds)).toBeLessThanOrEqual(0.05);
      });

      it('serves waveform peaks that decode and match the audio', async () => {
        const asset = assets.get(c.file)!;
        const r = row(c.file);
        expect(statSync(join(services.dataDir, r.peaks_path!)).size).toBeGreaterThan(28);
        const frames = Math.round((asset.durationSamples * asset.sampleRate) / 48_000);

        const fine = decodePeaksLevel(await services.media.peaks(asset.id, 100_000));
        expect(fine.samplesPerPair).toBe(PEAKS_LEVELS[0]);
        expect(fine.sampleRate).toBe(c.sampleRate);
        expect(Math.abs(fine.frames - frames)).toBeLessThanOrEqual(1);
        expect(fine.data.length / 2).toBe(Math.ceil(fine.frames / fine.samplesPerPair));

        const coarse = decodePeaksLevel(await services.media.peaks(asset.id, 1));
        expect(coarse.samplesPerPair).toBe(PEAKS_LEVELS.at(-1));
        expect(coarse.data.length / 2).toBe(Math.ceil(coarse.frames / coarse.samplesPerPair));

        // A level with at least 200 pairs is the coarsest such.
        const mid = decodePeaksLevel(await services.media.peaks(asset.id, 200));
        expect(mid.data.length / 2).toBeGreaterThanOrEqual(200);
        expect(Math.ceil(frames / (mid.samplesPerPair * 4))).toBeLessThan(200);

        // Min/max pairs: min <= max, and the loudest max is the measured sample peak.
        let top = 0;
        for (let i = 0; i < fine.data.length; i += 2) {
          expect(fine.data[i]!).toBeLessThanOrEqual(fine.data[i + 1]!);
          top = Math.max(top, fine.data[i + 1]!, -fine.data[i]!);
        }
        const samplePeak = 10 ** (asset.loudness.samplePeakDbfs! / 20);
        expect(Math.abs(top / 32768 - samplePeak)).toBeLessThanOrEqual(0.002);
        // A steady tone fills every pair of the middle of the file.
        const middle = Math.floor(fine.data.length / 4) * 2;
        expect(fine.data[middle + 1]! / 32768).toBeGreaterThan(samplePeak * 0.8);
        expect(fine.data[middle]! / 32768).toBeLessThan(-samplePeak * 0.8);
      });
    });
  }
});

describe('media serving with HTTP Range', () => {
  const cases = [
    { file: 'tone-48k.wav', served: 'source', type: 'audio/wav' },
    { file: 'tone.mp3', served: 'working', type: 'audio/flac' },
  ] as const;

  for (const { file, served, type } of cases) {
    describe(`${file} (serves the ${served} file)`, () => {
      let bytes: Buffer;
      let id: string;
      beforeAll(() => {
        const r = row(file);
        id = r.id;
        bytes = readFileSync(
          join(services.dataDir, served === 'source' ? r.path : r.working_path!),
        );
        expect(bytes.length).toBeGreaterThan(1000);
      });

      it('answers 200 with the whole file without a Range', async () => {
        const response = await services.media.audio(id, null);
        expect(response.status).toBe(200);
        expect(response.headers['Content-Type']).toBe(type);
        expect(response.headers['Accept-Ranges']).toBe('bytes');
        expect(response.headers['Content-Length']).toBe(String(bytes.length));
        expect(response.headers['Content-Range']).toBeUndefined();
        expect((await readBody(response.body))!.equals(bytes)).toBe(true);
      });

      it('answers 206 with exactly the requested bytes', async () => {
        const size = bytes.length;
        const ranges: [string, number, number][] = [
          ['bytes=0-0', 0, 0],
          ['bytes=100-1099', 100, 1099],
          ['bytes=500-', 500, size - 1],
          ['bytes=-64', size - 64, size - 1],
          [`bytes=${size - 10}-${size + 5000}`, size - 10, size - 1],
        ];
        for (const [header, start, end] of ranges) {
          const response = await services.media.audio(id, header);
          expect(response.status, header).toBe(206);
          expect(response.headers['Content-Range'], header).toBe(`bytes ${start}-${end}/${size}`);
          expect(response.headers['Content-Length'], header).toBe(String(end - start + 1));
          expect(response.headers['Content-Type']).toBe(type);
          const body = await readBody(response.body);
          expect(body!.equals(bytes.subarray(start, end + 1)), header).toBe(true);
        }
      });

      it('answers 416 for a range past the end', async () => {
        for (const header of [
          `bytes=${bytes.length}-`,
          `bytes=${bytes.length + 100}-${bytes.length + 200}`,
        ]) {
          const response = await services.media.audio(id, header);
          expect(response.status, header).toBe(416);
          expect(response.headers['Content-Range']).toBe(`bytes */${bytes.length}`);
          expect(response.body).toBeNull();
        }
      });

      it('ignores a malformed or non-byte Range and sends the whole file', async () => {
        for (const header of ['pages=1-2', 'items=9999999-', 'bytes=abc']) {
          const response = await services.media.audio(id, header);
          expect(response.status, header).toBe(200);
          expect(response.headers['Content-Range'], header).toBeUndefined();
          expect((await readBody(response.body))!.equals(bytes), header).toBe(true);
        }
      });
    });
  }

  it('refuses an unknown asset with not_found', async () => {
    await expect(services.media.audio('no-such-asset', null)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(services.media.peaks('no-such-asset', 10)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
