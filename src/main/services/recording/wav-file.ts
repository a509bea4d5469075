import { type FileHandle, open } from 'node:fs/promises';
import { writeAt } from '../files/write-at';

/**
 * The WAV files a take writes: 32-bit IEEE float, little-endian, an 80-byte header:
 * `RIFF`/`WAVE`, a 28-byte `JUNK` chunk, a 16-byte `fmt ` (format tag 3), `data`. Node writes them
 * itself so that it decides when samples reach the disk: the header is rewritten and the file
 * fsynced at least once a second, so a crash leaves a file that is valid up to the last sync.
 *
 * The `JUNK` chunk is the RF64 (EBU Tech 3306) placeholder: readers skip it, so below 4 GiB the
 * file is a plain RIFF/WAVE that every reader accepts. Once the RIFF size no longer fits 32 bits
 * (4 GiB of data: 3.1 h of stereo, 6.2 h of mono) the header becomes RF64 in place, without
 * moving the samples: `RF64`, the placeholder renamed `ds64` holding the 64-bit RIFF size, data
 * size and sample count, and the 32-bit RIFF and data sizes set to 0xFFFFFFFF.
 */
export const WAV_HEADER_BYTES = 80;
const BYTES_PER_SAMPLE = 4;
const MAX_U32 = 0xffff_ffff;
/** The body of a `ds64` chunk without a table: RIFF size, data size, sample count, table length. */
const DS64_BYTES = 28;

export function wavHeader(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.write('WAVE', 8, 'ascii');
  header.write('JUNK', 12, 'ascii');
  header.writeUInt32LE(DS64_BYTES, 16);
  header.write('fmt ', 48, 'ascii');
  header.writeUInt32LE(16, 52);
  header.writeUInt16LE(3, 56); // WAVE_FORMAT_IEEE_FLOAT
  header.writeUInt16LE(channels, 58);
  header.writeUInt32LE(sampleRate, 60);
  header.writeUInt32LE(sampleRate * channels * BYTES_PER_SAMPLE, 64);
  header.writeUInt16LE(channels * BYTES_PER_SAMPLE, 68);
  header.writeUInt16LE(BYTES_PER_SAMPLE * 8, 70);
  header.write('data', 72, 'ascii');
  setSizes(
    header,
    { dataOffset: WAV_HEADER_BYTES, frameBytes: channels * BYTES_PER_SAMPLE, placeholder: true },
    dataBytes,
  );
  return header;
}

/**
 * Sets the sizes in a header (`head` holds at least the bytes before the data) for `dataBytes` of
 * data: RIFF while the RIFF size fits 32 bits, RF64 past that when the file has the placeholder
 * chunk. A file without one (written before the placeholder existed) cannot become RF64 without
 * moving its samples, so its sizes saturate at 0xFFFFFFFF, which ffmpeg reads as "up to the end".
 */
function setSizes(
  head: Buffer,
  layout: Pick<WavLayout, 'dataOffset' | 'frameBytes' | 'placeholder'>,
  dataBytes: number,
): void {
  const riffBytes = layout.dataOffset - 8 + dataBytes;
  const rf64 = riffBytes > MAX_U32 && layout.placeholder;
  head.write(rf64 ? 'RF64' : 'RIFF', 0, 'ascii');
  head.writeUInt32LE(rf64 ? MAX_U32 : Math.min(MAX_U32, riffBytes), 4);
  head.writeUInt32LE(rf64 ? MAX_U32 : Math.min(MAX_U32, dataBytes), layout.dataOffset - 4);
  if (!layout.placeholder) return;
  head.write(rf64 ? 'ds64' : 'JUNK', 12, 'ascii');
  // Zeros in a RIFF file, so a file that shrinks back below 4 GiB carries no stale sizes.
  head.fill(0, 20, 20 + DS64_BYTES);
  if (!rf64) return;
  head.writeBigUInt64LE(BigInt(riffBytes), 20);
  head.writeBigUInt64LE(BigInt(dataBytes), 28);
  head.writeBigUInt64LE(BigInt(Math.floor(dataBytes / layout.frameBytes)), 36);
  // Table length (bytes 44–47) stays 0: no other chunk needs a 64-bit size.
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
      await writeAt(handle, wavHeader(channels, sampleRate, 0), 0);
      await handle.sync();
    } catch (error) {
      await handle.close();
      throw error;
    }
    const writer = new WavTrackWriter(handle, channels, sampleRate, syncEveryMs);
    writer.lastSync = performance.now();
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
    await this.syncIfDue();
  }

  /**
   * Syncs when the last sync is `syncEveryMs` old (by the monotonic clock: setting the wall clock
   * back must not hold syncs off). Called after each append, and by the recorder's timer so that
   * a paused take or a lost device's track is synced too.
   */
  async syncIfDue(): Promise<void> {
    if (performance.now() - this.lastSync >= this.syncEveryMs) await this.sync();
  }

  /**
   * Header to the whole frames written (RF64 once past 4 GiB), then fsync: what a crash after this
   * keeps. The whole header goes in one write, so the RIFF/RF64 switch is never half written.
   */
  async sync(): Promise<void> {
    this.lastSync = performance.now();
    const header = wavHeader(this.channels, this.sampleRate, this.frames * this.frameBytes);
    await writeAt(this.handle, header, 0);
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
  /**
   * The first chunk is a `JUNK` or `ds64` of at least 28 bytes, so the header can switch between
   * RIFF and RF64 in place (false for files written before the recorder reserved it).
   */
  placeholder: boolean;
}

/**
 * Walks a RIFF or RF64 WAVE's chunks up to `data`; null when the file is not one, or has no fmt
 * before data. Only chunk sizes before `data` are followed, and those are real 32-bit sizes in
 * both forms (RF64 only moves the RIFF and data sizes into ds64), so the 0xFFFFFFFF data size of
 * an RF64 file is never walked over.
 */
export function parseWavLayout(head: Buffer): WavLayout | null {
  if (head.length < 12) return null;
  const magic = head.toString('ascii', 0, 4);
  if ((magic !== 'RIFF' && magic !== 'RF64') || head.toString('ascii', 8, 12) !== 'WAVE')
    return null;
  let offset = 12;
  let frameBytes = 0;
  let sampleRate = 0;
  let placeholder = false;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (offset === 12) placeholder = (id === 'JUNK' || id === 'ds64') && size >= DS64_BYTES;
    if (id === 'fmt ' && offset + 24 <= head.length) {
      sampleRate = head.readUInt32LE(offset + 12);
      frameBytes = head.readUInt16LE(offset + 20);
    }
    if (id === 'data')
      return frameBytes > 0
        ? { dataOffset: offset + 8, frameBytes, sampleRate, placeholder }
        : null;
    offset += 8 + size + (size % 2);
  }
  return null;
}

/**
 * Makes a WAV whose writer died valid again: cuts a trailing partial frame and sets the sizes
 * from the file's real length, as RIFF or, past 4 GiB of data, RF64 (either way round, whatever
 * the header said before). Returns the whole frames it holds; null when the file has no readable
 * header. Running it twice changes nothing the second time.
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
    const header = head.subarray(0, layout.dataOffset);
    setSizes(header, layout, dataBytes);
    await writeAt(handle, header, 0);
    await handle.sync();
    return { frames, sampleRate: layout.sampleRate };
  } finally {
    await handle.close();
  }
}
