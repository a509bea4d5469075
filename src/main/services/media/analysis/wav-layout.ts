import { open } from 'node:fs/promises';

/** Where the samples of a plain PCM WAV are and how they are stored. */
export interface WavLayout {
  dataOffset: number;
  /** Whole frames in the data chunk (clipped to the file when the header overstates it). */
  frames: number;
  channels: number;
  sampleRate: number;
  format: 'int' | 'float';
  bytesPerSample: 2 | 3 | 4;
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * Reads a RIFF/RF64 WAVE header. Returns null for anything that is not little-endian integer
 * (16/24/32-bit) or 32-bit float PCM: those files go through ffmpeg instead.
 */
export async function readWavLayout(path: string): Promise<WavLayout | null> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 1 << 16));
    await handle.read(head, 0, head.length, 0);
    if (head.length < 12) return null;
    const riff = head.toString('ascii', 0, 4);
    if ((riff !== 'RIFF' && riff !== 'RF64') || head.toString('ascii', 8, 12) !== 'WAVE')
      return null;
    let fmt: Omit<WavLayout, 'dataOffset' | 'frames'> | null = null;
    let offset = 12;
    while (offset + 8 <= head.length) {
      const id = head.toString('ascii', offset, offset + 4);
      const chunkSize = head.readUInt32LE(offset + 4);
      const body = offset + 8;
      if (id === 'fmt ' && body + 16 <= head.length) {
        let tag = head.readUInt16LE(body);
        if (tag === EXTENSIBLE && chunkSize >= 40 && body + 26 <= head.length)
          tag = head.readUInt16LE(body + 24); // first two bytes of the sub-format GUID
        const channels = head.readUInt16LE(body + 2);
        const sampleRate = head.readUInt32LE(body + 4);
        const bits = head.readUInt16LE(body + 14);
        const blockAlign = head.readUInt16LE(body + 12);
        const bytesPerSample = bits / 8;
        const supported =
          (tag === PCM && (bits === 16 || bits === 24 || bits === 32)) ||
          (tag === FLOAT && bits === 32);
        if (!supported || channels < 1 || blockAlign !== channels * bytesPerSample) return null;
        fmt = {
          channels,
          sampleRate,
          format: tag === FLOAT ? 'float' : 'int',
          bytesPerSample: bytesPerSample as 2 | 3 | 4,
        };
      } else if (id === 'data') {
        if (!fmt) return null;
        const frameBytes = fmt.channels * fmt.bytesPerSample;
        // RF64 and streamed WAVs may carry a placeholder size: the file's end bounds the data.
        const available = size - body;
        const declared = chunkSize === 0xffffffff || riff === 'RF64' ? available : chunkSize;
        const frames = Math.floor(Math.min(declared, available) / frameBytes);
        return { ...fmt, dataOffset: body, frames };
      }
      offset = body + chunkSize + (chunkSize % 2);
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** Decodes `frames` interleaved frames of `layout` from `bytes` into `out` as floats in [-1, 1). */
export function decodePcm(
  layout: WavLayout,
  bytes: Buffer,
  frames: number,
  out: Float32Array,
): void {
  const count = frames * layout.channels;
  if (layout.format === 'float') {
    for (let i = 0; i < count; i++) out[i] = bytes.readFloatLE(i * 4);
  } else if (layout.bytesPerSample === 2) {
    const view = new Int16Array(bytes.buffer, bytes.byteOffset, count);
    for (let i = 0; i < count; i++) out[i] = view[i]! / 32768;
  } else if (layout.bytesPerSample === 3) {
    for (let i = 0; i < count; i++) out[i] = bytes.readIntLE(i * 3, 3) / 8388608;
  } else {
    for (let i = 0; i < count; i++) out[i] = bytes.readInt32LE(i * 4) / 2147483648;
  }
}
