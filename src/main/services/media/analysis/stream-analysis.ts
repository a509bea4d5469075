import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { StudioError } from '../../../../shared/errors';
import { readFloatFrames } from '../../ffmpeg/pcm-stream';
import { runFfmpeg } from '../../ffmpeg/run';
import type { Analysis, StreamInput } from './analysis-types';
import { LoudnessMeter } from './loudness-meter';
import { PeaksBuilder } from './peaks-builder';
import { roundDb, TruePeakMeter, toDb } from './true-peak-meter';

/** Anything else: one ffmpeg decode to float PCM, measured as it streams. */
export async function analyzeStream(
  input: StreamInput,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<Analysis> {
  const { sampleRate, channels } = input;
  const loudness = new LoudnessMeter(sampleRate, channels);
  const truePeak = new TruePeakMeter(channels);
  const peaks = new PeaksBuilder(sampleRate, channels);
  const expectedFrames = input.durationSec ? input.durationSec * sampleRate : 0;
  let frames = 0;
  let lastReported = -1;

  const consume = async (stdout: Readable) => {
    await readFloatFrames(
      stdout,
      channels,
      (samples, n) => {
        loudness.push(samples, n);
        truePeak.push(samples, n);
        peaks.push(samples, n);
        frames += n;
        if (onProgress && expectedFrames > 0) {
          const fraction = Math.min(1, frames / expectedFrames);
          if (fraction - lastReported >= 0.01) {
            lastReported = fraction;
            onProgress(fraction);
          }
        }
      },
      signal,
    );
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
    signal: signal,
    consumeStdout: consume,
  });
  if (signal?.aborted) throw new StudioError('cancelled', 'Analysis cancelled');
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
      integratedLufs: roundDb(measured.integratedLufs),
      lra: roundDb(measured.lra) ?? 0,
      truePeakDbtp: roundDb(toDb(truePeak.linearPeak)),
      samplePeakDbfs: roundDb(toDb(peaks.samplePeak)),
    },
    peaks: levels,
  };
}
