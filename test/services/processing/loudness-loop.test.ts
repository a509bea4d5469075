import { describe, expect, it } from 'vitest';
import { reachLoudness } from '../../../src/main/services/processing/loudness-loop';
import type { Levels } from '../../../src/shared/processing';

const target = { targetLufs: -16, truePeakDbtp: -1 };

/** A stand-in for limit + encode: loudness follows the gain, minus what the limiter takes. */
function model(inputLufs: number, limiterLossLu: number) {
  const gains: number[] = [];
  const levels = (gain: number): Levels => ({
    integratedLufs: inputLufs + gain - limiterLossLu,
    lra: 5,
    truePeakDbtp: -2,
  });
  let last = levels(0);
  return {
    gains,
    steps: {
      limit: async (gain: number) => {
        gains.push(gain);
        last = levels(gain);
        return last;
      },
      encode: async () => last,
    },
  };
}

describe('reachLoudness', () => {
  it('corrects a first pass the limiter pulled under the target', async () => {
    const { gains, steps } = model(-30, 1.5);
    const result = await reachLoudness(target, 14, false, 24, -1.3, steps);
    expect(result.passes).toBe(2);
    expect(gains).toEqual([14, 15.5]);
    expect(result.after.integratedLufs).toBeCloseTo(-16, 5);
    expect(result.gainCapped).toBe(false);
  });

  it('never lets a correction go over the gain cap, and says so', async () => {
    const { gains, steps } = model(-39.5, 1.5);
    const result = await reachLoudness(target, 23.5, false, 24, -1.3, steps);
    expect(Math.max(...gains)).toBeLessThanOrEqual(24);
    expect(result.gainCapped).toBe(true);
    expect(result.notes.join(' ')).toMatch(/capped at \+24 dB/);
  });
});
