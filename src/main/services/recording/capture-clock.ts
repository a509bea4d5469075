/**
 * When a device's samples were captured, on the computer's monotonic clock (milliseconds, as
 * performance.now()), worked out from when they arrive.
 *
 * A device hands over a block once its last sample is captured, so `arrival − framesSoFar / rate`
 * is the capture time of frame 0 plus that block's delivery latency, which is never negative. The
 * smallest value seen is therefore the best estimate of frame 0's time; over a long take, the
 * lower envelope of those values slopes when the device's clock runs fast or slow against the
 * computer's (fast: more frames per second than it says, so the values fall). Windows of two
 * seconds keep their minimum; a line through the minima gives the drift.
 */
const WINDOW_MS = 2000;
/** Drift needs this many windows (20 s) before it means anything. */
const MIN_WINDOWS_FOR_DRIFT = 10;

export interface ClockFit {
  /** Frame 0's capture time (ms). */
  startMs: number;
  /** Device rate error against the computer's clock; null before 20 s of audio. */
  driftPpm: number | null;
}

export class CaptureClock {
  private best = Number.POSITIVE_INFINITY;
  private readonly minima: { atMs: number; startMs: number }[] = [];
  private windowStart = Number.NaN;

  constructor(private readonly sampleRate: number) {}

  /** A block arrived at `arrivalMs`; `framesAfter` frames have arrived in all, this block included. */
  observe(arrivalMs: number, framesAfter: number): void {
    const startMs = arrivalMs - (framesAfter * 1000) / this.sampleRate;
    if (startMs < this.best) this.best = startMs;
    const last = this.minima.at(-1);
    if (last === undefined || arrivalMs - this.windowStart >= WINDOW_MS) {
      this.windowStart = arrivalMs;
      this.minima.push({ atMs: arrivalMs, startMs });
    } else if (startMs < last.startMs) {
      last.atMs = arrivalMs;
      last.startMs = startMs;
    }
  }

  /** True once a block has arrived. */
  get started(): boolean {
    return Number.isFinite(this.best);
  }

  /** The best estimate so far of frame 0's capture time, ignoring drift (for the take's start). */
  get startMs(): number {
    return this.best;
  }

  /**
   * A straight line through the windows' minima: `startMs(t) = a + b·t`; a device whose clock is
   * fast by ε gives b = −ε. Without enough windows, the plain minimum and no drift.
   */
  fit(): ClockFit {
    const points = this.minima.length > 2 ? this.minima.slice(1, -1) : this.minima; // first and last windows are partial
    if (points.length < MIN_WINDOWS_FOR_DRIFT) return { startMs: this.best, driftPpm: null };
    const n = points.length;
    const meanT = points.reduce((sum, p) => sum + p.atMs, 0) / n;
    const meanS = points.reduce((sum, p) => sum + p.startMs, 0) / n;
    let covariance = 0;
    let variance = 0;
    for (const p of points) {
      covariance += (p.atMs - meanT) * (p.startMs - meanS);
      variance += (p.atMs - meanT) ** 2;
    }
    const slope = variance > 0 ? covariance / variance : 0;
    const epsilon = -slope;
    // Frame 0's time is where the line meets the capture's first moment: solve a + b·t = t.
    const intercept = meanS - slope * meanT;
    return { startMs: intercept / (1 - slope), driftPpm: epsilon * 1e6 };
  }
}
