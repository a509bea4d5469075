import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Loudness } from '../../../../shared/domain';
import { StudioError } from '../../../../shared/errors';
import type { PeaksLevel } from '../../../../shared/peaks';
import { runFfmpeg } from '../../ffmpeg/run';
import { LoudnessMeter } from './loudness-meter';
import { analyzeWavInParallel } from './parallel-wav';
import { PeaksBuilder } from './peaks-builder';
import { TruePeakMeter, toDb } from './true-peak-meter';
import { readWavLayout, type WavLayout } from './wav-layout';

export interface AnalysisInput {
  path: string;
  sampleRate: number;
  channels: number;
  /** Expected length, for progress; null when unknown. */
  durationSec: number | null;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** ffprobe's container name: WAV input gets bigger packets, which a pipe needs. */
  container: string;
  /** Also write a 48 kHz FLAC working copy here, from the same decode. */
  workingCopyPath?: string;
}

export interface Analysis {
  frames: number;
  loudness: Loudness;
  peaks: PeaksLevel[];
}

/**
 * Decodes a file once, at its own rate, and measures loudness, true peak and waveform peaks from
 * the stream. Decoding (ffmpeg) and measuring (Node) run in parallel on two cores.
 */
export async function analyzeMedia(input: AnalysisInput): Promise<Analysis> {
  const layout =
    input.container === 'wav' ? await readWavLayout(input.path).catch(() => null) : null;
  if (layout && layout.frames > 0 && layout.sampleRate % 10 === 0) return analyzeWav(input, layout);
  return analyzeStream(input);
}

/**
 * PCM WAV (what recorders write): measured straight from the file on all cores; ffmpeg runs only
 * to write a working copy when one is needed.
 */
async function analyzeWav(input: AnalysisInput, layout: WavLayout): Promise<Analysis> {
  const what = `Measuring ${basename(input.path)}`;
  const working = input.workingCopyPath
    ? runFfmpeg({
        what: `Making a 48 kHz working copy of ${basename(input.path)}`,
        args: [
          ...['-nostdin', '-hide_banner', '-v', 'error', '-i', input.path, '-map', '0:a:0'],
          ...['-ar', '48000', '-c:a', 'flac', '-compression_level', '0', '-f', 'flac', '-y'],
          input.workingCopyPath,
        ],
        signal: input.signal,
      })
    : Promise.resolve();
  const [measured] = await Promise.all([
    analyzeWavInParallel(input.path, layout, {
      signal: input.signal,
      onProgress: input.onProgress,
      what,
    }),
    working,
  ]);
  return {
    frames: measured.frames,
    loudness: {
      integratedLufs: round(measured.integratedLufs),
      lra: round(measured.lra) ?? 0,
      truePeakDbtp: round(toDb(measured.truePeak)),
      samplePeakDbfs: round(toDb(measured.samplePeak)),
    },
    peaks: measured.peaks,
  };
}

/** Anything else: one ffmpeg decode to float PCM, measured as it streams. */
async function analyzeStream(input: AnalysisInput): Promise<Analysis> {
  const { sampleRate, channels } = input;
  const loudness = new LoudnessMeter(sampleRate, channels);
  const truePeak = new TruePeakMeter(channels);
  const peaks = new PeaksBuilder(sampleRate, channels);
  const frameBytes = 4 * channels;
  const expectedFrames = input.durationSec ? input.durationSec * sampleRate : 0;
  let frames = 0;
  let lastReported = -1;

  const consume = async (stdout: Readable) => {
    // One aligned staging buffer: pipe chunks arrive at any length and byte offset.
    let staging = new Uint8Array(1 << 20);
    let filled = 0;
    for await (const chunk of stdout as AsyncIterable<Buffer>) {
      if (input.signal?.aborted) return;
      if (filled + chunk.length > staging.length) {
        const grown = new Uint8Array(Math.max(staging.length * 2, filled + chunk.length));
        grown.set(staging.subarray(0, filled));
        staging = grown;
      }
      staging.set(chunk, filled);
      filled += chunk.length;
      const n = Math.floor(filled / frameBytes);
      if (n === 0) continue;
      const samples = new Float32Array(staging.buffer, 0, n * channels);
      loudness.push(samples, n);
      truePeak.push(samples, n);
      peaks.push(samples, n);
      staging.copyWithin(0, n * frameBytes, filled);
      filled -= n * frameBytes;
      frames += n;
      if (input.onProgress && expectedFrames > 0) {
        const fraction = Math.min(1, frames / expectedFrames);
        if (fraction - lastReported >= 0.01) {
          lastReported = fraction;
          input.onProgress(fraction);
        }
      }
    }
  };

  // ffmpeg writes one packet per write(2); the WAV demuxer's 4 KiB packets would mean ~80,000
  // pipe round trips per hour of audio, so ask for large packets (or regroup decoded frames).
  const args = ['-nostdin', '-hide_banner', '-v', 'error'];
  if (input.container === 'wav') args.push('-max_size', '262144');
  args.push('-i', input.path, '-map', '0:a:0');
  if (input.container !== 'wav') args.push('-af', 'asetnsamples=n=16384:p=0');
  args.push('-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1');
  if (input.workingCopyPath) {
    args.push('-map', '0:a:0', '-ar', '48000', '-c:a', 'flac', '-compression_level', '0');
    args.push('-f', 'flac', '-y', input.workingCopyPath);
  }
  await runFfmpeg({
    what: `Decoding ${basename(input.path)}`,
    args,
    signal: input.signal,
    consumeStdout: consume,
  });
  if (input.signal?.aborted) throw new StudioError('cancelled', 'Analysis cancelled');
  if (frames === 0) {
    throw new StudioError('file_empty', `${basename(input.path)} holds no audio samples.`, {
      path: input.path,
    });
  }

  const measured = loudness.result();
  const levels = peaks.finish();
  return {
    frames,
    loudness: {
      integratedLufs: round(measured.integratedLufs),
      lra: round(measured.lra) ?? 0,
      truePeakDbtp: round(toDb(truePeak.linearPeak)),
      samplePeakDbfs: round(toDb(peaks.samplePeak)),
    },
    peaks: levels,
  };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}
