/** One track's meter reading over the last ~50 ms, linear (1.0 = full scale). */
export interface TrackLevel {
  track: number;
  peak: number;
  rms: number;
}

/** Peak and RMS of the float samples seen since the last reading. */
export class LevelMeter {
  private peak = 0;
  private sumSquares = 0;
  private count = 0;

  /** Whole 32-bit float samples, little-endian. */
  add(bytes: Buffer): void {
    for (let i = 0; i + 4 <= bytes.length; i += 4) {
      const sample = bytes.readFloatLE(i);
      const magnitude = Math.abs(sample);
      if (magnitude > this.peak) this.peak = magnitude;
      this.sumSquares += sample * sample;
    }
    this.count += Math.floor(bytes.length / 4);
  }

  /** The reading since the last call, then starts over. */
  take(track: number): TrackLevel {
    const level = {
      track,
      peak: this.peak,
      rms: this.count > 0 ? Math.sqrt(this.sumSquares / this.count) : 0,
    };
    this.peak = 0;
    this.sumSquares = 0;
    this.count = 0;
    return level;
  }
}
