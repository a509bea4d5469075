import type { Clip } from '../../../shared/edit';
import type { TimelineView } from '../../state/editor';

/** Between timeline samples and CSS pixels of the lanes, for the current view. */

export function sampleToX(view: TimelineView, sample: number): number {
  return (sample - view.start) / view.samplesPerPixel;
}

export function xToSample(view: TimelineView, x: number): number {
  return Math.max(0, Math.round(view.start + x * view.samplesPerPixel));
}

export const LANE_HEIGHT = 96;
/** How close (in pixels) the pointer must be to a clip's edge to trim it, or to a fade handle. */
export const EDGE_GRAB_PX = 6;
/** The band at the top of a clip where its fade handles sit. */
export const FADE_BAND_PX = 14;

/** The gain (linear) of a clip's fades at timeline sample `t`: 1 outside the fades. */
export function fadeGainAt(clip: Clip, t: number): number {
  const offset = t - clip.timelineStart;
  const length = clip.sourceOut - clip.sourceIn;
  let gain = 1;
  if (clip.fadeIn > 0 && offset < clip.fadeIn) gain *= Math.max(0, offset / clip.fadeIn);
  const fromEnd = length - offset;
  if (clip.fadeOut > 0 && fromEnd < clip.fadeOut) gain *= Math.max(0, fromEnd / clip.fadeOut);
  return gain;
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/** A position as h:mm:ss.mmm (or m:ss.mmm under an hour): what the toolbar and inspector show. */
export function formatTimecode(samples: number, rate = 48_000): string {
  const totalMs = Math.round((samples / rate) * 1000);
  const ms = totalMs % 1000;
  const totalSeconds = Math.floor(totalMs / 1000);
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  const mmss = `${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${mmss}` : `${m}:${mmss}`;
}

/** Ruler tick spacing: a round step in samples that leaves at least `minPx` between labels. */
export function rulerStep(samplesPerPixel: number, minPx = 90, rate = 48_000): number {
  const steps = [
    1, 10, 100, 480, 960, 2400, 4800, 12_000, 24_000, 48_000, 96_000, 240_000, 480_000, 1_440_000,
    2_880_000, 5_760_000, 14_400_000, 28_800_000, 57_600_000, 172_800_000,
  ];
  for (const step of steps) if (step / samplesPerPixel >= minPx) return step;
  return rate * 3600;
}

/** A ruler label for a tick at `sample` when ticks are `step` apart. */
export function rulerLabel(sample: number, step: number, rate = 48_000): string {
  if (step < 48) return `${sample.toLocaleString('en-US')}`;
  const code = formatTimecode(sample, rate);
  if (step >= rate) return code.replace(/\.\d{3}$/, '');
  return code;
}
