import { type FileHandle, open } from 'node:fs/promises';
import { writeAt } from '../files/write-at';
import type { WavLayout } from '../media/analysis/wav-layout';

/** The engine's working format between steps: headerless 32-bit float PCM at 48 kHz. */
export const WORK_RATE = 48000;

/** ffmpeg input options that read a raw work file. */
export function rawInputArgs(channels: number): string[] {
  return ['-f', 'f32le', '-ar', String(WORK_RATE), '-ac', String(channels)];
}

/** What the parallel WAV meter needs to read a raw work file. */
export function rawLayout(frames: number, channels: number): WavLayout {
  return {
    dataOffset: 0,
    frames,
    channels,
    sampleRate: WORK_RATE,
    format: 'float',
    bytesPerSample: 4,
  };
}

/**
 * A raw work file written out of order: parallel chunks each write their own stretch. Writes to
 * one handle are serialised per writer by awaiting them, so a full disk surfaces as the first
 * failed write.
 */
export class RawPcmWriter {
  private constructor(
    private readonly handle: FileHandle,
    readonly channels: number,
  ) {}

  static async create(path: string, channels: number): Promise<RawPcmWriter> {
    return new RawPcmWriter(await open(path, 'w'), channels);
  }

  async write(frame: number, samples: Float32Array): Promise<void> {
    const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    await writeAt(this.handle, bytes, frame * 4 * this.channels);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
