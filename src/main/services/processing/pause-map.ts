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
      // Only the frames within a fade of a cut are touched (the stream passes here sample by
      // sample otherwise: an hour is 173 million of them).
      const fadeInEnd = segment.start > 0 ? segment.start + CUT_FADE_FRAMES : segment.start;
      const fadeOutStart =
        segment.end < this.inputFrames ? segment.end - CUT_FADE_FRAMES : segment.end;
      const fade = (f: number) => {
        let gain = 1;
        if (f < fadeInEnd) gain = (f - segment.start + 1) / (CUT_FADE_FRAMES + 1);
        if (f >= fadeOutStart) gain = Math.min(gain, (segment.end - f) / (CUT_FADE_FRAMES + 1));
        for (let c = 0; c < channels; c++) part[(f - from) * channels + c]! *= gain;
      };
      for (let f = from; f < Math.min(to, fadeInEnd); f++) fade(f);
      for (let f = Math.max(from, fadeOutStart, fadeInEnd); f < to; f++) fade(f);
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
