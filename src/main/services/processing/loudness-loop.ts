import type { Levels } from '../../../shared/processing';

/**
 * The limiter aims under the ceiling: the resampling back to 48 kHz and a lossy encoder (which
 * drops and requantises content) put peaks back up, by up to about 1 dB for MP3 at 128 kbps.
 */
export function limiterCeiling(truePeakDbtp: number, lossy: boolean): number {
  return truePeakDbtp - (lossy ? 1 : 0.3);
}
export const TOLERANCE_LU = 0.5;
/** Renders allowed for loudness; a true peak over the ceiling earns two more. */
const MAX_PASSES = 3;
const EXTRA_PASSES_FOR_PEAKS = 2;

export interface LoudnessTarget {
  targetLufs: number;
  truePeakDbtp: number;
}

export interface LoudnessSteps {
  /** Gain and true-peak limit into the mastered work file, then measure it. */
  limit: (gainDb: number, ceilingDb: number, pass: number) => Promise<Levels>;
  /** Encode the mastered work file and measure what was written (lossy codecs shift loudness). */
  encode: (pass: number) => Promise<Levels>;
}

export interface LoudnessResult {
  after: Levels;
  gainDb: number;
  /** The gain a correction asked for was over the cap: the result is under the target. */
  gainCapped: boolean;
  passes: number;
  notes: string[];
}

/**
 * Measure, gain, limit, measure the result, correct: the first gain is the plain difference to the
 * target, which the limiter then eats into; later gains follow the measured slope. The encoded file
 * is the one measured last, so an encoder's loudness shift or overshoot is corrected too.
 */
export async function reachLoudness(
  target: LoudnessTarget,
  startGainDb: number,
  startCapped: boolean,
  /** Near-silence must not be pushed up into hiss: corrections stop at this gain too. */
  maxGainDb: number,
  startCeilingDb: number,
  steps: LoudnessSteps,
  /** From estimateGain, when it ran: the encoder's loudness shift and the ceiling it allows. */
  estimate?: { encoderShiftLu: number; ceilingDb: number },
): Promise<LoudnessResult> {
  const notes: string[] = [];
  let gainDb = startGainDb;
  let gainCapped = startCapped;
  let ceilingDb = estimate?.ceilingDb ?? startCeilingDb;
  const tried: { gainDb: number; lufs: number }[] = [];
  let passes = 0;
  let encodedOffsetLu = estimate?.encoderShiftLu ?? 0;
  for (;;) {
    passes++;
    const mastered = await steps.limit(gainDb, ceilingDb, passes);
    let after = mastered;
    let encoded = false;
    // Only a master that looks right is worth encoding.
    if (!misses(target, mastered, encodedOffsetLu, gainCapped) || passes >= MAX_PASSES) {
      after = await steps.encode(passes);
      encoded = true;
      if (after.integratedLufs !== null && mastered.integratedLufs !== null)
        encodedOffsetLu = after.integratedLufs - mastered.integratedLufs;
    }
    if (after.integratedLufs === null) return { after, gainDb, gainCapped, passes, notes };
    const miss = misses(target, after, 0, gainCapped);
    if (encoded && !miss) return { after, gainDb, gainCapped, passes, notes };
    const overDb = (after.truePeakDbtp ?? -Infinity) - target.truePeakDbtp;
    if (encoded && passes >= MAX_PASSES + (overDb > 0 ? EXTRA_PASSES_FOR_PEAKS : 0)) {
      notes.push(
        `After ${passes} passes the result is ${after.integratedLufs} LUFS / ${after.truePeakDbtp} dBTP.`,
      );
      return { after, gainDb, gainCapped, passes, notes };
    }
    notes.push(
      `Pass ${passes} measured ${after.integratedLufs} LUFS / ${after.truePeakDbtp} dBTP${encoded ? ' after encoding' : ''}: corrected.`,
    );
    const missLu =
      target.targetLufs - (mastered.integratedLufs ?? target.targetLufs) - encodedOffsetLu;
    if (!gainCapped && Math.abs(missLu) > TOLERANCE_LU / 4) {
      const previous = tried.at(-1);
      const lufs = mastered.integratedLufs ?? target.targetLufs;
      tried.push({ gainDb, lufs });
      const slope =
        previous && lufs !== previous.lufs
          ? (gainDb - previous.gainDb) / (lufs - previous.lufs)
          : 1;
      gainDb += missLu * Math.min(6, Math.max(1, slope));
      if (gainDb > maxGainDb) {
        gainDb = maxGainDb;
        gainCapped = true;
        notes.push(
          `The gain needed was capped at +${maxGainDb} dB: the result is under the target.`,
        );
      }
    }
    if (overDb > 0) ceilingDb -= overDb + 0.2;
  }
}

/** Off target by more than the tolerance (aiming `offsetLu` above for the encoder's shift), or peaking over the ceiling. */
function misses(
  target: LoudnessTarget,
  levels: Levels,
  offsetLu: number,
  gainCapped: boolean,
): boolean {
  if (levels.integratedLufs === null) return false;
  const offTarget =
    !gainCapped && Math.abs(levels.integratedLufs + offsetLu - target.targetLufs) > TOLERANCE_LU;
  return offTarget || (levels.truePeakDbtp ?? -Infinity) > target.truePeakDbtp - 0.1;
}
