/**
 * True peak per ITU-R BS.1770-4 Annex 2: 4x oversampling with the standard's 48-tap polyphase
 * interpolator, and the largest absolute value of the original and interpolated samples.
 *
 * Interpolating every sample is the costly part, so it is done only where it could beat the peak
 * found so far. Two bounds on an interpolated value h·w (phase h, 12-sample window w) decide:
 * ‖h‖₁·max|w| skips whole 32-sample blocks (tight for smooth signals), and ‖h‖₂·‖w‖₂
 * (Cauchy-Schwarz) skips single samples (tight for noisy ones). The result is identical to
 * interpolating everything.
 */

const PHASES: readonly (readonly number[])[] = [
  [
    0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875,
    0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125,
    0.014892578125, -0.00830078125,
  ],
  [
    -0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625,
    0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375,
  ],
  [
    -0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625,
    0.465087890625, -0.16650390625, 0.089111328125, -0.0517578125, 0.029296875, -0.0291748046875,
  ],
  [
    -0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.97216796875,
    0.1373291015625, -0.0594482421875, 0.033203125, -0.0196533203125, 0.010986328125,
    0.001708984375,
  ],
];
const TAPS = 12;
const BLOCK = 32;
const FLAT = Float64Array.from(PHASES.flat());
/** The largest L2 norm of any phase: a window can reach at most this times its own L2 norm. */
const L2_GAIN = Math.max(...PHASES.map((p) => Math.sqrt(p.reduce((a, h) => a + h * h, 0))));
/** The largest L1 norm of any phase: a window can reach at most this times its largest sample. */
const L1_GAIN = Math.max(...PHASES.map((p) => p.reduce((a, h) => a + Math.abs(h), 0)));
/** Slack so that rounding in the running sum never skips a sample that matters. */
const BOUND_SLACK = 1.001;

export class TruePeakMeter {
  /** Per channel: the previous TAPS-1 samples, then the current chunk. */
  private readonly windows: Float32Array[];
  private peak = 0;
  /** Per channel: the largest absolute sample of the last block seen. */
  private readonly historyMax: Float64Array;

  constructor(private readonly channels: number) {
    this.windows = Array.from({ length: channels }, () => new Float32Array(TAPS - 1));
    this.historyMax = new Float64Array(channels);
  }

  /** Largest absolute value so far (linear), sample or interpolated. */
  get linearPeak(): number {
    return this.peak;
  }

  /**
   * Takes the samples just before this meter's range as history, without measuring them: the
   * interpolator's window then reaches back exactly as it would in one pass over the file.
   */
  prime(samples: Float32Array, frames: number): void {
    const keep = Math.min(frames, TAPS - 1);
    for (let c = 0; c < this.channels; c++) {
      const window = this.windows[c]!;
      let max = 0;
      for (let k = 0; k < keep; k++) {
        const v = samples[(frames - keep + k) * this.channels + c]!;
        window[TAPS - 1 - keep + k] = v;
        if (Math.abs(v) > max) max = Math.abs(v);
      }
      this.historyMax[c] = max;
    }
  }

  push(samples: Float32Array, frames: number): void {
    const channels = this.channels;
    for (let c = 0; c < channels; c++) {
      let window = this.windows[c]!;
      if (window.length < frames + TAPS - 1) {
        const grown = new Float32Array(frames + TAPS - 1);
        grown.set(window.subarray(0, TAPS - 1));
        window = grown;
        this.windows[c] = window;
      }
      for (let f = 0, i = c; f < frames; f++, i += channels) window[TAPS - 1 + f] = samples[i]!;
      this.scan(window, frames, c);
      window.copyWithin(0, frames, frames + TAPS - 1);
    }
  }

  private scan(window: Float32Array, frames: number, c: number): void {
    let previousBlockMax = this.historyMax[c]!;
    for (let start = 0; start < frames; start += BLOCK) {
      const end = Math.min(start + BLOCK, frames);
      let blockMax = 0;
      for (let f = start; f < end; f++) {
        const a = Math.abs(window[TAPS - 1 + f]!);
        if (a > blockMax) blockMax = a;
      }
      if (blockMax > this.peak) this.peak = blockMax;
      // Each sample's window reaches back TAPS-1 < BLOCK samples, into the previous block at most.
      if (Math.max(blockMax, previousBlockMax) * L1_GAIN * BOUND_SLACK > this.peak) {
        this.interpolate(window, start, end);
      }
      previousBlockMax = blockMax;
    }
    this.historyMax[c] = previousBlockMax;
  }

  private interpolate(window: Float32Array, start: number, end: number): void {
    let peak = this.peak;
    let threshold = ((peak * BOUND_SLACK) / L2_GAIN) ** 2;
    for (let f = start; f < end; f++) {
      const newest = TAPS - 1 + f;
      let energy = 0;
      for (let k = newest - (TAPS - 1); k <= newest; k++) energy += window[k]! * window[k]!;
      if (energy <= threshold) continue;
      for (let p = 0; p < 4; p++) {
        let y = 0;
        const base = p * TAPS;
        for (let k = 0; k < TAPS; k++) y += FLAT[base + k]! * window[newest - k]!;
        const a = y < 0 ? -y : y;
        if (a > peak) {
          peak = a;
          threshold = ((peak * BOUND_SLACK) / L2_GAIN) ** 2;
        }
      }
    }
    this.peak = peak;
  }
}

export function toDb(linear: number): number | null {
  return linear > 0 ? 20 * Math.log10(linear) : null;
}

/** Loudness and level figures are stored and shown to 0.01 dB. */
export function roundDb(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}
