import { useEffect, useRef } from 'react';
import { type DuckPoint, duckEnvelopes, type Edit, type Interval } from '../../../shared/edit';
import { presentEdit, type TimeRange, useEditor } from '../../state/editor';
import { useAnimationFrame, useThemeColors } from '../../ui/theme-colors';
import { drawLane, type LaneColors } from './draw-lane';
import { revealSample } from './editor-commands';
import { cursorFor, dragOperation, type Grab, grabAt } from './lane-gestures';
import { onTileLoaded, tilesLoading } from './peak-tiles';
import { audibleTrackIds } from './playback/plan-segments';
import { playback } from './playback-control';
import { Ruler } from './Ruler';
import { snapTargets } from './snapping';
import { TrackHeader } from './TrackHeader';
import { LANE_HEIGHT, sampleToX, xToSample } from './timeline-geometry';

const COLOR_VARIABLES: Record<keyof LaneColors, string> = {
  wave: '--wave',
  clip: '--surface-2',
  clipBorder: '--border',
  accent: '--accent',
  text: '--text',
  muted: '--muted',
  danger: '--danger',
  selection: '--accent',
};

const SNAP_PX = 8;

interface Drag {
  grab: Grab;
  pointerX: number;
  startSample: number;
  moved: boolean;
  /** For a range drag: where it started. */
  rangeFrom: number;
  shift: boolean;
}

/**
 * The lanes: one canvas per track drawn from peak tiles, under a ruler with markers and a
 * playhead. Drags show live (the operation applied to the present edit without making a step)
 * and become one undo step when released.
 */
export function Timeline() {
  const edit = useEditor((s) => presentEdit(s));
  const view = useEditor((s) => s.view);
  const setView = useEditor((s) => s.setView);
  const lanesRef = useRef<HTMLDivElement>(null);
  const canvases = useRef(new Map<string, HTMLCanvasElement>());
  const colors = useThemeColors(lanesRef, COLOR_VARIABLES);
  const playheadRef = useRef<HTMLDivElement>(null);
  const preview = useRef<{ edit: Edit; refusedClipId: string | null } | null>(null);
  const drag = useRef<Drag | null>(null);
  const dirty = useRef(true);
  // Ducked beds are drawn as they will sound: their envelopes, kept until the edit or the speech
  // activity changes.
  const duckMemo = useRef<{
    edit: Edit;
    activity: ReadonlyMap<string, readonly Interval[]>;
    envelopes: Map<string, DuckPoint[]>;
  } | null>(null);
  const duckEnvelopesOf = (shown: Edit) => {
    const activity = playback.speechActivity();
    const memo = duckMemo.current;
    if (memo?.edit === shown && memo.activity === activity) return memo.envelopes;
    const envelopes = duckEnvelopes(shown, activity);
    duckMemo.current = { edit: shown, activity, envelopes };
    return envelopes;
  };
  const paintedColors = useRef<LaneColors | null>(null);

  // The lanes' width sets the view's.
  useEffect(() => {
    const element = lanesRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      const width = Math.max(100, Math.floor(element.clientWidth));
      if (width !== useEditor.getState().view.width) setView({ width });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [setView]);

  // Repaint when anything drawn changes: the edit, view, selection, assets, tiles arriving.
  useEffect(() => {
    const mark = () => {
      dirty.current = true;
    };
    const offStore = useEditor.subscribe(mark);
    const offTiles = onTileLoaded(mark);
    const offPlayback = playback.subscribe(mark);
    return () => {
      offStore();
      offTiles();
      offPlayback();
    };
  }, []);

  useAnimationFrame(() => {
    // The playhead moves every frame while playing, straight from the engine's clock.
    const state = useEditor.getState();
    const position = playback.position();
    if (playheadRef.current) {
      const x = sampleToX(state.view, position);
      playheadRef.current.style.transform = `translateX(${x}px)`;
      playheadRef.current.hidden = x < 0 || x > state.view.width;
    }
    if (playback.playing()) followPlayhead(position);
    // A new theme resolves new colours (a new object): repaint with them too.
    const laneColors = colors.current;
    if (!laneColors || (!dirty.current && laneColors === paintedColors.current)) return;
    dirty.current = false;
    paintedColors.current = laneColors;
    paint(laneColors);
  });

  const paint = (laneColors: LaneColors) => {
    const state = useEditor.getState();
    const shown = preview.current?.edit ?? presentEdit(state);
    if (!shown) return;
    const dpr = window.devicePixelRatio || 1;
    const audible = audibleTrackIds(shown);
    const ducks = duckEnvelopesOf(shown);
    const selected = new Set(state.selection.clipIds);
    for (const track of shown.tracks) {
      const canvas = canvases.current.get(track.id);
      if (!canvas) continue;
      const width = state.view.width;
      if (canvas.width !== Math.round(width * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(LANE_HEIGHT * dpr);
        canvas.style.width = `${width}px`;
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawLane(ctx, {
        track,
        view: state.view,
        height: LANE_HEIGHT,
        colors: laneColors,
        assets: state.assets,
        selectedClipIds: selected,
        range: state.selection.range,
        refusedClipId: preview.current?.refusedClipId ?? null,
        silenced: !audible.has(track.id) && !track.muted,
        duck: ducks.get(track.id),
      });
    }
    const lanes = lanesRef.current;
    if (lanes && tilesLoading() === 0) {
      lanes.dataset.painted = String(Number(lanes.dataset.painted ?? 0) + 1);
      window.dispatchEvent(new CustomEvent('studio:timeline-painted'));
    }
  };

  if (!edit) return null;

  const trackAt = (clientY: number): string | null => {
    for (const [trackId, canvas] of canvases.current) {
      const box = canvas.getBoundingClientRect();
      if (clientY >= box.top && clientY < box.bottom) return trackId;
    }
    return null;
  };

  const onPointerDown = (trackId: string, e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    const state = useEditor.getState();
    const present = presentEdit(state);
    if (!present) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - box.left;
    const grab = grabAt(present, trackId, state.view, x, e.clientY - box.top);
    e.currentTarget.setPointerCapture(e.pointerId);
    lanesRef.current?.focus({ preventScroll: true });
    const at = xToSample(state.view, x);
    drag.current = {
      grab,
      pointerX: e.clientX,
      startSample: at,
      moved: false,
      rangeFrom: at,
      shift: e.shiftKey,
    };
    if (grab.kind === 'empty') {
      state.select({ clipIds: [], markerId: null, range: null, trackId });
      return;
    }
    const { clip } = grab;
    const already = state.selection.clipIds.includes(clip.id);
    if (e.shiftKey || e.metaKey || e.ctrlKey) {
      const clipIds = already
        ? state.selection.clipIds.filter((id) => id !== clip.id)
        : [...state.selection.clipIds, clip.id];
      state.select({ clipIds, markerId: null, range: null, trackId });
    } else if (!already) {
      state.select({ clipIds: [clip.id], markerId: null, range: null, trackId });
    }
  };

  const onPointerMove = (trackId: string, e: React.PointerEvent<HTMLCanvasElement>) => {
    const state = useEditor.getState();
    const present = presentEdit(state);
    if (!present) return;
    const box = e.currentTarget.getBoundingClientRect();
    const current = drag.current;
    if (!current) {
      e.currentTarget.style.cursor = cursorFor(
        grabAt(present, trackId, state.view, e.clientX - box.left, e.clientY - box.top),
      );
      return;
    }
    const dx = e.clientX - current.pointerX;
    if (!current.moved && Math.abs(dx) < 3) return;
    current.moved = true;
    const delta = Math.round(dx * state.view.samplesPerPixel);
    if (current.grab.kind === 'empty') {
      const to = xToSample(state.view, e.clientX - box.left);
      const range: TimeRange = {
        start: Math.min(current.rangeFrom, to),
        end: Math.max(current.rangeFrom, to),
      };
      state.select({ range: range.end > range.start ? range : null });
      return;
    }
    const exclude = new Set(
      current.grab.kind === 'move'
        ? [current.grab.clip.id, ...state.selection.clipIds]
        : [current.grab.clip.id],
    );
    const operation = dragOperation(current.grab, {
      edit: present,
      assets: state.assets,
      delta,
      overTrackId: trackAt(e.clientY) ?? current.grab.trackId,
      selectedClipIds: state.selection.clipIds,
      targets:
        state.snapping !== e.altKey
          ? snapTargets(present, { playhead: state.playhead, excludeClipIds: exclude })
          : null,
      threshold: SNAP_PX * state.view.samplesPerPixel,
    });
    if (!operation) return;
    try {
      preview.current = { edit: operation(present), refusedClipId: null };
    } catch {
      // Shown, not told: the drag goes on and only a release where it cannot go is refused.
      preview.current = { edit: present, refusedClipId: current.grab.clip.id };
    }
    dirty.current = true;
  };

  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const current = drag.current;
    drag.current = null;
    const hadPreview = preview.current;
    preview.current = null;
    dirty.current = true;
    if (!current) return;
    const state = useEditor.getState();
    const present = presentEdit(state);
    if (!present) return;
    if (!current.moved) {
      // A click: the playhead goes there (and plays on from there while playing).
      const box = e.currentTarget.getBoundingClientRect();
      const at = xToSample(state.view, e.clientX - box.left);
      if (!playback.seek(at)) state.setPlayhead(at);
      return;
    }
    if (current.grab.kind === 'empty' || !hadPreview) return;
    if (hadPreview.edit !== present) state.change(() => hadPreview.edit);
    else if (hadPreview.refusedClipId) {
      // Released where it cannot go: run it for real so the reason is told.
      const operation = dragOperation(current.grab, {
        edit: present,
        assets: state.assets,
        delta: Math.round((e.clientX - current.pointerX) * state.view.samplesPerPixel),
        overTrackId: trackAt(e.clientY) ?? current.grab.trackId,
        selectedClipIds: state.selection.clipIds,
        targets: null,
        threshold: 0,
      });
      if (operation) state.change(operation);
    }
  };

  const onWheel = (e: React.WheelEvent<HTMLDivElement>) => {
    const state = useEditor.getState();
    const box = e.currentTarget.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) {
      const anchor = xToSample(state.view, e.clientX - box.left);
      state.zoom(e.deltaY < 0 ? 1.25 : 0.8, anchor);
    } else {
      const px = Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey ? e.deltaX || e.deltaY : 0;
      if (px !== 0) state.setView({ start: state.view.start + px * state.view.samplesPerPixel });
    }
  };

  return (
    <div className="timeline">
      <div className="timeline-corner" />
      <Ruler />
      <div className="timeline-headers">
        {edit.tracks.map((track) => (
          <TrackHeader key={track.id} track={track} />
        ))}
      </div>
      <div
        className="timeline-lanes"
        id="timeline-lanes"
        ref={lanesRef}
        tabIndex={-1}
        onWheel={onWheel}
        data-testid="timeline-lanes"
      >
        {edit.tracks.map((track) => (
          <canvas
            key={track.id}
            className="lane"
            data-track-id={track.id}
            aria-label={`Lane of ${track.name}: ${track.clips.length} clip${track.clips.length === 1 ? '' : 's'}`}
            role="img"
            height={LANE_HEIGHT}
            ref={(canvas) => {
              if (canvas) canvases.current.set(track.id, canvas);
              else canvases.current.delete(track.id);
              dirty.current = true;
            }}
            onPointerDown={(e) => onPointerDown(track.id, e)}
            onPointerMove={(e) => onPointerMove(track.id, e)}
            onPointerUp={onPointerUp}
            onPointerCancel={() => {
              drag.current = null;
              preview.current = null;
              dirty.current = true;
            }}
          />
        ))}
        <div className="playhead" ref={playheadRef} aria-hidden="true" style={{ left: 0 }} />
        {view.width > 0 && edit.tracks.length === 0 && (
          <p className="hint lanes-empty">
            This episode has no tracks yet: import audio or record.
          </p>
        )}
      </div>
    </div>
  );
}

/** While playing, pages the view along so the playhead stays in sight. */
function followPlayhead(position: number): void {
  const { view } = useEditor.getState();
  const end = view.start + view.width * view.samplesPerPixel;
  if (position > end || position < view.start) revealSample(position);
  else if (position > view.start + view.width * view.samplesPerPixel * 0.95) {
    useEditor.getState().setView({ start: position - view.width * view.samplesPerPixel * 0.05 });
  }
}
