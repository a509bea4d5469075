import { basename } from 'node:path';
import { readFloatFrames } from '../ffmpeg/pcm-stream';
import { runFfmpeg } from '../ffmpeg/run';

/** What the engine learns from one quick listen to the input, before changing anything. */
export interface Survey {
  /** Frames at 48 kHz. */
  frames: number;
  /** Channels read from the input (at most 2: more are folded down to stereo). */
  channels: 1 | 2;
  /** A stereo channel that carries nothing while the other carries sound. */
  deadChannel: 0 | 1 | null;
  /**
   * Level of the quietest twentieth of the input (digital silence aside), in dBFS: in a lively
   * conversation pauses fill barely a tenth of the 50 ms windows, and the tenth would take in the
   * tails of words.
   */
  noiseFloorDbfs: number | null;
  /** Level the loud tenth reaches: speech, roughly. */
  activeLevelDbfs: number | null;
  /** The quietest second that is not digital silence: the noise profile is learned from it. */
  quietest: { start: number; frames: number } | null;
  humHz: 50 | 60 | null;
  /** Quiet stretches (frames at 48 kHz, end exclusive), in order; the pause finder works on these. */
  quiet: Array<[number, number]>;
}

/** Survey at 8 kHz: plenty for levels and mains hum, and six times less to read than 48 kHz. */
const RATE = 8000;
const TO_48K = 48000 / RATE;
/** Level windows of 50 ms. */
const WINDOW = RATE / 20;
/** Hum blocks of 400 ms (2.5 Hz resolution, Hann-windowed) so 50 and 60 Hz are told apart. */
const HUM_BLOCK = (RATE * 2) / 5;
const HUM_50 = [50, 100, 150];
const HUM_60 = [60, 120, 180];
/** Between the hum families and their harmonics: what the noise alone looks like there. */
const HUM_REFERENCE = [40, 55, 75, 90, 110, 135, 165];
/** A family this far above the reference, in quiet blocks, is hum. */
const HUM_DETECT_DB = 10;
/** Blocks this close to the quietest one are pauses; louder ones have a voice in them. */
const HUM_QUIET_SPAN_DB = 6;
const DIGITAL_SILENCE_DB = -96;
const DEAD_CHANNEL_DBFS = -80;

/**
 * Listens to the input once, at 8 kHz: noise floor, the quietest passage, mains hum, quiet
 * stretches and a dead stereo channel. Cheap (a few seconds per hour) and done before any step
 * that depends on it.
 */
export async function surveyInput(
  input: string,
  inputChannels: number,
  durationSec: number | null,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<Survey> {
  const channels: 1 | 2 = inputChannels >= 2 ? 2 : 1;
  const windowEnergy: number[] = [];
  const channelEnergy = [0, 0];
  const humBlocks: { energy: number; powers: number[] }[] = [];
  const frequencies = [...HUM_50, ...HUM_60, ...HUM_REFERENCE];
  const coefficients = frequencies.map((f) => 2 * Math.cos((2 * Math.PI * f) / RATE));
  const hann = Float64Array.from(
    { length: HUM_BLOCK },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / HUM_BLOCK),
  );
  const s1 = new Float64Array(frequencies.length);
  const s2 = new Float64Array(frequencies.length);
  let windowSum = 0;
  let windowFill = 0;
  let blockFill = 0;
  let blockEnergy = 0;
  let frames = 0;
  const expected = durationSec ? durationSec * RATE : 0;

  await runFfmpeg({
    what: `Listening to ${basename(input)}`,
    args: [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-i', input, '-map', '0:a:0'],
      ...['-ac', String(channels), '-ar', String(RATE), '-c:a', 'pcm_f32le', '-f', 'f32le', '-'],
    ],
    signal,
    consumeStdout: async (stdout) => {
      await readFloatFrames(
        stdout,
        channels,
        (samples, n) => {
          for (let i = 0; i < n; i++) {
            let mono = 0;
            for (let c = 0; c < channels; c++) {
              const v = samples[i * channels + c]!;
              channelEnergy[c]! += v * v;
              mono += v;
            }
            mono /= channels;
            windowSum += mono * mono;
            if (++windowFill === WINDOW) {
              windowEnergy.push(windowSum / WINDOW);
              windowSum = 0;
              windowFill = 0;
            }
            const x = mono * hann[blockFill]!;
            blockEnergy += mono * mono;
            for (let k = 0; k < coefficients.length; k++) {
              const s = x + coefficients[k]! * s1[k]! - s2[k]!;
              s2[k] = s1[k]!;
              s1[k] = s;
            }
            if (++blockFill === HUM_BLOCK) {
              const powers = coefficients.map(
                (c, k) => s1[k]! * s1[k]! + s2[k]! * s2[k]! - c * s1[k]! * s2[k]!,
              );
              humBlocks.push({ energy: blockEnergy / HUM_BLOCK, powers });
              s1.fill(0);
              s2.fill(0);
              blockFill = 0;
              blockEnergy = 0;
            }
          }
          frames += n;
          if (onProgress && expected > 0) onProgress(Math.min(1, frames / expected));
        },
        signal,
      );
    },
  });
  if (windowFill > 0) windowEnergy.push(windowSum / windowFill);

  const db = (energy: number) => 10 * Math.log10(Math.max(energy, 1e-20));
  const audible = windowEnergy.map(db).filter((level) => level > DIGITAL_SILENCE_DB);
  const sorted = [...audible].sort((a, b) => a - b);
  const percentile = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null;
  const noiseFloorDbfs = percentile(0.05);
  const activeLevelDbfs = percentile(0.9);

  let deadChannel: 0 | 1 | null = null;
  if (channels === 2) {
    // Mean levels, so the verdict does not depend on the file's length. An unplugged input still
    // carries its preamp's hiss (around -90 dBFS): dead means far under the other and under -80.
    const [left, right] = channelEnergy.map((e) => db(e / Math.max(1, frames))) as [number, number];
    if (left < DEAD_CHANNEL_DBFS && right > left + 40) deadChannel = 0;
    else if (right < DEAD_CHANNEL_DBFS && left > right + 40) deadChannel = 1;
  }

  return {
    frames: Math.round(frames * TO_48K),
    channels,
    deadChannel,
    noiseFloorDbfs: noiseFloorDbfs === null ? null : round1(noiseFloorDbfs),
    activeLevelDbfs: activeLevelDbfs === null ? null : round1(activeLevelDbfs),
    // Whole windows only: the last one may be partial, and the profile must lie inside the file.
    quietest: quietestSecond(windowFill > 0 ? windowEnergy.slice(0, -1) : windowEnergy),
    humHz: detectHum(humBlocks),
    quiet: quietStretches(windowEnergy, noiseFloorDbfs, activeLevelDbfs),
  };
}

/** The 1 s run of windows with the least energy, digital silence excluded. */
function quietestSecond(windowEnergy: number[]): Survey['quietest'] {
  const span = 20;
  if (windowEnergy.length < span) return null;
  let best: { start: number; energy: number } | null = null;
  let sum = 0;
  let silent = 0;
  const isSilent = (e: number) => 10 * Math.log10(Math.max(e, 1e-20)) <= DIGITAL_SILENCE_DB;
  for (let i = 0; i < windowEnergy.length; i++) {
    sum += windowEnergy[i]!;
    if (isSilent(windowEnergy[i]!)) silent++;
    if (i >= span) {
      sum -= windowEnergy[i - span]!;
      if (isSilent(windowEnergy[i - span]!)) silent--;
    }
    if (i >= span - 1 && silent === 0 && (!best || sum < best.energy))
      best = { start: i - span + 1, energy: sum };
  }
  return best ? { start: best.start * WINDOW * TO_48K, frames: span * WINDOW * TO_48K } : null;
}

/**
 * Hum shows best where nobody speaks: compare the hum families in the quietest blocks, at most a
 * fifth of them and only those within HUM_QUIET_SPAN_DB of the quietest. Speech fills most blocks
 * of a conversation, and its low harmonics (100–200 Hz) in a block with a word in it would drown
 * the hum and the reference alike.
 */
function detectHum(blocks: { energy: number; powers: number[] }[]): 50 | 60 | null {
  const audible = blocks
    .filter((b) => 10 * Math.log10(Math.max(b.energy, 1e-20)) > DIGITAL_SILENCE_DB)
    .sort((a, b) => a.energy - b.energy);
  if (audible.length === 0) return null;
  const limit = audible[0]!.energy * 10 ** (HUM_QUIET_SPAN_DB / 10);
  const quiet = audible
    .slice(0, Math.max(1, Math.ceil(blocks.length / 5)))
    .filter((b) => b.energy <= limit);
  const mean = (from: number, count: number) => {
    let total = 0;
    for (const block of quiet) for (let k = from; k < from + count; k++) total += block.powers[k]!;
    return total / (quiet.length * count);
  };
  const fifty = mean(0, HUM_50.length);
  const sixty = mean(HUM_50.length, HUM_60.length);
  const reference = mean(HUM_50.length + HUM_60.length, HUM_REFERENCE.length);
  const strongest = Math.max(fifty, sixty);
  if (reference <= 0 || 10 * Math.log10(strongest / reference) < HUM_DETECT_DB) return null;
  return fifty >= sixty ? 50 : 60;
}

/**
 * Runs of windows below a threshold between the noise floor and speech: 10 dB over the floor, but
 * never closer than 20 dB to the speech level (a noisy room must not turn soft words into pauses).
 */
function quietStretches(
  windowEnergy: number[],
  floorDb: number | null,
  activeDb: number | null,
): Array<[number, number]> {
  if (activeDb === null) return [];
  const threshold = Math.min((floorDb ?? activeDb - 60) + 10, activeDb - 20);
  const stretches: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= windowEnergy.length; i++) {
    const quiet =
      i < windowEnergy.length && 10 * Math.log10(Math.max(windowEnergy[i]!, 1e-20)) < threshold;
    if (quiet && start < 0) start = i;
    if (!quiet && start >= 0) {
      stretches.push([start * WINDOW * TO_48K, i * WINDOW * TO_48K]);
      start = -1;
    }
  }
  return stretches;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
