import { useRef } from 'react';
import type { RecorderStatus } from '../../../shared/recording';
import { useAnimationFrame } from '../../ui/theme-colors';
import { levelHistory } from './level-history';
import { formatClock } from './recorder-format';

/**
 * The take's clock, from the level readings (20 a second) between the status's once-a-second
 * updates; written to the DOM directly so the readings do not re-render the recorder.
 */
export function TakeClock({ status, label }: { status: RecorderStatus; label: string }) {
  const text = useRef<HTMLSpanElement>(null);
  const takeOpen = status.state === 'recording' || status.state === 'paused';
  useAnimationFrame(() => {
    const clock = levelHistory.clock();
    const seconds = takeOpen ? Math.max(status.elapsedSec, clock?.elapsedSec ?? 0) : 0;
    const shown = formatClock(seconds);
    if (text.current && text.current.textContent !== shown) text.current.textContent = shown;
  });
  return (
    <span ref={text} role="timer" aria-label={label}>
      {formatClock(takeOpen ? status.elapsedSec : 0)}
    </span>
  );
}
