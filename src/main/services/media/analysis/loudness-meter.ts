/**
 * EBU R128 / ITU-R BS.1770-4 loudness, measured while streaming: K-weighting (the two biquads of
 * libebur128, computed for the file's own rate), energies per 100 ms sub-block, then integrated
 * loudness from 400 ms blocks (75 % overlap, gates at -70 LUFS and -10 LU) and loudness range from
 * 3 s short-term values (gates at -70 LUFS and -20 LU, 10th to 95th percentile, EBU Tech 3342).
 *
 * We measure in Node rather than with ffmpeg's ebur128 filter because that filter runs at about 6x
 * realtime here (16 s per hour with true peak); this meter keeps up with decoding.
 */

const ABSOLUTE_GATE_LUFS = -70;

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The K-weighting pre-filter (high shelf) and RLB high-pass for a sample rate, as in libebur128. */
export function kWeighting(sampleRate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highPass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  return [shelf, highPass];
}

/** BS.1770 channel weights: LFE ignored, surrounds +1.5 dB, for the common 5.1 order. */
export function channelWeights(channels: number): Float64Array {
  const weights = new Float64Array(channels).fill(1);
  if (channels === 6) {
    weights[3] = 0;
    weights[4] = 1.41;
    weights[5] = 1.41;
  }
  return weights;
}

export interface LoudnessResult {
  /** Null when nothing passes the absolute gate (silence). */
  integratedLufs: number | null;
  lra: number;
}

export class LoudnessMeter {
  private readonly shelf: Biquad;
  private readonly highPass: Biquad;
  private readonly weights: Float64Array;
  /** Per channel: shelf z1, z2, high-pass z1, z2 (transposed direct form II). */
  private readonly state: Float64Array;
  /** Per channel sum of squares in the current sub-block. */
  private readonly channelSums: Float64Array;
  private readonly subSums: number[] = [];
  private readonly subCounts: number[] = [];
  private framesInSub = 0;
  private subIndex = 0;
  private subEnd: number;

  constructor(
    private readonly sampleRate: number,
    private readonly channels: number,
  ) {
    [this.shelf, this.highPass] = kWeighting(sampleRate);
    this.weights = channelWeights(channels);
    this.state = new Float64Array(channels * 4);
    this.channelSums = new Float64Array(channels);
    this.subEnd = this.boundary(1);
  }

  /** Frame index where sub-block k starts; exact for rates not divisible by 10 too. */
  private boundary(k: number): number {
    return Math.round((k * this.sampleRate) / 10);
  }

  /**
   * Runs samples that precede this meter's range through the filters without measuring them, so
   * a meter for the second half of a file starts with the filter state the first half left.
   */
  prime(samples: Float32Array, frames: number): void {
    for (let c = 0; c < this.channels; c++) this.filter(samples, 0, frames, c);
  }

  /** Energies of the complete 100 ms sub-blocks so far, in order (for joining segments). */
  subBlocks(): { sums: number[]; counts: number[] } {
    return { sums: this.subSums, counts: this.subCounts };
  }

  /** Appends sub-blocks measured by a meter for the next segment of the same file. */
  appendSubBlocks(part: { sums: number[]; counts: number[] }): void {
    for (let i = 0; i < part.sums.length; i++) {
      this.subSums.push(part.sums[i]!);
      this.subCounts.push(part.counts[i]!);
    }
  }

  /** Feeds interleaved samples; `frames` complete frames of `channels` values. */
  push(samples: Float32Array, frames: number): void {
    let offset = 0;
    while (offset < frames) {
      const needed = this.subEnd - this.boundary(this.subIndex) - this.framesInSub;
      const take = Math.min(needed, frames - offset);
      for (let c = 0; c < this.channels; c++) {
        if (this.weights[c] === 0) continue;
        this.channelSums[c]! += this.filter(samples, offset, take, c);
      }
      offset += take;
      this.framesInSub += take;
      if (take === needed) this.closeSubBlock();
    }
  }

  private filter(samples: Float32Array, offset: number, take: number, c: number): number {
    // Coefficients and state in locals: this loop runs once per sample and channel.
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = this.highPass;
    const s = this.state;
    const base = c * 4;
    let z1 = s[base]!;
    let z2 = s[base + 1]!;
    let w1 = s[base + 2]!;
    let w2 = s[base + 3]!;
    let sum = 0;
    const stride = this.channels;
    const end = (offset + take) * stride;
    for (let i = offset * stride + c; i < end; i += stride) {
      const x = samples[i]!;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      const k = c0 * y + w1;
      w1 = c1 * y - d1 * k + w2;
      w2 = c2 * y - d2 * k;
      sum += k * k;
    }
    s[base] = z1;
    s[base + 1] = z2;
    s[base + 2] = w1;
    s[base + 3] = w2;
    return sum;
  }

  private closeSubBlock(): void {
    let weighted = 0;
    for (let c = 0; c < this.channels; c++) {
      weighted += this.weights[c]! * this.channelSums[c]!;
      this.channelSums[c] = 0;
    }
    this.subSums.push(weighted);
    this.subCounts.push(this.framesInSub);
    this.framesInSub = 0;
    this.subIndex++;
    this.subEnd = this.boundary(this.subIndex + 1);
  }

  /** Mean-square energies of windows of `length` sub-blocks, one per sub-block hop. */
  private windowEnergies(length: number): Float64Array {
    const n = this.subSums.length - length + 1;
    if (n <= 0) return new Float64Array(0);
    const out = new Float64Array(n);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < this.subSums.length; i++) {
      sum += this.subSums[i]!;
      count += this.subCounts[i]!;
      if (i >= length) {
        sum -= this.subSums[i - length]!;
        count -= this.subCounts[i - length]!;
      }
      if (i >= length - 1) out[i - length + 1] = sum / count;
    }
    return out;
  }

  result(): LoudnessResult {
    return { integratedLufs: this.integrated(), lra: this.loudnessRange() };
  }

  private integrated(): number | null {
    const blocks = this.windowEnergies(4);
    const absolute = energyOf(ABSOLUTE_GATE_LUFS);
    let sum = 0;
    let count = 0;
    for (const e of blocks) {
      if (e > absolute) {
        sum += e;
        count++;
      }
    }
    if (count === 0) return null;
    const relative = energyOf(loudnessOf(sum / count) - 10);
    const gate = Math.max(absolute, relative);
    sum = 0;
    count = 0;
    for (const e of blocks) {
      if (e > gate) {
        sum += e;
        count++;
      }
    }
    return count === 0 ? null : loudnessOf(sum / count);
  }

  private loudnessRange(): number {
    const shortTerm = this.windowEnergies(30);
    const absolute = energyOf(ABSOLUTE_GATE_LUFS);
    const gated = Array.from(shortTerm).filter((e) => e > absolute);
    if (gated.length === 0) return 0;
    const mean = gated.reduce((a, b) => a + b, 0) / gated.length;
    const relative = energyOf(loudnessOf(mean) - 20);
    const values = gated.filter((e) => e > relative).map(loudnessOf);
    if (values.length < 2) return 0;
    values.sort((a, b) => a - b);
    const at = (p: number) => values[Math.round((values.length - 1) * p)]!;
    return at(0.95) - at(0.1);
  }
}

export function loudnessOf(energy: number): number {
  return -0.691 + 10 * Math.log10(energy);
}

function energyOf(lufs: number): number {
  return 10 ** ((lufs + 0.691) / 10);
}
