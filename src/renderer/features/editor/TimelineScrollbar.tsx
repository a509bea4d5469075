import { useRef } from 'react';
import { editLength } from '../../../shared/edit';
import { presentEdit, useEditor } from '../../state/editor';

/**
 * A horizontal scrollbar for the lanes. Native scrolling cannot be used: at sample zoom a
 * three-hour episode is hundreds of millions of pixels wide, far past what an element may be.
 */
export function TimelineScrollbar() {
  const view = useEditor((s) => s.view);
  const length = useEditor((s) => {
    const edit = presentEdit(s);
    return edit ? editLength(edit) : 0;
  });
  const trackRef = useRef<HTMLDivElement>(null);
  const grab = useRef<{ x: number; start: number } | null>(null);
  const total = Math.max(length + 48_000 * 5, view.width * view.samplesPerPixel);
  const visible = view.width * view.samplesPerPixel;
  const thumbWidth = Math.max(24, (visible / total) * view.width);
  const thumbLeft = (view.start / Math.max(1, total - visible)) * (view.width - thumbWidth);
  const perPixel = (total - visible) / Math.max(1, view.width - thumbWidth);
  return (
    <div
      className="timeline-scrollbar"
      ref={trackRef}
      role="scrollbar"
      aria-controls="timeline-lanes"
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={Math.round(total / 48_000)}
      aria-valuenow={Math.round(view.start / 48_000)}
      aria-label="Scroll the timeline"
      tabIndex={-1}
      onPointerDown={(e) => {
        if (e.target !== e.currentTarget) return;
        const box = e.currentTarget.getBoundingClientRect();
        const x = e.clientX - box.left - thumbWidth / 2;
        useEditor.getState().setView({ start: x * perPixel });
      }}
    >
      <div
        className="thumb"
        style={{ width: thumbWidth, transform: `translateX(${Math.max(0, thumbLeft)}px)` }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          grab.current = { x: e.clientX, start: useEditor.getState().view.start };
        }}
        onPointerMove={(e) => {
          if (!grab.current) return;
          useEditor
            .getState()
            .setView({ start: grab.current.start + (e.clientX - grab.current.x) * perPixel });
        }}
        onPointerUp={() => {
          grab.current = null;
        }}
      />
    </div>
  );
}
