import { PEAKS_LEVELS, type PeaksLevel } from '../../../../shared/peaks';

/**
 * Builds waveform peaks while streaming: min/max across channels for every PEAKS_LEVELS[0] frames
 * (or `samplesPerPair`: the finer peak tiles use the same code, so they match the stored levels),
 * then the coarser levels from those pairs.
 */
export class PeaksBuilder {
  private pairs = new Int16Array(1 << 16);
  private pairCount = 0;
  private framesInPair = 0;
  private min = 32767;
  private max = -32768;
  private frames = 0;
  private absMax = 0;

  /** Largest absolute sample value (linear), complete once finish() has run. */
  get samplePeak(): number {
    return this.absMax;
  }

  constructor(
    private readonly sampleRate: number,
    private readonly channels: number,
    private readonly spp: number = PEAKS_LEVELS[0],
  ) {}

  push(samples: Float32Array, frames: number): void {
    const stride = this.channels;
    const spp = this.spp;
    let min = this.min;
    let max = this.max;
    let inPair = this.framesInPair;
    let f = 0;
    while (f < frames) {
      const take = Math.min(spp - inPair, frames - f);
      const end = (f + take) * stride;
      for (let i = f * stride; i < end; i++) {
        const v = samples[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      f += take;
      inPair += take;
      if (inPair === spp) {
        this.emit(min, max);
        min = 32767;
        max = -32768;
        inPair = 0;
      }
    }
    this.min = min;
    this.max = max;
    this.framesInPair = inPair;
    this.frames += frames;
  }

  private emit(min: number, max: number): void {
    if (-min > this.absMax) this.absMax = -min;
    if (max > this.absMax) this.absMax = max;
    if (this.pairCount * 2 + 2 > this.pairs.length) {
      const grown = new Int16Array(this.pairs.length * 2);
      grown.set(this.pairs);
      this.pairs = grown;
    }
    this.pairs[this.pairCount * 2] = toInt16(min);
    this.pairs[this.pairCount * 2 + 1] = toInt16(max);
    this.pairCount++;
  }

  /** The finest level's pairs and the frames they cover; segments aligned to PEAKS_LEVELS[0] join. */
  finishFinest(): { pairs: Int16Array; frames: number } {
    if (this.framesInPair > 0) {
      this.emit(this.min, this.max);
      this.framesInPair = 0;
    }
    return { pairs: this.pairs.slice(0, this.pairCount * 2), frames: this.frames };
  }

  /** All levels, finest first. */
  finish(): PeaksLevel[] {
    const { pairs, frames } = this.finishFinest();
    return peaksLevels(pairs, frames, this.sampleRate);
  }
}

/** Every stored level from the finest pairs: each coarser level is min/max over the finer one. */
export function peaksLevels(finest: Int16Array, frames: number, sampleRate: number): PeaksLevel[] {
  const levels: PeaksLevel[] = [
    { sampleRate, samplesPerPair: PEAKS_LEVELS[0], frames, data: finest },
  ];
  for (let i = 1; i < PEAKS_LEVELS.length; i++) {
    const previous = levels[i - 1]!;
    const factor = PEAKS_LEVELS[i]! / PEAKS_LEVELS[i - 1]!;
    levels.push({
      sampleRate,
      samplesPerPair: PEAKS_LEVELS[i]!,
      frames,
      data: coarsen(previous.data, factor),
    });
  }
  return levels;
}

function toInt16(v: number): number {
  const scaled = Math.round(v * 32767);
  return Math.min(32767, Math.max(-32768, scaled));
}

function coarsen(pairs: Int16Array, factor: number): Int16Array {
  const count = Math.ceil(pairs.length / 2 / factor);
  const out = new Int16Array(count * 2);
  for (let i = 0; i < count; i++) {
    let min = 32767;
    let max = -32768;
    const end = Math.min((i + 1) * factor, pairs.length / 2);
    for (let j = i * factor; j < end; j++) {
      if (pairs[j * 2]! < min) min = pairs[j * 2]!;
      if (pairs[j * 2 + 1]! > max) max = pairs[j * 2 + 1]!;
    }
    out[i * 2] = min;
    out[i * 2 + 1] = max;
  }
  return out;
}
