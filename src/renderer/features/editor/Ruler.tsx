import { useRef, useState } from 'react';
import { type EditMarker, moveMarker } from '../../../shared/edit';
import { presentEdit, useEditor } from '../../state/editor';
import { useAnimationFrame, useThemeColors } from '../../ui/theme-colors';
import { playback } from './playback-control';
import { nearestTarget, snapTargets } from './snapping';
import { formatTimecode, rulerLabel, rulerStep, sampleToX, xToSample } from './timeline-geometry';

/** Two rows: marker flags on top (16 px, CSS), time labels and ticks below, never under a flag. */
const RULER_HEIGHT = 36;
const LABEL_TOP = 19;
const COLORS = { text: '--muted', tick: '--border', accent: '--accent' };

/**
 * Time along the top: ticks at a round step for the zoom, the markers as flags (click to select,
 * drag to move), and the playhead. Pressing and dragging here moves the playhead and scrubs.
 */
export function Ruler() {
  const view = useEditor((s) => s.view);
  const markers = useEditor((s) => presentEdit(s)?.markers ?? []);
  const selectedMarker = useEditor((s) => s.selection.markerId);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors(canvasRef, COLORS);
  const scrubbing = useRef(false);
  const [markerDrag, setMarkerDrag] = useState<{ id: string; position: number } | null>(null);

  useAnimationFrame(() => {
    const canvas = canvasRef.current;
    const palette = colors.current;
    if (!canvas || !palette) return;
    const state = useEditor.getState();
    const dpr = window.devicePixelRatio || 1;
    const width = state.view.width;
    if (canvas.width !== Math.round(width * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(RULER_HEIGHT * dpr);
      canvas.style.width = `${width}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, RULER_HEIGHT);
    const step = rulerStep(state.view.samplesPerPixel);
    const first = Math.floor(state.view.start / step) * step;
    const end = state.view.start + width * state.view.samplesPerPixel;
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (let t = first; t <= end; t += step) {
      const x = Math.round(sampleToX(state.view, t)) + 0.5;
      ctx.fillStyle = palette.tick;
      ctx.fillRect(x, RULER_HEIGHT - 10, 1, 10);
      ctx.fillStyle = palette.text;
      ctx.fillText(rulerLabel(t, step), x + 3, LABEL_TOP);
      for (let minor = 1; minor < 4; minor++) {
        const mx = Math.round(sampleToX(state.view, t + (step * minor) / 4)) + 0.5;
        ctx.fillStyle = palette.tick;
        ctx.fillRect(mx, RULER_HEIGHT - 4, 1, 4);
      }
    }
    const px = sampleToX(state.view, playback.position());
    if (px >= -6 && px <= width + 6) {
      ctx.fillStyle = palette.accent;
      ctx.beginPath();
      ctx.moveTo(px - 6, RULER_HEIGHT - 9);
      ctx.lineTo(px + 6, RULER_HEIGHT - 9);
      ctx.lineTo(px, RULER_HEIGHT);
      ctx.fill();
    }
  });

  const sampleAt = (e: React.PointerEvent<HTMLElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return xToSample(useEditor.getState().view, e.clientX - box.left);
  };

  const placePlayhead = (sample: number) => {
    if (!playback.seek(sample)) {
      useEditor.getState().setPlayhead(sample);
      playback.scrub(sample);
    }
  };

  const markerPosition = (marker: EditMarker) =>
    markerDrag?.id === marker.id ? markerDrag.position : marker.position;

  return (
    <div
      className="ruler"
      onPointerDown={(e) => {
        if (e.button !== 0 || e.target !== e.currentTarget.firstChild) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        scrubbing.current = true;
        placePlayhead(sampleAt(e));
      }}
      onPointerMove={(e) => {
        if (scrubbing.current) placePlayhead(sampleAt(e));
      }}
      onPointerUp={() => {
        scrubbing.current = false;
      }}
    >
      <canvas ref={canvasRef} height={RULER_HEIGHT} />
      {markers.map((marker) => {
        const x = sampleToX(view, markerPosition(marker));
        if (x < -4 || x > view.width + 4) return null;
        return (
          <button
            key={marker.id}
            type="button"
            className={`marker-flag ${marker.kind}`}
            style={{ transform: `translateX(${x}px)` }}
            aria-pressed={selectedMarker === marker.id}
            aria-label={`${marker.kind === 'chapter' ? 'Chapter' : marker.kind === 'ad' ? 'Ad' : 'Note'} “${marker.title}” at ${formatTimecode(marker.position)}`}
            title={`${marker.title} (${formatTimecode(marker.position)}): drag to move`}
            onPointerDown={(e) => {
              e.stopPropagation();
              if (e.button !== 0) return;
              e.currentTarget.setPointerCapture(e.pointerId);
              useEditor.getState().select({ markerId: marker.id, clipIds: [], range: null });
              setMarkerDrag({ id: marker.id, position: marker.position });
            }}
            onPointerMove={(e) => {
              if (markerDrag?.id !== marker.id) return;
              const parent = e.currentTarget.parentElement!.getBoundingClientRect();
              const state = useEditor.getState();
              const edit = presentEdit(state);
              let position = xToSample(state.view, e.clientX - parent.left);
              if (edit && state.snapping !== e.altKey) {
                const targets = snapTargets(
                  { ...edit, markers: edit.markers.filter((m) => m.id !== marker.id) },
                  { playhead: state.playhead },
                );
                position =
                  nearestTarget(targets, position, 8 * state.view.samplesPerPixel) ?? position;
              }
              setMarkerDrag({ id: marker.id, position });
            }}
            onPointerUp={() => {
              if (markerDrag?.id === marker.id && markerDrag.position !== marker.position) {
                const { position } = markerDrag;
                useEditor
                  .getState()
                  .change((e) => moveMarker(e, { markerId: marker.id, position }));
              } else if (markerDrag?.id === marker.id) {
                placePlayhead(marker.position);
              }
              setMarkerDrag(null);
            }}
          >
            <span>{marker.title}</span>
          </button>
        );
      })}
    </div>
  );
}
