import { rm } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { probeMedia } from '../ffmpeg/probe';
import { runFfmpeg } from '../ffmpeg/run';
import { commitTempFile, fileSystemError, makeDirectory, tempPathFor } from '../files/atomic';
import { analyzeMedia } from '../media/analysis/analyze';
import { checkSource } from '../media/import-media';
import type { Preset } from './presets';

/** How each output type is written: ffmpeg muxer and codec arguments. */
const ENCODINGS: Record<string, { muxer: string; codec: string[] }> = {
  '.wav': { muxer: 'wav', codec: ['-c:a', 'pcm_s24le'] },
  '.flac': { muxer: 'flac', codec: ['-c:a', 'flac'] },
  '.mp3': { muxer: 'mp3', codec: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
  '.m4a': { muxer: 'ipod', codec: ['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'] },
};
/** Near-silence must not be pushed up into hiss: more gain than this is capped and reported. */
const MAX_GAIN_DB = 24;
/** The limiter works 4x oversampled, a little under the ceiling: encoders overshoot slightly. */
const LIMITER_MARGIN_DB = 0.3;
const TOLERANCE_LU = 0.5;
/** A first render, then at most two loudness corrections (two more for a peak over the ceiling). */
const MAX_PASSES = 3;

export interface Levels {
  integratedLufs: number | null;
  lra: number;
  truePeakDbtp: number | null;
}

export interface MasterReport {
  input: string;
  output: string;
  preset: string;
  target: { integratedLufs: number; truePeakDbtp: number } | null;
  before: Levels;
  after: Levels;
  gainDb: number;
  /** Set when the gain needed was larger than MAX_GAIN_DB (near-silent input). */
  gainCapped: boolean;
  /** Renders made: more than 1 when a result missed the target by more than 0.5 LU. */
  passes: number;
  notes: string[];
  timingsMs: { measure: number; render: number; verify: number };
}

export interface MasterOptions {
  input: string;
  output: string;
  preset: Preset;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/**
 * Loudness to the preset's target with a true-peak limiter, then encoding, verified by measuring
 * the result (and corrected once if it is off by more than 0.5 LU). The source is only read; the
 * output appears under its name only when complete.
 */
export async function masterFile(options: MasterOptions): Promise<MasterReport> {
  const input = resolve(options.input);
  const output = resolve(options.output);
  const encoding = ENCODINGS[extname(output).toLowerCase()];
  if (!encoding)
    throw new StudioError(
      'invalid_input',
      `Cannot write ${basename(output)}: choose .wav, .flac, .mp3 or .m4a.`,
    );
  if (input === output)
    throw new StudioError(
      'invalid_input',
      'The output must be a new file: the source is never overwritten.',
    );
  const progress = options.onProgress ?? (() => {});
  const name = basename(input);
  await checkSource(input, name, `Processing ${name}`);

  const timings = { measure: 0, render: 0, verify: 0 };
  let started = performance.now();
  progress(0, 'Measuring');
  const before = await measure(input, options.signal);
  timings.measure = performance.now() - started;

  const notes: string[] = [];
  const loudness = options.preset.loudness;
  let gainDb = 0;
  let gainCapped = false;
  let ceilingDb = loudness ? loudness.truePeakDbtp - LIMITER_MARGIN_DB : 0;
  if (loudness && before.integratedLufs === null) {
    notes.push('The input is silent: no gain was applied.');
  } else if (loudness && before.integratedLufs !== null) {
    gainDb = loudness.targetLufs - before.integratedLufs;
    if (gainDb > MAX_GAIN_DB) {
      notes.push(
        `The input is very quiet (${before.integratedLufs} LUFS): gain was capped at +${MAX_GAIN_DB} dB, so the result is below the target.`,
      );
      gainDb = MAX_GAIN_DB;
      gainCapped = true;
    }
  }

  await makeDirectory(resolve(output, '..')).catch((error: unknown) => {
    throw fileSystemError(error, `Writing ${basename(output)}`, output);
  });
  const temp = tempPathFor(output);
  try {
    let passes = 0;
    let after: Levels;
    const tried: { gainDb: number; lufs: number }[] = [];
    for (;;) {
      passes++;
      started = performance.now();
      progress(Math.min(0.9, (passes - 1) / MAX_PASSES), passes === 1 ? 'Rendering' : 'Correcting');
      await render(input, temp, encoding, loudness ? { gainDb, ceilingDb } : null, options.signal);
      timings.render += performance.now() - started;
      started = performance.now();
      progress(Math.min(0.95, (passes - 0.5) / MAX_PASSES), 'Verifying');
      after = await measure(temp, options.signal);
      timings.verify += performance.now() - started;
      if (!loudness || after.integratedLufs === null) break;
      const missLu = loudness.targetLufs - after.integratedLufs;
      const overDb = (after.truePeakDbtp ?? -Infinity) - loudness.truePeakDbtp;
      const loudnessOk = gainCapped || Math.abs(missLu) <= TOLERANCE_LU;
      if (loudnessOk && overDb <= 0) break;
      // The ceiling is a hard limit: a peak over it earns up to two more passes.
      if (passes >= MAX_PASSES + (overDb > 0 ? 2 : 0)) {
        notes.push(
          `After ${passes} passes the result is ${after.integratedLufs} LUFS / ${after.truePeakDbtp} dBTP.`,
        );
        break;
      }
      if (!loudnessOk) {
        // The limiter eats part of any extra gain: after two passes, aim along the measured slope.
        const previous = tried.at(-1);
        tried.push({ gainDb, lufs: after.integratedLufs });
        const slope =
          previous && after.integratedLufs !== previous.lufs
            ? (gainDb - previous.gainDb) / (after.integratedLufs - previous.lufs)
            : 1;
        gainDb += missLu * Math.min(3, Math.max(1, slope));
      }
      if (overDb > 0) ceilingDb -= overDb + 0.2;
      notes.push(
        `Pass ${passes} measured ${after.integratedLufs} LUFS / ${after.truePeakDbtp} dBTP: corrected.`,
      );
    }
    await commitTempFile(temp, output).catch((error: unknown) => {
      throw fileSystemError(error, `Writing ${basename(output)}`, output);
    });
    progress(1, 'Done');
    return {
      input,
      output,
      preset: options.preset.id,
      target: loudness
        ? { integratedLufs: loudness.targetLufs, truePeakDbtp: loudness.truePeakDbtp }
        : null,
      before,
      after,
      gainDb: Math.round(gainDb * 100) / 100,
      gainCapped,
      passes,
      notes,
      timingsMs: {
        measure: Math.round(timings.measure),
        render: Math.round(timings.render),
        verify: Math.round(timings.verify),
      },
    };
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

async function measure(path: string, signal?: AbortSignal): Promise<Levels> {
  const probe = await probeMedia(path, signal);
  const { loudness } = await analyzeMedia({ path, ...probe, signal });
  return {
    integratedLufs: loudness.integratedLufs,
    lra: loudness.lra,
    truePeakDbtp: loudness.truePeakDbtp,
  };
}

async function render(
  input: string,
  temp: string,
  encoding: { muxer: string; codec: string[] },
  loudness: { gainDb: number; ceilingDb: number } | null,
  signal?: AbortSignal,
): Promise<void> {
  // Gain, then a limiter at 4x the rate so it catches the peaks between samples, then back down.
  const filters = loudness
    ? [
        `volume=${loudness.gainDb.toFixed(2)}dB`,
        'aresample=192000',
        `alimiter=limit=${Math.max(0.0625, 10 ** (loudness.ceilingDb / 20)).toFixed(5)}:level=false:attack=1:release=60`,
        'aresample=48000',
      ]
    : ['aresample=48000'];
  await runFfmpeg({
    what: `Rendering ${basename(input)}`,
    args: [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-y', '-i', input],
      ...['-map', '0:a:0', '-af', filters.join(','), ...encoding.codec, '-f', encoding.muxer, temp],
    ],
    signal,
  });
}
