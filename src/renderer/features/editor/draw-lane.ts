import type { EditAsset } from '../../../shared/domain';
import {
  type Clip,
  clipEnd,
  type DuckPoint,
  duckGainAt,
  type EditTrack,
} from '../../../shared/edit';
import { PEAK_TILE_SPPS } from '../../../shared/peaks';
import { MODEL_RATE } from '../../../shared/time';
import type { TimelineView, TimeRange } from '../../state/editor';
import { peakRange, tileResolution } from './peak-tiles';
import { dbToGain, FADE_BAND_PX, fadeGainAt, sampleToX } from './timeline-geometry';

/** Colours resolved from the theme's CSS variables. */
export interface LaneColors {
  wave: string;
  clip: string;
  clipBorder: string;
  accent: string;
  text: string;
  muted: string;
  danger: string;
  selection: string;
}

export interface LaneScene {
  track: EditTrack;
  view: TimelineView;
  height: number;
  colors: LaneColors;
  assets: Record<string, EditAsset>;
  selectedClipIds: ReadonlySet<string>;
  range: TimeRange | null;
  /** A dragged clip that cannot go where it is: drawn with a warning outline. */
  refusedClipId: string | null;
  /** True when some other track is soloed, so this one is silent. */
  silenced: boolean;
  /** A ducked music bed's envelope (duckEnvelope): its waveform is drawn lowered by it. */
  duck?: readonly DuckPoint[];
}

/** The gain a clip's sound gets at timeline sample `t`: its fades, and a bed's ducking. */
function drawnGainAt(scene: LaneScene, clip: Clip, t: number): number {
  const fade = fadeGainAt(clip, t);
  return scene.duck ? fade * duckGainAt(scene.duck, t) : fade;
}

/** Draws one track's lane: clips with their waveforms (from peak tiles), fades and names. */
export function drawLane(ctx: CanvasRenderingContext2D, scene: LaneScene): void {
  const { view, height, colors } = scene;
  ctx.clearRect(0, 0, view.width, height);
  const viewEnd = view.start + view.width * view.samplesPerPixel;
  const dim = scene.track.muted || scene.silenced;
  for (const clip of scene.track.clips) {
    if (clipEnd(clip) <= view.start || clip.timelineStart >= viewEnd) continue;
    drawClip(ctx, scene, clip, dim);
  }
  if (scene.range) {
    const x0 = sampleToX(view, scene.range.start);
    const x1 = sampleToX(view, scene.range.end);
    ctx.fillStyle = colors.selection;
    ctx.globalAlpha = 0.22;
    ctx.fillRect(x0, 0, x1 - x0, height);
    ctx.globalAlpha = 1;
  }
}

function drawClip(ctx: CanvasRenderingContext2D, scene: LaneScene, clip: Clip, dim: boolean): void {
  const { view, height, colors } = scene;
  const left = sampleToX(view, clip.timelineStart);
  const right = sampleToX(view, clipEnd(clip));
  const x0 = Math.max(0, Math.floor(left));
  const x1 = Math.min(view.width, Math.ceil(right));
  const selected = scene.selectedClipIds.has(clip.id);
  const asset = scene.assets[clip.assetId];
  const offline = !asset || asset.offline;

  ctx.globalAlpha = dim ? 0.45 : 1;
  ctx.fillStyle = colors.clip;
  ctx.fillRect(left, 1, right - left, height - 2);

  if (offline) {
    drawOffline(ctx, scene, left, right);
  } else if (view.samplesPerPixel < 1) {
    drawSamples(ctx, scene, clip, asset.sampleRate / MODEL_RATE, x0, x1);
  } else {
    drawPeaks(ctx, scene, clip, asset.sampleRate / MODEL_RATE, x0, x1);
  }
  drawFades(ctx, scene, clip, left, right);

  // Name and gain, kept in view while the clip's start is scrolled off to the left.
  if (right - left > 40) {
    ctx.fillStyle = offline ? colors.danger : colors.text;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    const label = offline
      ? `Offline: ${asset?.name ?? 'missing audio'}`
      : `${asset.name}${clip.gainDb !== 0 ? `  ${clip.gainDb > 0 ? '+' : ''}${clip.gainDb.toFixed(1)} dB` : ''}`;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, right - left - 4, height);
    ctx.clip();
    ctx.fillText(label, Math.max(left, 0) + 6, FADE_BAND_PX + 2);
    ctx.restore();
  }

  ctx.lineWidth = selected ? 2 : 1;
  ctx.strokeStyle =
    scene.refusedClipId === clip.id ? colors.danger : selected ? colors.accent : colors.clipBorder;
  ctx.strokeRect(left + 0.5, 1.5, right - left - 1, height - 3);
  ctx.globalAlpha = 1;
}

/**
 * Waveform columns from min/max peaks; a finer tile not here yet is stood in for by a coarser one.
 * `ratio` turns the edit's 48 kHz source positions into the peaks' (the source file's rate).
 */
function drawPeaks(
  ctx: CanvasRenderingContext2D,
  scene: LaneScene,
  clip: Clip,
  ratio: number,
  x0: number,
  x1: number,
): void {
  const { view, height, colors } = scene;
  const mid = height / 2;
  const scale = (height / 2 - 3) * dbToGain(clip.gainDb);
  const spp = view.samplesPerPixel;
  const wanted = tileResolution(spp * ratio);
  const fallbacks = PEAK_TILE_SPPS.filter((r) => r > wanted);
  const end = clipEnd(clip);
  ctx.fillStyle = colors.wave;
  for (let x = x0; x < x1; x++) {
    const t0 = Math.max(clip.timelineStart, Math.floor(view.start + x * spp));
    const t1 = Math.min(end, Math.floor(view.start + (x + 1) * spp));
    if (t1 <= t0) continue;
    const s0 = Math.floor((clip.sourceIn + (t0 - clip.timelineStart)) * ratio);
    const s1 = Math.max(s0 + 1, Math.floor((clip.sourceIn + (t1 - clip.timelineStart)) * ratio));
    let peak = peakRange(clip.assetId, wanted, s0, s1, true);
    for (let i = 0; !peak && i < fallbacks.length; i++) {
      peak = peakRange(clip.assetId, fallbacks[i]!, s0, s1, false);
    }
    if (!peak) continue;
    const gain = scale * drawnGainAt(scene, clip, (t0 + t1) / 2);
    const top = mid - peak.max * gain;
    const bottom = mid - peak.min * gain;
    ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
}

/** Zoomed in past one sample a pixel: each sample as a point on a line. */
function drawSamples(
  ctx: CanvasRenderingContext2D,
  scene: LaneScene,
  clip: Clip,
  ratio: number,
  x0: number,
  x1: number,
): void {
  const { view, height, colors } = scene;
  const mid = height / 2;
  const scale = (height / 2 - 3) * dbToGain(clip.gainDb);
  const first = Math.max(clip.timelineStart, Math.floor(view.start + x0 * view.samplesPerPixel));
  const last = Math.min(clipEnd(clip), Math.ceil(view.start + x1 * view.samplesPerPixel) + 1);
  const pxPerSample = 1 / view.samplesPerPixel;
  ctx.strokeStyle = colors.wave;
  ctx.fillStyle = colors.wave;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const points: [number, number][] = [];
  for (let t = first; t < last; t++) {
    const s = Math.floor((clip.sourceIn + (t - clip.timelineStart)) * ratio);
    const peak = peakRange(clip.assetId, 1, s, s + 1, true);
    if (!peak) continue;
    const x = sampleToX(view, t) + pxPerSample / 2;
    const y = mid - peak.max * scale * drawnGainAt(scene, clip, t);
    points.push([x, y]);
  }
  for (const [i, [x, y]] of points.entries()) {
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
  if (pxPerSample >= 6) for (const [x, y] of points) ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
}

function drawFades(
  ctx: CanvasRenderingContext2D,
  scene: LaneScene,
  clip: Clip,
  left: number,
  right: number,
): void {
  const { view, height, colors } = scene;
  const fadeInEnd = sampleToX(view, clip.timelineStart + clip.fadeIn);
  const fadeOutStart = sampleToX(view, clipEnd(clip) - clip.fadeOut);
  ctx.strokeStyle = colors.accent;
  ctx.lineWidth = 1.5;
  if (clip.fadeIn > 0) {
    ctx.beginPath();
    ctx.moveTo(left, height - 2);
    ctx.lineTo(fadeInEnd, FADE_BAND_PX / 2);
    ctx.stroke();
  }
  if (clip.fadeOut > 0) {
    ctx.beginPath();
    ctx.moveTo(fadeOutStart, FADE_BAND_PX / 2);
    ctx.lineTo(right, height - 2);
    ctx.stroke();
  }
  // Handles: the grips the user drags to lengthen or shorten each fade.
  if (right - left > 24) {
    ctx.fillStyle = colors.accent;
    ctx.fillRect(fadeInEnd - 4, 2, 8, 8);
    ctx.fillRect(fadeOutStart - 4, 2, 8, 8);
  }
}

function drawOffline(
  ctx: CanvasRenderingContext2D,
  scene: LaneScene,
  left: number,
  right: number,
): void {
  const { height, colors } = scene;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, 1, right - left, height - 2);
  ctx.clip();
  ctx.strokeStyle = colors.danger;
  ctx.globalAlpha = 0.35;
  ctx.lineWidth = 1;
  const from = Math.max(left, -height);
  const to = Math.min(right, scene.view.width + height);
  ctx.beginPath();
  for (let x = from - (from % 12); x < to + height; x += 12) {
    ctx.moveTo(x, height);
    ctx.lineTo(x + height, 0);
  }
  ctx.stroke();
  ctx.restore();
}
