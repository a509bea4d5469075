import { useRef, useState } from 'react';
import { useAnimationFrame } from '../../ui/theme-colors';
import { levelHistory, type PeakHold, shownHoldDb, updatePeakHold } from './level-history';
import {
  dbToFraction,
  formatDbfs,
  levelToFraction,
  linearToDbfs,
  METER_TICKS,
} from './meter-scale';

/** Readings older than this are treated as silence (the source stopped sending). */
const STALE_MS = 400;

/**
 * One track's meter: RMS (solid) over peak (lighter), a peak-hold line, and a clip light that
 * latches until clicked. Drawn by writing styles in an animation frame, never through React state.
 */
export function LevelMeter({ index, name }: { index: number; name: string }) {
  const meter = useRef<HTMLDivElement>(null);
  const peakBar = useRef<HTMLDivElement>(null);
  const rmsBar = useRef<HTMLDivElement>(null);
  const holdLine = useRef<HTMLDivElement>(null);
  const hold = useRef<PeakHold>({ db: Number.NEGATIVE_INFINITY, at: 0 });
  const lastLabel = useRef(0);
  const [clipped, setClipped] = useState(false);

  useAnimationFrame((now) => {
    const latest = levelHistory.latest(index);
    const fresh = latest && now - latest.at < STALE_MS ? latest : null;
    const peak = fresh?.peak ?? 0;
    const rms = fresh?.rms ?? 0;
    const cut = (fraction: number) => `inset(0 ${(100 - fraction * 100).toFixed(2)}% 0 0)`;
    if (peakBar.current) peakBar.current.style.clipPath = cut(levelToFraction(peak));
    if (rmsBar.current) rmsBar.current.style.clipPath = cut(levelToFraction(rms));
    hold.current = updatePeakHold(hold.current, linearToDbfs(peak), now);
    const held = dbToFraction(shownHoldDb(hold.current, now));
    if (holdLine.current) {
      holdLine.current.style.left = `calc(${(held * 100).toFixed(2)}% - 1px)`;
      holdLine.current.style.opacity = held > 0 ? '1' : '0';
    }
    if (levelHistory.clipped(index) !== clipped) setClipped(!clipped);
    // Screen readers get the reading twice a second: at the event rate it would be noise.
    if (meter.current && now - lastLabel.current > 500) {
      lastLabel.current = now;
      meter.current.setAttribute('aria-valuenow', Math.max(-60, linearToDbfs(peak)).toFixed(0));
      meter.current.setAttribute(
        'aria-valuetext',
        `Peak ${formatDbfs(peak)}, RMS ${formatDbfs(rms)}`,
      );
    }
  });

  return (
    <div className="rec-meter-row">
      <div className="rec-meter-col">
        {/* biome-ignore lint/a11y/useSemanticElements: <meter> shows one value; this draws peak, RMS and hold */}
        <div
          ref={meter}
          className="rec-meter"
          role="meter"
          aria-label={`${name} level`}
          aria-valuemin={-60}
          aria-valuemax={0}
          aria-valuenow={-60}
          data-testid="level-meter"
        >
          <div ref={peakBar} className="rec-meter-fill rec-meter-peak" />
          <div ref={rmsBar} className="rec-meter-fill rec-meter-rms" />
          <div ref={holdLine} className="rec-meter-hold" />
        </div>
        <div className="rec-meter-scale" aria-hidden="true">
          {METER_TICKS.map((db) => (
            <span key={db} style={{ left: `${dbToFraction(db) * 100}%` }}>
              {db}
            </span>
          ))}
        </div>
      </div>
      <button
        type="button"
        className={`rec-clip ${clipped ? 'on' : ''}`}
        aria-label={clipped ? `${name} clipped: reset the clip light` : `${name} clip light: off`}
        title={
          clipped
            ? 'The level reached full scale. Click to reset.'
            : 'Lights when the level reaches full scale'
        }
        onClick={() => {
          levelHistory.resetClip(index);
          setClipped(false);
        }}
      >
        CLIP
      </button>
    </div>
  );
}
