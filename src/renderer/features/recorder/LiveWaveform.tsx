import { useEffect, useRef } from 'react';
import { useAnimationFrame, useThemeColors } from '../../ui/theme-colors';
import { levelHistory, WAVEFORM_WINDOW_SEC } from './level-history';
import { levelToFraction } from './meter-scale';

const COLORS = { idle: '--wave', rec: '--rec', rms: '--rec-rms', grid: '--border' } as const;
/** About the event rate: one bar per reading. */
const BARS_PER_SEC = 20;

/**
 * The last ten seconds of a track, scrolling right to left: a bar per reading, peak outside and
 * RMS inside, on the meters' dB scale so quiet speech still shows. Stretches being written are
 * drawn in the record colour, armed-only ones in the waveform grey.
 */
export function LiveWaveform({ index, name }: { index: number; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors(canvas, COLORS);

  // Match the canvas's pixels to its size on screen.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      const ratio = window.devicePixelRatio || 1;
      element.width = Math.max(1, Math.round(element.clientWidth * ratio));
      element.height = Math.max(1, Math.round(element.clientHeight * ratio));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useAnimationFrame((now) => {
    const element = canvas.current;
    const palette = colors.current;
    const context = element?.getContext('2d');
    if (!element || !palette || !context) return;
    const { width, height } = element;
    const windowMs = WAVEFORM_WINDOW_SEC * 1000;
    context.clearRect(0, 0, width, height);
    const mid = height / 2;
    context.fillStyle = palette.grid;
    context.fillRect(0, Math.floor(mid), width, 1);
    const step = width / (WAVEFORM_WINDOW_SEC * BARS_PER_SEC);
    let previousX = Number.NEGATIVE_INFINITY;
    for (const frame of levelHistory.frames(index, now - windowMs)) {
      const x = width - ((now - frame.at) / windowMs) * width;
      // Each bar reaches back to the one before, so readings that arrive unevenly leave no
      // gaps; a real gap (no readings for a second) still shows.
      const barWidth = Math.max(1, Math.min(x - previousX, step * BARS_PER_SEC));
      previousX = x;
      const peak = levelToFraction(frame.peak) * mid;
      const rms = levelToFraction(frame.rms) * mid;
      context.fillStyle = frame.rec ? palette.rec : palette.idle;
      context.fillRect(x - barWidth, mid - peak, barWidth, peak * 2);
      if (frame.rec) {
        context.fillStyle = palette.rms;
        context.fillRect(x - barWidth, mid - rms, barWidth, rms * 2);
      }
    }
  });

  return (
    <canvas
      ref={canvas}
      className="rec-wave"
      role="img"
      aria-label={`Live waveform of ${name}, last ${WAVEFORM_WINDOW_SEC} seconds`}
      data-testid="live-waveform"
    />
  );
}
