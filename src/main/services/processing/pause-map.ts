/**
 * Silence shortening as a map from input frames to output frames. Pauses longer than the maximum
 * keep their first and last halves of the maximum; the middle goes, with a 5 ms fade either side
 * of the cut so it never clicks. Applied while the cleaned audio is written, so every later step
 * (loudness, limiter, encoder) already sees the shortened timeline.
 */
export interface KeepSegment {
  /** Input frames [start, end) that are kept. */
  start: number;
  end: number;
  /** Where `start` lands in the output. */
  outputStart: number;
}

export const CUT_FADE_FRAMES = 240;

export class PauseMap {
  readonly segments: KeepSegment[];
  readonly outputFrames: number;

  constructor(
    readonly inputFrames: number,
    /** Input frames removed, [start, end), sorted and apart from each other. */
    readonly cuts: Array<[number, number]> = [],
  ) {
    const segments: KeepSegment[] = [];
    let position = 0;
    let output = 0;
    for (const [start, end] of cuts) {
      if (start > position) {
        segments.push({ start: position, end: start, outputStart: output });
        output += start - position;
      }
      position = end;
    }
    if (position < inputFrames) {
      segments.push({ start: position, end: inputFrames, outputStart: output });
      output += inputFrames - position;
    }
    this.segments = segments;
    this.outputFrames = output;
  }

  static fromQuiet(
    inputFrames: number,
    quiet: Array<[number, number]>,
    maxPauseFrames: number,
  ): PauseMap {
    const half = Math.floor(maxPauseFrames / 2);
    const cuts: Array<[number, number]> = [];
    for (const [start, end] of quiet) {
      const clippedEnd = Math.min(end, inputFrames);
      if (clippedEnd - start <= maxPauseFrames) continue;
      cuts.push([start + half, clippedEnd - (maxPauseFrames - half)]);
    }
    return new PauseMap(inputFrames, cuts);
  }

  get removedFrames(): number {
    return this.inputFrames - this.outputFrames;
  }

  /**
   * Calls `write` for each kept part of input frames [frame, frame + frames), with the cut fades
   * applied in place (the samples are the caller's scratch buffer).
   */
  async forEachKept(
    frame: number,
    samples: Float32Array,
    frames: number,
    channels: number,
    write: (outputFrame: number, kept: Float32Array) => Promise<void>,
  ): Promise<void> {
    const end = frame + frames;
    for (let i = this.firstSegmentAfter(frame); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      if (segment.start >= end) break;
      const from = Math.max(frame, segment.start);
      const to = Math.min(end, segment.end);
      if (to <= from) continue;
      const part = samples.subarray((from - frame) * channels, (to - frame) * channels);
      const fadeIn = segment.start > 0;
      const fadeOut = segment.end < this.inputFrames;
      for (let f = from; f < to; f++) {
        let gain = 1;
        if (fadeIn && f - segment.start < CUT_FADE_FRAMES)
          gain = (f - segment.start + 1) / (CUT_FADE_FRAMES + 1);
        if (fadeOut && segment.end - f <= CUT_FADE_FRAMES)
          gain = Math.min(gain, (segment.end - f) / (CUT_FADE_FRAMES + 1));
        if (gain === 1) continue;
        for (let c = 0; c < channels; c++) part[(f - from) * channels + c]! *= gain;
      }
      await write(segment.outputStart + (from - segment.start), part);
    }
  }

  /** Index of the first segment ending after `frame` (binary search). */
  private firstSegmentAfter(frame: number): number {
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.segments[mid]!.end <= frame) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
