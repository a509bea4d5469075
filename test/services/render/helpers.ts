import { readFileSync } from 'node:fs';
import { parseWavLayout } from '../../../src/main/services/recording/wav-file';
import type { Clip, Edit, EditTrack } from '../../../src/shared/edit/model';

export interface Pcm {
  sampleRate: number;
  channels: number;
  /** Frames in the file. */
  length: number;
  /** One array per channel. */
  data: Float32Array[];
}

/** Reads a 32-bit float WAV into per-channel arrays. */
export function readFloatWav(path: string): Pcm {
  const file = readFileSync(path);
  const layout = parseWavLayout(file.subarray(0, 4096));
  if (!layout) throw new Error(`${path} is not a WAV`);
  const channels = layout.frameBytes / 4;
  const length = Math.floor((file.length - layout.dataOffset) / layout.frameBytes);
  const data = Array.from({ length: channels }, () => new Float32Array(length));
  for (let i = 0; i < length; i++) {
    for (let c = 0; c < channels; c++) {
      data[c]![i] = file.readFloatLE(layout.dataOffset + i * layout.frameBytes + c * 4);
    }
  }
  return { sampleRate: layout.sampleRate, channels, length, data };
}

/** Indices of samples whose magnitude is above `threshold`. */
export function peaksAbove(samples: Float32Array, threshold: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]!) > threshold) found.push(i);
  return found;
}

let nextId = 0;

export function clip(
  fields: Partial<Clip> & Pick<Clip, 'assetId' | 'sourceIn' | 'sourceOut' | 'timelineStart'>,
): Clip {
  nextId += 1;
  return { id: `clip${nextId}`, gainDb: 0, fadeIn: 0, fadeOut: 0, ...fields };
}

export function track(clips: Clip[], fields: Partial<EditTrack> = {}): EditTrack {
  nextId += 1;
  return {
    id: `track${nextId}`,
    name: `Track ${nextId}`,
    gainDb: 0,
    pan: 0,
    muted: false,
    solo: false,
    clips,
    ...fields,
  };
}

export function edit(tracks: EditTrack[]): Edit {
  return { version: 1, sampleRate: 48000, tracks, markers: [] };
}

export const CENTER = Math.SQRT1_2;

/**
 * An independent mono reference: each clip's samples times its gains and linear fades (k/n in,
 * (n-k)/n out), summed where they land. Tracks' mute/solo and pan are left to the caller.
 */
export function referenceMono(
  e: Edit,
  sources: ReadonlyMap<string, Float32Array>,
  length: number,
): Float64Array {
  const out = new Float64Array(length);
  for (const t of e.tracks) {
    for (const c of t.clips) {
      const src = sources.get(c.assetId)!;
      const n = c.sourceOut - c.sourceIn;
      const gain = 10 ** ((c.gainDb + t.gainDb) / 20);
      for (let k = 0; k < n; k++) {
        let g = gain;
        if (k < c.fadeIn) g *= k / c.fadeIn;
        const fromEnd = n - c.fadeOut;
        if (k >= fromEnd) g *= (n - k) / c.fadeOut;
        out[c.timelineStart + k]! += (src[c.sourceIn + k] ?? 0) * g;
      }
    }
  }
  return out;
}
