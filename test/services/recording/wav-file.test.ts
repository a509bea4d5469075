import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseWavLayout,
  repairWav,
  WAV_HEADER_BYTES,
  WavTrackWriter,
  wavHeader,
} from '../../../src/main/services/recording/wav-file';

const GIB = 2 ** 30;
const MAX_U32 = 0xffff_ffff;

// Files of several GiB here are sparse (truncate past the end): they cost no disk space, but are
// removed after every test rather than at the end of the file.
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-wav-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Interleaved f32le frames: a sine per channel (a different frequency each), deterministic. */
function tone(frames: number, channels: number, rate: number, frequency: number): Buffer {
  const samples = new Float32Array(frames * channels);
  for (let n = 0; n < frames; n++)
    for (let c = 0; c < channels; c++)
      samples[n * channels + c] = 0.3 * Math.sin((2 * Math.PI * frequency * (c + 1) * n) / rate);
  return Buffer.from(samples.buffer);
}

/** What ffprobe reads from a WAV: its container and the stream's samples (from the header). */
function probe(path: string) {
  const out = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'stream=duration_ts,sample_rate:format=format_name',
        '-of',
        'json',
        path,
      ],
      { encoding: 'utf8' },
    ),
  ) as { streams: { duration_ts: number; sample_rate: string }[]; format: { format_name: string } };
  return {
    format: out.format.format_name,
    samples: out.streams[0]!.duration_ts,
    sampleRate: Number(out.streams[0]!.sample_rate),
  };
}

/** The samples ffmpeg decodes from a WAV as f32le bytes, optionally from `fromSec` for `sec`. */
function decode(path: string, fromSec?: number, sec?: number): Buffer {
  const seek = fromSec === undefined ? [] : ['-ss', String(fromSec)];
  const length = sec === undefined ? [] : ['-t', String(sec)];
  return execFileSync(
    'ffmpeg',
    ['-v', 'error', ...seek, ...length, '-i', path, '-c:a', 'pcm_f32le', '-f', 'f32le', '-'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
}

const head = (path: string, bytes = WAV_HEADER_BYTES) => readFileSync(path).subarray(0, bytes);

/** Reads only the header: the sparse files are too big for readFileSync. */
function headOfBig(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(WAV_HEADER_BYTES);
    readSync(fd, buffer, 0, WAV_HEADER_BYTES, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** Checks an RF64 header (the recorder's 80-byte layout) against the data it should describe. */
function expectRf64(header: Buffer, dataBytes: number, frameBytes: number) {
  expect(header.toString('ascii', 0, 4)).toBe('RF64');
  expect(header.readUInt32LE(4)).toBe(MAX_U32);
  expect(header.toString('ascii', 8, 12)).toBe('WAVE');
  expect(header.toString('ascii', 12, 16)).toBe('ds64');
  expect(header.readUInt32LE(16)).toBe(28);
  expect(header.readBigUInt64LE(20)).toBe(BigInt(WAV_HEADER_BYTES - 8 + dataBytes));
  expect(header.readBigUInt64LE(28)).toBe(BigInt(dataBytes));
  expect(header.readBigUInt64LE(36)).toBe(BigInt(dataBytes / frameBytes));
  expect(header.readUInt32LE(44)).toBe(0); // no table
  expect(header.toString('ascii', 48, 52)).toBe('fmt ');
  expect(header.readUInt16LE(56)).toBe(3);
  expect(header.toString('ascii', 72, 76)).toBe('data');
  expect(header.readUInt32LE(76)).toBe(MAX_U32);
}

/** Checks a plain RIFF header with the (zeroed) JUNK placeholder. */
function expectRiff(header: Buffer, dataBytes: number) {
  expect(header.toString('ascii', 0, 4)).toBe('RIFF');
  expect(header.readUInt32LE(4)).toBe(WAV_HEADER_BYTES - 8 + dataBytes);
  expect(header.toString('ascii', 8, 12)).toBe('WAVE');
  expect(header.toString('ascii', 12, 16)).toBe('JUNK');
  expect(header.readUInt32LE(16)).toBe(28);
  expect(header.subarray(20, 48).equals(Buffer.alloc(28))).toBe(true);
  expect(header.toString('ascii', 48, 52)).toBe('fmt ');
  expect(header.toString('ascii', 72, 76)).toBe('data');
  expect(header.readUInt32LE(76)).toBe(dataBytes);
}

/** The recorder's header before the JUNK placeholder: 44 bytes, RIFF, fmt, data. */
function legacyHeader(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(3, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 4, 28);
  header.writeUInt16LE(channels * 4, 32);
  header.writeUInt16LE(32, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

describe('WavTrackWriter', () => {
  it('a small take is a plain RIFF/WAVE with a JUNK placeholder that ffmpeg decodes to exactly the samples written', async () => {
    const path = join(dir, 'small.wav');
    const audio = tone(12_345, 2, 48_000, 440);
    const writer = await WavTrackWriter.create(path, 2, 48_000);
    // Chunks that split frames and samples, as pipe reads do.
    await writer.append(audio.subarray(0, 1001));
    await writer.append(audio.subarray(1001, 1008));
    await writer.append(audio.subarray(1008));
    await writer.append(Buffer.alloc(5)); // a trailing partial frame, dropped by finish
    expect(await writer.finish()).toBe(12_345);

    expect(statSync(path).size).toBe(WAV_HEADER_BYTES + audio.length);
    const header = head(path);
    expectRiff(header, audio.length);
    expect(header.readUInt16LE(58)).toBe(2);
    expect(header.readUInt32LE(60)).toBe(48_000);
    expect(parseWavLayout(header)).toEqual({
      dataOffset: 80,
      frameBytes: 8,
      sampleRate: 48_000,
      placeholder: true,
    });
    expect(probe(path)).toEqual({ format: 'wav', samples: 12_345, sampleRate: 48_000 });
    expect(decode(path).equals(audio)).toBe(true);
  });

  it('switches the header to RF64 with ds64 sizes once the data passes 4 GiB (sparse file), and ffmpeg reads it', async () => {
    const path = join(dir, 'long.wav');
    const rate = 48_000;
    const second = rate * 4; // bytes of one mono second
    const start = tone(rate, 1, rate, 440);
    const end = tone(rate, 1, rate, 1000);
    const writer = await WavTrackWriter.create(path, 1, rate);
    await writer.append(start);
    await writer.sync();
    expectRiff(head(path), second);

    // Stands in for 6.2 hours of appends: the writer's byte count jumps to 22,370 s (past 4 GiB),
    // so the next append lands there and leaves a hole (zeros) before it.
    const gapEnd = 22_370;
    expect(gapEnd * second).toBeGreaterThan(MAX_U32);
    Reflect.set(writer, 'written', gapEnd * second);
    await writer.append(end);
    await writer.sync();
    const dataBytes = (gapEnd + 1) * second;
    expectRf64(headOfBig(path), dataBytes, 4);

    await writer.append(Buffer.alloc(3));
    expect(await writer.finish()).toBe((gapEnd + 1) * rate);
    expect(statSync(path).size).toBe(WAV_HEADER_BYTES + dataBytes);
    expectRf64(headOfBig(path), dataBytes, 4);
    expect(probe(path)).toEqual({ format: 'wav', samples: (gapEnd + 1) * rate, sampleRate: rate });
    // The samples before and after the hole are where the header says they are.
    expect(decode(path, 0, 1).equals(start)).toBe(true);
    expect(decode(path, gapEnd).equals(end)).toBe(true);
  });

  it('wavHeader stays RIFF up to a RIFF size of exactly 0xFFFFFFFF and is RF64 one byte past it', () => {
    const largestRiff = MAX_U32 - (WAV_HEADER_BYTES - 8);
    const riff = wavHeader(1, 48_000, largestRiff);
    expect(riff.toString('ascii', 0, 4)).toBe('RIFF');
    expect(riff.readUInt32LE(4)).toBe(MAX_U32);
    expect(riff.readUInt32LE(76)).toBe(largestRiff);
    expect(riff.toString('ascii', 12, 16)).toBe('JUNK');
    const rf64 = wavHeader(1, 48_000, largestRiff + 1);
    expect(rf64.toString('ascii', 0, 4)).toBe('RF64');
    expect(rf64.readBigUInt64LE(20)).toBe(BigInt(MAX_U32) + 1n);
    expect(rf64.readBigUInt64LE(28)).toBe(BigInt(largestRiff + 1));
  });
});

describe('repairWav', () => {
  it('gives a sparse file past 4 GiB with a stale RIFF header an RF64 header and its frame count, idempotently', async () => {
    const path = join(dir, 'crashed.wav');
    const audio = tone(1000, 2, 44_100, 330);
    // As a recorder that died before its first sync leaves it: the header says no data.
    writeFileSync(path, Buffer.concat([wavHeader(2, 44_100, 0), audio]));
    truncateSync(path, WAV_HEADER_BYTES + 5 * GIB + 3);

    const frames = (5 * GIB) / 8;
    expect(await repairWav(path)).toEqual({ frames, sampleRate: 44_100 });
    expect(statSync(path).size).toBe(WAV_HEADER_BYTES + 5 * GIB);
    expectRf64(headOfBig(path), 5 * GIB, 8);
    expect(probe(path)).toEqual({ format: 'wav', samples: frames, sampleRate: 44_100 });

    const before = headOfBig(path);
    expect(await repairWav(path)).toEqual({ frames, sampleRate: 44_100 });
    expect(headOfBig(path).equals(before)).toBe(true);
    expect(statSync(path).size).toBe(WAV_HEADER_BYTES + 5 * GIB);
  });

  it('turns an RF64 file that holds less than 4 GiB back into a plain RIFF one', async () => {
    const path = join(dir, 'shrunk.wav');
    const audio = tone(1000, 2, 44_100, 330);
    writeFileSync(path, Buffer.concat([wavHeader(2, 44_100, 5 * GIB), audio]));
    expect(head(path).toString('ascii', 0, 4)).toBe('RF64');
    writeFileSync(path, Buffer.alloc(5), { flag: 'a' }); // a partial frame

    expect(await repairWav(path)).toEqual({ frames: 1000, sampleRate: 44_100 });
    expectRiff(head(path), audio.length);
    expect(probe(path)).toEqual({ format: 'wav', samples: 1000, sampleRate: 44_100 });
    expect(decode(path).equals(audio)).toBe(true);
  });

  it('still repairs a file with the old 44-byte header (sizes saturate past 4 GiB: it has no room for ds64)', async () => {
    const path = join(dir, 'old.wav');
    const audio = tone(4800, 1, 48_000, 440);
    writeFileSync(path, Buffer.concat([legacyHeader(1, 48_000, 1200), audio, Buffer.alloc(2)]));

    expect(await repairWav(path)).toEqual({ frames: 4800, sampleRate: 48_000 });
    const header = head(path, 44);
    expect(header.equals(legacyHeader(1, 48_000, audio.length))).toBe(true);
    expect(parseWavLayout(header)).toMatchObject({ dataOffset: 44, placeholder: false });
    expect(probe(path)).toEqual({ format: 'wav', samples: 4800, sampleRate: 48_000 });
    expect(decode(path).equals(audio)).toBe(true);

    truncateSync(path, 44 + 5 * GIB);
    expect(await repairWav(path)).toEqual({ frames: (5 * GIB) / 4, sampleRate: 48_000 });
    const big = headOfBig(path).subarray(0, 44);
    expect(big.toString('ascii', 0, 4)).toBe('RIFF');
    expect(big.readUInt32LE(4)).toBe(MAX_U32);
    expect(big.readUInt32LE(40)).toBe(MAX_U32);
  });

  it('returns null for a file without a WAV header', async () => {
    const path = join(dir, 'empty.wav');
    writeFileSync(path, Buffer.alloc(0));
    expect(await repairWav(path)).toBeNull();
  });
});
