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
/**
 * Drift needs this many windows (2 minutes) before it means anything: the windows' minima scatter
 * by a few tenths of a millisecond, which over two minutes is a few ppm, well under the 21 ppm
 * that gets corrected. (A PulseAudio null sink's monitor, which runs on the computer's clock,
 * measures +20 to +22 ppm while something plays into the sink, through ffmpeg and through parec
 * alike: the sink itself renders that much fast then.)
 */
const MIN_WINDOWS_FOR_DRIFT = 60;
/** Without a drift, frame 0's time comes from the blocks of the capture's first 20 s. */
const START_SPAN_MS = 20_000;
/** A window whose minimum lies this far above the hull's line had every block late: left out. */
const LATE_WINDOW_MS = 1;

export interface ClockFit {
  /** Frame 0's capture time (ms). */
  startMs: number;
  /** Device rate error against the computer's clock; null before two minutes of audio. */
  driftPpm: number | null;
}

export class CaptureClock {
  private best = Number.POSITIVE_INFINITY;
  private readonly minima: { atMs: number; startMs: number }[] = [];
  private windowStart = Number.NaN;
  private line: { windows: number; a: number; b: number; driftPpm: number | null } | null = null;

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
   * `arrival − frames / rate` as the clock stands at `timeMs`: the plain minimum until the drift
   * is measured, then the fitted line there. With a slow device the plain minimum stays at its
   * early value while the truth climbs, so frame numbers taken from it would run ahead by the
   * drift times the time since arming. The fit is cached per window, as it walks every window.
   */
  startAt(timeMs: number): number {
    if (this.minima.length < MIN_WINDOWS_FOR_DRIFT + 2) return this.best;
    if (this.line === null || this.line.windows !== this.minima.length)
      this.line = { windows: this.minima.length, ...this.fitLine() };
    return this.line.driftPpm === null ? this.best : this.line.a + this.line.b * timeMs;
  }

  /**
   * A straight line through the windows' minima, `startMs(t) = a + b·t`; a device whose clock is
   * fast by ε gives b = −ε. Least squares alone would be pulled up by windows whose every block
   * came late (a busy computer at the start of a take), so those are found first and left out:
   * the line under all minima that lies closest to them (the lower convex hull's edge above their
   * mean time, Moon, Skelly and Towsley's skew estimate) is robust to them, and any window more
   * than LATE_WINDOW_MS above it is dropped. Without enough windows: the least delay of the first 20 s, no drift.
   */
  fit(): ClockFit {
    const line = this.fitLine();
    if (line.driftPpm === null) return { startMs: line.startMs, driftPpm: null };
    // Frame 0's time is where the line meets the capture's first moment: solve a + b·t = t.
    return { startMs: line.a / (1 - line.b), driftPpm: line.driftPpm };
  }

  private fitLine(): { a: number; b: number; driftPpm: number | null; startMs: number } {
    const all = this.minima.length > 2 ? this.minima.slice(1, -1) : this.minima; // first and last windows are partial
    if (all.length < MIN_WINDOWS_FOR_DRIFT) {
      // The least delay of the first seconds: later blocks carry whatever the delay wandered to.
      const first = this.minima[0]?.atMs ?? 0;
      const early = this.minima.filter((p) => p.atMs - first <= START_SPAN_MS);
      const startMs = Math.min(...early.map((p) => p.startMs));
      return {
        a: this.best,
        b: 0,
        driftPpm: null,
        startMs: Number.isFinite(startMs) ? startMs : this.best,
      };
    }
    const under = lineUnder(all);
    const kept = all.filter((p) => p.startMs - (under.a + under.b * p.atMs) <= LATE_WINDOW_MS);
    const n = kept.length;
    const meanT = kept.reduce((sum, p) => sum + p.atMs, 0) / n;
    const meanS = kept.reduce((sum, p) => sum + p.startMs, 0) / n;
    let covariance = 0;
    let variance = 0;
    for (const p of kept) {
      covariance += (p.atMs - meanT) * (p.startMs - meanS);
      variance += (p.atMs - meanT) ** 2;
    }
    const slope = variance > 0 ? covariance / variance : 0;
    const intercept = meanS - slope * meanT;
    return { a: intercept, b: slope, driftPpm: -slope * 1e6, startMs: intercept / (1 - slope) };
  }
}

/** The supporting line of the points' lower convex hull at their mean time. */
function lineUnder(points: readonly { atMs: number; startMs: number }[]): { a: number; b: number } {
  const hull: { atMs: number; startMs: number }[] = [];
  for (const p of points) {
    while (hull.length >= 2) {
      const [o, q] = [hull[hull.length - 2]!, hull[hull.length - 1]!];
      const cross =
        (q.atMs - o.atMs) * (p.startMs - o.startMs) - (q.startMs - o.startMs) * (p.atMs - o.atMs);
      if (cross > 0) break;
      hull.pop();
    }
    hull.push(p);
  }
  const meanT = points.reduce((sum, p) => sum + p.atMs, 0) / points.length;
  let k = 0;
  while (k < hull.length - 2 && hull[k + 1]!.atMs < meanT) k++;
  const [left, right] = [hull[k]!, hull[k + 1]!];
  const b = (right.startMs - left.startMs) / (right.atMs - left.atMs);
  return { a: left.startMs - b * left.atMs, b };
}
