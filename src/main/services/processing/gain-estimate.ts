import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputEncoding } from '../../../shared/processing';
import { readFloatFrames } from '../ffmpeg/pcm-stream';
import { runFfmpeg } from '../ffmpeg/run';
import { LoudnessMeter } from '../media/analysis/loudness-meter';
import { TruePeakMeter } from '../media/analysis/true-peak-meter';
import { codecArgs, type OutputContainer } from './encode';
import { limiterChain } from './filter-chain';
import { rawInputArgs, WORK_RATE } from './raw-pcm';
import type { PcmSource } from './render-chunks';

/** Excerpts listened to: enough to see how hard the limiter works, a small share of an hour. */
const EXCERPTS = 16;
const EXCERPT_SECONDS = 6;
const GOLDEN = 0.618034;
/** Below this length the whole file is the excerpt. */
const MIN_FRAMES = EXCERPTS * EXCERPT_SECONDS * WORK_RATE * 2;
const ROUNDS = 4;
/** The excerpts stand for the file only so well: closer than this is not worth another round. */
const CLOSE_ENOUGH_LU = 0.1;
/** Excerpts hold a fraction of the file's peaks: keep the encoded ones this far under the ceiling. */
const ENCODED_PEAK_MARGIN_DB = 0.35;

export interface GainEstimate {
  gainDb: number;
  /** The limiter's ceiling, lowered when the encoder overshoots it. */
  ceilingDb: number;
  /** How much the encoder moves integrated loudness (lossy codecs drop some of the noise). */
  encoderShiftLu: number;
}

/**
 * The limiter eats into any gain that pushes peaks over the ceiling, and a lossy encoder shifts
 * loudness and overshoots peaks a little, so the plain difference to the target falls short.
 * Rather than paying for whole extra renders, we try gains on excerpts spread over the file (the
 * whole file when it is short): a few rounds of the secant method, then one encode and decode to
 * see what the encoder does, and the real render starts from there.
 */
export async function estimateGain(options: {
  source: PcmSource;
  frames: number;
  measuredLufs: number;
  targetLufs: number;
  truePeakDbtp: number;
  ceilingDb: number;
  maxGainDb: number;
  container: OutputContainer;
  encoding: OutputEncoding;
  workDir: string;
  signal?: AbortSignal;
}): Promise<GainEstimate | null> {
  const { source, frames, signal } = options;
  const length = EXCERPT_SECONDS * WORK_RATE;
  const excerpts =
    frames < MIN_FRAMES
      ? [{ start: 0, frames }]
      : Array.from({ length: EXCERPTS }, (_, i) => ({
          // One per stretch, at an irregular point within it, so a file with a regular
          // structure (an ad break every ten minutes) is not always caught at the same phase.
          start: Math.floor(((frames - length) * (i + ((i * GOLDEN) % 1))) / EXCERPTS),
          frames: length,
        }));
  // The excerpts are copied out once; every round then reads that small file.
  let sample = source;
  if (excerpts.length > 1) {
    sample = {
      path: join(options.workDir, 'excerpts.f32'),
      inputArgs: rawInputArgs(source.channels),
      channels: source.channels,
    };
    await runFfmpeg({
      what: 'Estimating the loudness gain',
      args: [
        ...['-nostdin', '-hide_banner', '-v', 'error'],
        ...excerpts.flatMap((e) => [
          ...source.inputArgs,
          ...['-ss', (e.start / WORK_RATE).toFixed(6), '-t', (e.frames / WORK_RATE).toFixed(6)],
          ...['-i', source.path],
        ]),
        ...[
          '-filter_complex',
          `${excerpts.map((_, i) => `[${i}:a]`).join('')}concat=n=${excerpts.length}:v=0:a=1`,
        ],
        ...['-c:a', 'pcm_f32le', '-f', 'f32le', '-y', sample.path],
      ],
      signal,
    });
  }
  const inputs = [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    ...sample.inputArgs,
    '-i',
    sample.path,
  ];
  const filterArgs = (filters: string[]) => (filters.length ? ['-af', filters.join(',')] : []);
  const meterOutput = (args: string[], what: string, truePeak = false) => {
    const loudness = new LoudnessMeter(WORK_RATE, source.channels);
    const peak = truePeak ? new TruePeakMeter(source.channels) : null;
    return runFfmpeg({
      what,
      args: [...args, '-ac', String(source.channels), '-ar', String(WORK_RATE)].concat([
        '-c:a',
        'pcm_f32le',
        '-f',
        'f32le',
        '-',
      ]),
      signal,
      consumeStdout: async (stdout) => {
        await readFloatFrames(
          stdout,
          source.channels,
          (samples, n) => {
            loudness.push(samples, n);
            peak?.push(samples, n);
          },
          signal,
        );
      },
    }).then(() => ({
      lufs: loudness.result().integratedLufs,
      peakDb: peak ? 20 * Math.log10(Math.max(peak.linearPeak, 1e-10)) : Number.NaN,
    }));
  };
  const excerptLevels = (filters: string[]) =>
    meterOutput([...inputs, ...filterArgs(filters)], 'Estimating the loudness gain');

  const plain = await excerptLevels([]);
  if (plain.lufs === null) return null;
  // Loudness of the whole file at a gain ≈ its measured loudness, moved as the excerpts move.
  const wanted = options.targetLufs - options.measuredLufs + plain.lufs;
  const clamp = (gain: number) => Math.min(options.maxGainDb, gain);
  const solve = async (startGain: number, ceilingDb: number, aim: number, rounds: number) => {
    let gain = startGain;
    let previous: { gain: number; lufs: number } | null = null;
    let evaluated = { gain, lufs: Number.NaN, peakDb: 0 };
    for (let round = 0; round < rounds; round++) {
      const levels = await excerptLevels(limiterChain(gain, ceilingDb));
      if (levels.lufs === null) break;
      evaluated = { gain, lufs: levels.lufs, peakDb: levels.peakDb };
      const miss = aim - levels.lufs;
      if (Math.abs(miss) < CLOSE_ENOUGH_LU) break;
      const slope =
        previous && levels.lufs !== previous.lufs
          ? (gain - previous.gain) / (levels.lufs - previous.lufs)
          : 1;
      previous = { gain, lufs: levels.lufs };
      gain = clamp(gain + miss * Math.min(6, Math.max(1, slope)));
    }
    return { gain, evaluated };
  };

  let ceilingDb = options.ceilingDb;
  let { gain, evaluated } = await solve(
    clamp(options.targetLufs - options.measuredLufs),
    ceilingDb,
    wanted,
    ROUNDS,
  );
  let encoderShiftLu = 0;
  if (options.container === 'mp3' || options.container === 'm4a') {
    const encoded = join(options.workDir, `estimate.${options.container}`);
    const limited =
      evaluated.gain === gain && !Number.isNaN(evaluated.lufs)
        ? evaluated
        : { gain, ...(await excerptLevels(limiterChain(gain, ceilingDb))) };
    await runFfmpeg({
      what: 'Estimating the encoder’s effect on loudness',
      args: [
        ...inputs,
        ...filterArgs(limiterChain(gain, ceilingDb)),
        ...codecArgs(options.container, options.encoding),
        ...['-y', encoded],
      ],
      signal,
    });
    const decoded = await meterOutput(
      ['-nostdin', '-hide_banner', '-v', 'error', '-i', encoded],
      'Estimating the encoder’s effect on loudness',
      true,
    );
    await rm(encoded, { force: true });
    if (limited.lufs !== null && decoded.lufs !== null)
      encoderShiftLu = decoded.lufs - limited.lufs;
    // The encoder's overshoot comes off the ceiling; then the gain is solved again for it.
    const overshoot = decoded.peakDb - (options.truePeakDbtp - ENCODED_PEAK_MARGIN_DB);
    if (overshoot > 0) ceilingDb -= overshoot;
    if (overshoot > 0 || Math.abs(encoderShiftLu) > 0.05)
      ({ gain } = await solve(clamp(gain - encoderShiftLu), ceilingDb, wanted - encoderShiftLu, 2));
  }
  return { gainDb: gain, ceilingDb, encoderShiftLu };
}
