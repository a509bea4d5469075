import { open, writeFile } from 'node:fs/promises';
import { StudioError } from '../../../shared/errors';
import {
  chooseLevel,
  encodePeaksLevel,
  PEAKS_LEVEL_HEADER_BYTES,
  PEAKS_LEVELS,
  type PeaksLevel,
} from '../../../shared/peaks';

/**
 * A peaks file: 'STPK' | u16 version | u16 levelCount | (u32 offset, u32 length) × levelCount,
 * then each level as the block the renderer receives (see src/shared/peaks.ts). Serving a level
 * is reading one byte range.
 */
const FILE_MAGIC = 0x4b505453; // 'STPK'
const FILE_VERSION = 1;

/** A peaks file that is there but cannot be what writePeaksFile wrote (damaged outside the app). */
function damaged(path: string, why: string): StudioError {
  return new StudioError('media_unreadable', `The waveform file ${path} is damaged (${why})`, {
    path,
  });
}

/** A stored peaks file that is not there or not a peaks file: worth drawing again from the audio. */
export function isUnreadablePeaks(error: unknown): boolean {
  return (
    (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ||
    (error instanceof StudioError && error.code === 'media_unreadable')
  );
}

export async function writePeaksFile(path: string, levels: PeaksLevel[]): Promise<void> {
  const blocks = levels.map(encodePeaksLevel);
  const indexBytes = 8 + levels.length * 8;
  const header = new DataView(new ArrayBuffer(indexBytes));
  header.setUint32(0, FILE_MAGIC, true);
  header.setUint16(4, FILE_VERSION, true);
  header.setUint16(6, levels.length, true);
  let offset = indexBytes;
  blocks.forEach((block, i) => {
    header.setUint32(8 + i * 8, offset, true);
    header.setUint32(12 + i * 8, block.byteLength, true);
    offset += block.byteLength;
  });
  await writeFile(path, Buffer.concat([new Uint8Array(header.buffer), ...blocks]));
}

/** Reads the level with at least `minPairs` pairs (the coarsest such), as one encoded block. */
export async function readPeaksLevel(
  path: string,
  frames: number,
  minPairs: number,
): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.readUInt32LE(0) !== FILE_MAGIC) throw damaged(path, 'not a peaks file');
    const count = head.readUInt16LE(6);
    const level = Math.min(chooseLevel(frames, minPairs), count - 1);
    const entry = Buffer.alloc(8);
    await handle.read(entry, 0, 8, 8 + level * 8);
    const offset = entry.readUInt32LE(0);
    const length = entry.readUInt32LE(4);
    // A file cut short reads as zeros past its end: call it damaged instead.
    if (offset + length > (await handle.stat()).size) throw damaged(path, 'cut short');
    const body = Buffer.alloc(length);
    await handle.read(body, 0, body.length, offset);
    return body;
  } finally {
    await handle.close();
  }
}

/**
 * Pairs [from, from + count) of the stored level at `spp` samples per pair (one of PEAKS_LEVELS),
 * read as one byte range: a zoomed-in view of a long episode never loads a whole level.
 */
export async function readPeaksTile(
  path: string,
  spp: number,
  from: number,
  count: number,
): Promise<PeaksLevel> {
  const level = (PEAKS_LEVELS as readonly number[]).indexOf(spp);
  if (level < 0) throw new Error(`No stored peaks level at ${spp} samples per pair`);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.readUInt32LE(0) !== FILE_MAGIC) throw damaged(path, 'not a peaks file');
    if (level >= head.readUInt16LE(6)) throw damaged(path, `no level ${level}`);
    const entry = Buffer.alloc(8);
    await handle.read(entry, 0, 8, 8 + level * 8);
    const blockOffset = entry.readUInt32LE(0);
    const header = Buffer.alloc(PEAKS_LEVEL_HEADER_BYTES);
    await handle.read(header, 0, header.length, blockOffset);
    const sampleRate = header.readUInt32LE(8);
    const pairCount = header.readUInt32LE(16);
    const levelFrames = header.readDoubleLE(20);
    const pairs = Math.max(0, Math.min(count, pairCount - from));
    const end = blockOffset + PEAKS_LEVEL_HEADER_BYTES + pairCount * 4;
    if (end > (await handle.stat()).size) throw damaged(path, 'cut short');
    // A fresh Int16Array is aligned, whatever the byte offset in the file.
    const data = new Int16Array(pairs * 2);
    if (pairs > 0) {
      const bytes = new Uint8Array(data.buffer);
      await handle.read(bytes, 0, bytes.length, blockOffset + PEAKS_LEVEL_HEADER_BYTES + from * 4);
    }
    const frames = pairs === 0 ? 0 : Math.min(pairs * spp, levelFrames - from * spp);
    return { sampleRate, samplesPerPair: spp, frames, data };
  } finally {
    await handle.close();
  }
}
