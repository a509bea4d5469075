import { open, writeFile } from 'node:fs/promises';
import { chooseLevel, encodePeaksLevel, type PeaksLevel } from '../../../shared/peaks';

/**
 * A peaks file: 'STPK' | u16 version | u16 levelCount | (u32 offset, u32 length) × levelCount,
 * then each level as the block the renderer receives (see src/shared/peaks.ts). Serving a level
 * is reading one byte range.
 */
const FILE_MAGIC = 0x4b505453; // 'STPK'
const FILE_VERSION = 1;

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
    if (head.readUInt32LE(0) !== FILE_MAGIC) throw new Error(`${path} is not a peaks file`);
    const count = head.readUInt16LE(6);
    const level = Math.min(chooseLevel(frames, minPairs), count - 1);
    const entry = Buffer.alloc(8);
    await handle.read(entry, 0, 8, 8 + level * 8);
    const body = Buffer.alloc(entry.readUInt32LE(4));
    await handle.read(body, 0, body.length, entry.readUInt32LE(0));
    return body;
  } finally {
    await handle.close();
  }
}
