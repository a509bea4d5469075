import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { runFfmpeg } from '../ffmpeg/run';
import { decodePcm, readWavLayout } from './analysis/wav-layout';

export interface PcmRangeRequest {
  path: string;
  /** The file's own rate: `from` and `frames` count its samples (no resampling is done). */
  sampleRate: number;
  /** The file's channel count. */
  channels: number;
  from: number;
  frames: number;
  /** More than 2 channels come out as stereo (what playback wants); default: every channel. */
  stereoAtMost?: boolean;
  signal?: AbortSignal;
}

export interface PcmRange {
  channels: number;
  /** Frames read: fewer than asked at the end of the file, 0 past it. */
  frames: number;
  /** Interleaved float samples, as ffmpeg decodes them (an integer x of n bits is x / 2^(n-1)). */
  samples: Float32Array;
}

/**
 * How far before `from` ffmpeg is seeked to: the demuxer lands on a block at or before its target,
 * and atrim then cuts at the exact sample (the same margin as the render's).
 */
const SEEK_MARGIN_SECONDS = 0.1;

/**
 * Frames [from, from + frames) of an audio file, sample-accurately, as float. A PCM WAV is read
 * straight from its bytes; anything else (FLAC working copies, lossy sources) takes one ffmpeg run
 * that seeks a little early and trims by sample.
 */
export async function readPcmRange(request: PcmRangeRequest): Promise<PcmRange> {
  const { path, from, frames } = request;
  await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' || error.code === 'ENOTDIR'
      ? new StudioError('not_found', `The audio file ${path} is missing (moved or deleted?)`, {
          path,
        })
      : error;
  });
  const channels = request.stereoAtMost ? Math.min(2, request.channels) : request.channels;
  if (frames <= 0) return { channels, frames: 0, samples: new Float32Array(0) };

  const layout = /\.wav$/i.test(path) ? await readWavLayout(path).catch(() => null) : null;
  if (layout && layout.sampleRate === request.sampleRate && layout.channels === channels) {
    const count = Math.max(0, Math.min(frames, layout.frames - from));
    const samples = new Float32Array(count * channels);
    if (count === 0) return { channels, frames: 0, samples };
    const frameBytes = channels * layout.bytesPerSample;
    const bytes = Buffer.alloc(count * frameBytes);
    const handle = await open(path, 'r');
    try {
      await handle.read(bytes, 0, bytes.length, layout.dataOffset + from * frameBytes);
    } finally {
      await handle.close();
    }
    decodePcm(layout, bytes, count, samples);
    return { channels, frames: count, samples };
  }
  return decodeWithFfmpeg(request, channels);
}

async function decodeWithFfmpeg(request: PcmRangeRequest, channels: number): Promise<PcmRange> {
  const { path, sampleRate, from, frames } = request;
  const margin = Math.round(SEEK_MARGIN_SECONDS * sampleRate);
  const seek = Math.max(0, from - margin);
  const end = from + frames;
  const seconds = (samples: number) => (samples / sampleRate).toFixed(6);
  const { stdout } = await runFfmpeg({
    what: `Reading audio from ${basename(path)}`,
    signal: request.signal,
    args: [
      ...['-nostdin', '-hide_banner', '-v', 'error'],
      // Timestamps stay the file's own (-copyts) so atrim cuts at exact samples; -noaccurate_seek
      // stops ffmpeg trimming at the seek point itself, in rounded seconds.
      '-copyts',
      ...(seek > 0 ? ['-noaccurate_seek', '-ss', seconds(seek)] : []),
      // Without a bound ffmpeg would decode to the end of a 3-hour file.
      ...['-t', seconds(end + margin - seek)],
      ...['-i', path, '-map', '0:a:0'],
      ...['-af', `atrim=start_pts=${from}:end_pts=${end},asetpts=N/SR/TB`],
      ...['-ac', String(channels), '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'],
    ],
  });
  const count = Math.floor(stdout.length / (4 * channels));
  const bytes = stdout.subarray(0, count * 4 * channels);
  // A Float32Array view needs 4-byte alignment; a pooled Buffer may not have it.
  const samples =
    bytes.byteOffset % 4 === 0
      ? new Float32Array(bytes.buffer, bytes.byteOffset, count * channels)
      : new Float32Array(new Uint8Array(bytes).buffer);
  return { channels, frames: count, samples };
}

/** A range's samples as the bytes of the PCM route: f32le (every platform Electron runs on is LE). */
export function pcmBytes(range: PcmRange): Buffer {
  return Buffer.from(range.samples.buffer, range.samples.byteOffset, range.samples.byteLength);
}
