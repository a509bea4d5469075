import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { StudioError } from '../../../shared/errors';
import {
  type Levels,
  OutputEncoding,
  type ProcessingReport,
  type ProcessingSettings,
} from '../../../shared/processing';
import { probeMedia } from '../ffmpeg/probe';
import { runFfmpeg } from '../ffmpeg/run';
import { commitTempFile, fileSystemError, makeDirectory, tempPathFor } from '../files/atomic';
import { stopTogether } from '../jobs/stop-together';
import { analyzeWavInParallel } from '../media/analysis/parallel-wav';
import { roundDb, toDb } from '../media/analysis/true-peak-meter';
import { readWavLayout } from '../media/analysis/wav-layout';
import { checkSource } from '../media/import-media';
import { planChunks } from './chunk-plan';
import { containerFor, encodeWhole } from './encode';
import { buildCleanChain, limiterChain } from './filter-chain';
import { estimateGain } from './gain-estimate';
import { probeLatency } from './latency';
import { limiterCeiling, reachLoudness } from './loudness-loop';
import { canEncodeMp3InParallel, encodeMp3InParallel } from './mp3-parallel';
import { PauseMap } from './pause-map';
import { RawPcmWriter, rawInputArgs, rawLayout, WORK_RATE } from './raw-pcm';
import { type PcmSource, renderChunks } from './render-chunks';
import { rnnoiseTransform } from './rnnoise/rnnoise-transform';
import { type Survey, surveyInput } from './survey';

export interface ProcessOptions {
  input: string;
  output: string;
  settings: ProcessingSettings;
  encoding?: Partial<OutputEncoding>;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Near-silence must not be pushed up into hiss: more gain than this is capped and reported. */
const MAX_GAIN_DB = 24;
/** Pre- and post-roll of cleanup chunks: longer than the leveler's window (15 x 250 ms). */
const CLEAN_ROLL_SECONDS = 8;
/** Pre- and post-roll of limiter chunks: far longer than its release. */
const LIMIT_ROLL_SECONDS = 1;
const SHORT_INPUT_SECONDS = 3;

/** Share of the progress bar per step, roughly by the time each takes. */
const STAGES = {
  listen: [0, 0.1],
  clean: [0.1, 0.55],
  estimate: [0.55, 0.6],
  limit: [0.6, 0.8],
  encode: [0.8, 0.95],
  verify: [0.95, 1],
} as const;

/**
 * The one-click master: cleanup steps, silence shortening, loudness to target with a true-peak
 * limiter (verified by measuring, corrected when off by more than 0.5 LU), then encoding. Long
 * inputs are split into chunks rendered in parallel and joined sample for sample. The source is
 * only read; the output appears under its name only when complete, with a JSON report beside it.
 */
export async function processFile(options: ProcessOptions): Promise<ProcessingReport> {
  const input = resolve(options.input);
  const output = resolve(options.output);
  const { settings, signal } = options;
  const encoding = OutputEncoding.parse(options.encoding ?? {});
  const container = containerFor(output);
  const lossy = container === 'mp3' || container === 'm4a';
  const name = basename(input);
  await checkSource(input, name, `Processing ${name}`);
  // The same file under another spelling (case-insensitive disks, links) counts as the same.
  const existing = await stat(output).catch(() => null);
  const inputFile = await stat(input);
  if (
    input === output ||
    (existing && existing.dev === inputFile.dev && existing.ino === inputFile.ino)
  )
    throw new StudioError(
      'invalid_input',
      'The output must be a new file: the source is never overwritten.',
    );
  const probe = await probeMedia(input, signal);

  const timings: Record<string, number> = {};
  // A correction pass runs steps again: the bar holds still rather than going back.
  let shown = 0;
  const progress = (fraction: number, label: string) => {
    shown = Math.max(shown, fraction);
    options.onProgress?.(shown, label);
  };
  const step = async <T>(
    key: keyof typeof STAGES,
    label: string,
    run: (report: (fraction: number) => void) => Promise<T>,
  ): Promise<T> => {
    const [from, to] = STAGES[key];
    const started = performance.now();
    progress(from, label);
    const result = await run((fraction) => progress(from + (to - from) * fraction, label));
    timings[key] = Math.round((timings[key] ?? 0) + performance.now() - started);
    return result;
  };

  const outputDir = dirname(output);
  await makeDirectory(outputDir).catch((error: unknown) => {
    throw fileSystemError(error, `Writing ${basename(output)}`, output);
  });
  // Work files sit beside the output: the user chose that disk, and it is removed in any case.
  const workDir = await mkdtemp(join(outputDir, `.${basename(output)}.work-`)).catch(
    (error: unknown) => {
      throw fileSystemError(error, `Writing ${basename(output)}`, output);
    },
  );
  const temp = tempPathFor(output);
  try {
    // 1. Listen (noise floor, hum, pauses) while the input becomes 48 kHz PCM if it is not
    // already, and is measured.
    // One failing stops the other: a decode must not go on writing into a removed folder.
    const listening = stopTogether(signal);
    const [survey, { source, frames, before }] = await step('listen', 'Listening', (report) =>
      Promise.all([
        surveyInput(input, probe.channels, probe.durationSec, listening.signal, report),
        (async () => {
          const source = await pcmSourceFor(input, probe.channels, workDir, listening.signal);
          const frames = await framesOf(source);
          if (frames === 0)
            throw new StudioError('file_empty', `${name} holds no audio samples.`, { path: input });
          const before = await measure(source, frames, `Measuring ${name}`, listening.signal);
          return { source, frames, before };
        })(),
      ]).catch((error: unknown) => {
        listening.stop();
        throw error;
      }),
    );

    const notes = describeInput(survey, probe.sampleRate, frames, before, settings);

    // 2. Cleanup and silence shortening, in parallel chunks, into one work file.
    const pauses = settings.trimSilence.enabled
      ? PauseMap.fromQuiet(
          frames,
          survey.quiet,
          Math.round(settings.trimSilence.maxPauseSeconds * WORK_RATE),
        )
      : new PauseMap(frames);
    // The survey counts at 8 kHz: keep the profile second inside the decoded frames.
    const profile =
      survey.quietest && frames >= survey.quietest.frames
        ? {
            start: Math.min(survey.quietest.start, frames - survey.quietest.frames),
            frames: survey.quietest.frames,
          }
        : null;
    const chain = buildCleanChain(settings, survey, profile ? profile.frames / WORK_RATE : null);
    const useRnnoise = settings.denoise.method === 'rnn' && settings.denoise.strength > 0;
    const filters = [...chain.before, ...chain.denoise, ...chain.after];
    let cleaned = source;
    // Measured as it is written: exact without cuts; with cuts, the removed pauses (quiet, below
    // the loudness gates) are still counted, which is close enough to aim the gain.
    let measured = before;
    if (filters.length > 0 || useRnnoise || pauses.removedFrames > 0) {
      cleaned = await step('clean', 'Cleaning up', async (report) => {
        const path = join(workDir, 'cleaned.f32');
        const writer = await RawPcmWriter.create(path, chain.channels);
        try {
          const levels = await renderChunks({
            source,
            chunks: planChunks(frames, CLEAN_ROLL_SECONDS * WORK_RATE),
            meter: { truePeak: false },
            filters: () => (useRnnoise ? chain.before : filters),
            transform: useRnnoise
              ? {
                  open: (channels) => rnnoiseTransform(settings.denoise.strength, channels),
                  afterTransform: chain.after,
                }
              : undefined,
            prefix: chain.denoise.length > 0 && profile ? profile : undefined,
            // The profile commands do not delay anything; RNNoise compensates its own delay.
            latency: await probeLatency([
              ...chain.before,
              ...chain.denoise.filter((f) => !f.startsWith('asendcmd')),
              ...chain.after,
            ]),
            outputChannels: chain.channels,
            sink: (frame, samples, count) =>
              pauses.forEachKept(frame, samples, count, chain.channels, (at, kept) =>
                writer.write(at, kept),
              ),
            what: `Cleaning up ${name}`,
            signal,
            onProgress: report,
          });
          if (levels) measured = levels;
        } finally {
          await writer.close();
        }
        return { path, inputArgs: rawInputArgs(chain.channels), channels: chain.channels };
      });
      // A decoded copy of the input is not read again: give its disk space back now.
      if (source.path.startsWith(workDir)) await rm(source.path, { force: true });
    }
    const outputFrames = pauses.outputFrames;

    // 3. Loudness: measure, gain and limit, measure the result (encoded), correct if needed.
    const encodeTo = async (source: PcmSource, pass: number) => {
      const what = `Encoding ${basename(output)}`;
      await step('encode', pass > 1 ? 'Encoding again' : 'Encoding', (report) =>
        container === 'mp3' && canEncodeMp3InParallel(encoding, outputFrames)
          ? encodeMp3InParallel({
              source,
              frames: outputFrames,
              encoding,
              target: temp,
              workDir,
              what,
              signal,
              onProgress: report,
            })
          : encodeWhole(
              source,
              temp,
              container,
              encoding,
              what,
              signal,
              report,
              outputFrames / WORK_RATE,
            ),
      );
    };
    // Lossy output is decoded and measured again (in parallel stretches, as it streams): the
    // encoder shifts loudness and peaks a little.
    const measureEncoded = async (pcmLevels: Levels): Promise<Levels> => {
      if (!lossy) return pcmLevels;
      return step('verify', 'Verifying', async () => {
        const levels = await renderChunks({
          source: {
            path: temp,
            inputArgs: ['-f', container === 'mp3' ? 'mp3' : 'mov'],
            channels: cleaned.channels,
          },
          chunks: planChunks(outputFrames, WORK_RATE),
          filters: () => [],
          latency: 0,
          outputChannels: cleaned.channels,
          meter: { truePeak: true },
          sink: async () => {},
          what: `Verifying ${basename(output)}`,
          signal,
        });
        if (!levels) throw new StudioError('internal', 'The encoded result was not measured.');
        return levels;
      });
    };
    let after = measured;
    let gainDb = 0;
    let gainCapped = false;
    let passes = 0;
    const loudness = settings.loudness;
    if (loudness && measured.integratedLufs !== null) {
      gainDb = loudness.targetLufs - measured.integratedLufs;
      if (gainDb > MAX_GAIN_DB) {
        notes.push(
          `The input is very quiet (${measured.integratedLufs} LUFS after cleanup): gain was capped at +${MAX_GAIN_DB} dB, so the result is below the target.`,
        );
        gainDb = MAX_GAIN_DB;
        gainCapped = true;
      }
      const mastered: PcmSource = {
        path: join(workDir, 'mastered.f32'),
        inputArgs: rawInputArgs(cleaned.channels),
        channels: cleaned.channels,
      };
      let masteredLevels = measured;
      const startCeilingDb = limiterCeiling(loudness.truePeakDbtp, lossy);
      const estimate = gainCapped
        ? null
        : await step('estimate', 'Estimating gain', () =>
            estimateGain({
              source: cleaned,
              frames: outputFrames,
              measuredLufs: measured.integratedLufs ?? loudness.targetLufs,
              targetLufs: loudness.targetLufs,
              truePeakDbtp: loudness.truePeakDbtp,
              ceilingDb: startCeilingDb,
              maxGainDb: MAX_GAIN_DB,
              container,
              encoding,
              workDir,
              signal,
            }),
          );
      // CBR MP3: each chunk is limited and encoded in the same ffmpeg, and the encoded file is
      // what gets measured (it would be anyway): no limited work file, half the steps.
      const fused = container === 'mp3' && canEncodeMp3InParallel(encoding, outputFrames);
      let encodedLevels = measured;
      const limitAndEncode = async (gain: number, ceiling: number, pass: number) => {
        const limiter = limiterChain(gain, ceiling);
        const latency = await probeLatency(limiter);
        await step(
          'encode',
          pass === 1 ? 'Setting loudness and encoding' : 'Correcting loudness',
          (report) =>
            encodeMp3InParallel({
              source: cleaned,
              frames: outputFrames,
              encoding,
              target: temp,
              workDir,
              what: `Encoding ${basename(output)}`,
              filters: limiter,
              latency,
              signal,
              onProgress: report,
            }),
        );
        encodedLevels = await measureEncoded(measured);
        return encodedLevels;
      };
      const result = await reachLoudness(
        loudness,
        estimate?.gainDb ?? gainDb,
        gainCapped,
        MAX_GAIN_DB,
        startCeilingDb,
        fused
          ? { limit: limitAndEncode, encode: async () => encodedLevels }
          : {
              limit: async (gain, ceiling, pass) => {
                masteredLevels = await step(
                  'limit',
                  pass === 1 ? 'Setting loudness' : 'Correcting loudness',
                  (report) =>
                    limitInto(
                      cleaned,
                      mastered.path,
                      outputFrames,
                      gain,
                      ceiling,
                      `Setting the loudness of ${name}`,
                      signal,
                      report,
                      !lossy,
                    ),
                );
                return masteredLevels;
              },
              encode: async (pass) => {
                await encodeTo(mastered, pass);
                return measureEncoded(masteredLevels);
              },
            },
        // Fused, the measured levels are already the encoder's: no separate shift to aim for.
        fused && estimate ? { ...estimate, encoderShiftLu: 0 } : (estimate ?? undefined),
      );
      ({ after, gainDb, gainCapped, passes } = result);
      notes.push(...result.notes);
    } else {
      if (loudness) notes.push('The input is silent: no gain was applied.');
      await encodeTo(cleaned, 1);
      after = await measureEncoded(measured);
    }

    await commitTempFile(temp, output).catch((error: unknown) => {
      throw fileSystemError(error, `Writing ${basename(output)}`, output);
    });
    progress(1, 'Done');
    const report: ProcessingReport = {
      input,
      output,
      settings,
      durationSeconds: {
        before: round2(frames / WORK_RATE),
        after: round2(outputFrames / WORK_RATE),
      },
      before,
      after,
      noiseFloorDbfs: survey.noiseFloorDbfs,
      humHz: settings.humRemoval ? survey.humHz : null,
      silenceRemovedSeconds: round2(pauses.removedFrames / WORK_RATE),
      gainDb: round2(gainDb),
      gainCapped,
      passes,
      notes,
      timingsMs: timings,
    };
    return report;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    if (signal?.aborted) throw new StudioError('cancelled', `Processing ${name}: cancelled`);
    throw error instanceof StudioError
      ? error
      : fileSystemError(error, `Processing ${name}`, output);
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** Gain and true-peak limiting of a whole work file, in parallel chunks. */
async function limitInto(
  source: PcmSource,
  path: string,
  frames: number,
  gainDb: number,
  ceilingDb: number,
  what: string,
  signal: AbortSignal | undefined,
  onProgress: (fraction: number) => void,
  /** Lossy output is measured again after encoding, peaks included: no need to measure them twice. */
  measurePeak: boolean,
): Promise<Levels> {
  const writer = await RawPcmWriter.create(path, source.channels);
  const limiter = limiterChain(gainDb, ceilingDb);
  try {
    const levels = await renderChunks({
      meter: { truePeak: measurePeak },
      source,
      chunks: planChunks(frames, LIMIT_ROLL_SECONDS * WORK_RATE),
      filters: () => limiter,
      latency: await probeLatency(limiter),
      outputChannels: source.channels,
      sink: (frame, samples) => writer.write(frame, samples),
      what,
      signal,
      onProgress,
    });
    if (!levels) throw new StudioError('internal', `${what}: the result was not measured.`);
    return levels;
  } finally {
    await writer.close();
  }
}

async function decodeToRaw(
  input: string,
  channels: number,
  path: string,
  signal?: AbortSignal,
): Promise<PcmSource> {
  await runFfmpeg({
    what: `Decoding ${basename(input)}`,
    args: [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-i', input, '-map', '0:a:0'],
      ...['-ac', String(channels), '-ar', String(WORK_RATE), '-c:a', 'pcm_f32le', '-f', 'f32le'],
      ...['-y', path],
    ],
    signal,
  });
  return { path, inputArgs: rawInputArgs(channels), channels };
}

/** Writes the report as JSON beside the output (`<output>.report.json`). */
export async function writeReport(report: ProcessingReport): Promise<string> {
  const path = `${report.output}.report.json`;
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/**
 * The chunks seek by sample in a 48 kHz PCM file: a 48 kHz PCM WAV is used as it is, anything
 * else is decoded once into a raw work file (mono or stereo; more channels are folded to stereo).
 */
async function pcmSourceFor(
  input: string,
  inputChannels: number,
  workDir: string,
  signal?: AbortSignal,
): Promise<PcmSource> {
  const layout = await readWavLayout(input).catch(() => null);
  if (layout && layout.sampleRate === WORK_RATE && layout.channels <= 2 && layout.frames > 0)
    return { path: input, inputArgs: [], channels: layout.channels };
  return decodeToRaw(input, inputChannels >= 2 ? 2 : 1, join(workDir, 'decoded.f32'), signal);
}

async function framesOf(source: PcmSource): Promise<number> {
  if (source.inputArgs.length > 0)
    return Math.floor((await stat(source.path)).size / (4 * source.channels));
  return (await readWavLayout(source.path))?.frames ?? 0;
}

async function measure(
  source: PcmSource,
  frames: number,
  what: string,
  signal?: AbortSignal,
): Promise<Levels> {
  const layout =
    source.inputArgs.length > 0
      ? rawLayout(frames, source.channels)
      : await readWavLayout(source.path);
  if (!layout) throw new StudioError('internal', `Cannot read ${basename(source.path)} as PCM.`);
  const measured = await analyzeWavInParallel(source.path, layout, {
    signal,
    what,
    waveform: false,
  });
  return {
    integratedLufs: roundDb(measured.integratedLufs),
    lra: roundDb(measured.lra) ?? 0,
    truePeakDbtp: roundDb(toDb(measured.truePeak)),
  };
}

/** What the listen found, said plainly for the report. */
function describeInput(
  survey: Survey,
  sampleRate: number,
  frames: number,
  before: Levels,
  settings: ProcessingSettings,
): string[] {
  const notes: string[] = [];
  if (frames < SHORT_INPUT_SECONDS * WORK_RATE)
    notes.push(
      `The input is shorter than ${SHORT_INPUT_SECONDS} s: loudness range and the noise profile are rough.`,
    );
  if (sampleRate < 16000)
    notes.push(
      `The input is ${sampleRate / 1000} kHz phone-quality audio: it was upsampled to 48 kHz, but what was lost above ${sampleRate / 2000} kHz cannot come back.`,
    );
  if (survey.deadChannel !== null)
    notes.push(
      `The ${survey.deadChannel === 0 ? 'left' : 'right'} channel is silent: the result is mono from the ${survey.deadChannel === 0 ? 'right' : 'left'} channel.`,
    );
  if ((before.truePeakDbtp ?? -Infinity) >= 0)
    notes.push(
      `The input reaches full scale (${before.truePeakDbtp} dBTP): it is probably clipped, which processing cannot undo.`,
    );
  if (survey.humHz)
    notes.push(
      settings.humRemoval
        ? `Mains hum at ${survey.humHz} Hz was detected and notched out.`
        : `Mains hum at ${survey.humHz} Hz was detected; hum removal is off.`,
    );
  return notes;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
