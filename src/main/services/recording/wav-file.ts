import { type FileHandle, open } from 'node:fs/promises';
import { writeAt } from '../files/write-at';

/**
 * The WAV files a take writes: 32-bit IEEE float, little-endian, a 44-byte header
 * (RIFF, 16-byte `fmt ` with format tag 3, `data`). Node writes them itself so that it decides
 * when samples reach the disk: the sizes in the header are rewritten and the file fsynced at
 * least once a second, so a crash leaves a file that is valid up to the last sync.
 *
 * Gap: past 4 GiB of data (3.1 h of stereo, 6.2 h of mono) the 32-bit sizes saturate at
 * 0xFFFFFFFF instead of switching to RF64; the samples keep being written.
 */
export const WAV_HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 4;
const MAX_U32 = 0xffff_ffff;

export function wavHeader(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(Math.min(MAX_U32, 36 + dataBytes), 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(3, 20); // WAVE_FORMAT_IEEE_FLOAT
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(channels * BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(BYTES_PER_SAMPLE * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(Math.min(MAX_U32, dataBytes), 40);
  return header;
}

/** Rewrites the two sizes of a header at the start of an open file. */
async function writeSizes(handle: FileHandle, dataBytes: number, dataOffset: number) {
  const riff = Buffer.alloc(4);
  riff.writeUInt32LE(Math.min(MAX_U32, dataOffset - 8 + dataBytes));
  const data = Buffer.alloc(4);
  data.writeUInt32LE(Math.min(MAX_U32, dataBytes));
  await handle.write(riff, 0, 4, 4);
  await handle.write(data, 0, 4, dataOffset - 4);
}

/**
 * One track's file while it records. `append` takes raw f32le bytes in any chunking; the header
 * counts whole frames only, so a sync in the middle of a frame never exposes half of it.
 */
export class WavTrackWriter {
  private written = 0;
  private lastSync = 0;
  private constructor(
    private readonly handle: FileHandle,
    readonly channels: number,
    readonly sampleRate: number,
    private readonly syncEveryMs: number,
  ) {}

  /** Creates the file (refusing to overwrite one) with an empty, valid, fsynced header. */
  static async create(
    path: string,
    channels: number,
    sampleRate: number,
    syncEveryMs = 500,
  ): Promise<WavTrackWriter> {
    const handle = await open(path, 'wx');
    try {
      await handle.write(wavHeader(channels, sampleRate, 0), 0, WAV_HEADER_BYTES, 0);
      await handle.sync();
    } catch (error) {
      await handle.close();
      throw error;
    }
    const writer = new WavTrackWriter(handle, channels, sampleRate, syncEveryMs);
    writer.lastSync = Date.now();
    return writer;
  }

  get frameBytes(): number {
    return this.channels * BYTES_PER_SAMPLE;
  }

  /** Whole frames written so far. */
  get frames(): number {
    return Math.floor(this.written / this.frameBytes);
  }

  async append(chunk: Buffer): Promise<void> {
    await writeAt(this.handle, chunk, WAV_HEADER_BYTES + this.written);
    this.written += chunk.length;
    if (Date.now() - this.lastSync >= this.syncEveryMs) await this.sync();
  }

  /** Header sizes to the whole frames written, then fsync: what a crash after this keeps. */
  async sync(): Promise<void> {
    this.lastSync = Date.now();
    await writeSizes(this.handle, this.frames * this.frameBytes, WAV_HEADER_BYTES);
    await this.handle.sync();
  }

  /** Drops a trailing partial frame, writes the final header, fsyncs and closes. */
  async finish(): Promise<number> {
    try {
      await this.handle.truncate(WAV_HEADER_BYTES + this.frames * this.frameBytes);
      await this.sync();
    } finally {
      await this.handle.close();
    }
    return this.frames;
  }

  /** Closes without a final sync (the take is being abandoned and removed). */
  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Where a WAV file's samples are and how a frame is laid out, read from its chunks. */
export interface WavLayout {
  dataOffset: number;
  frameBytes: number;
  sampleRate: number;
}

/** Walks a WAV's chunks up to `data`; null when the file is not a RIFF/WAVE with fmt and data. */
export function parseWavLayout(head: Buffer): WavLayout | null {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF') return null;
  if (head.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let frameBytes = 0;
  let sampleRate = 0;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= head.length) {
      sampleRate = head.readUInt32LE(offset + 12);
      frameBytes = head.readUInt16LE(offset + 20);
    }
    if (id === 'data')
      return frameBytes > 0 ? { dataOffset: offset + 8, frameBytes, sampleRate } : null;
    offset += 8 + size + (size % 2);
  }
  return null;
}

/**
 * Makes a WAV whose writer died valid again: cuts a trailing partial frame and sets the RIFF and
 * data sizes from the file's real length. Returns the whole frames it holds; null when the file
 * has no readable header. Running it twice changes nothing the second time.
 */
export async function repairWav(
  path: string,
): Promise<{ frames: number; sampleRate: number } | null> {
  const handle = await open(path, 'r+');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const layout = parseWavLayout(head.subarray(0, bytesRead));
    if (!layout) return null;
    const size = (await handle.stat()).size;
    const frames = Math.floor(Math.max(0, size - layout.dataOffset) / layout.frameBytes);
    const dataBytes = frames * layout.frameBytes;
    if (size !== layout.dataOffset + dataBytes)
      await handle.truncate(layout.dataOffset + dataBytes);
    await writeSizes(handle, dataBytes, layout.dataOffset);
    await handle.sync();
    return { frames, sampleRate: layout.sampleRate };
  } finally {
    await handle.close();
  }
}
