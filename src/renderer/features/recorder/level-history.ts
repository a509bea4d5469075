import type { RecorderLevels } from '../../../shared/recording';
import { CLIP_LEVEL } from './meter-scale';

/**
 * The recent meter readings per track, kept outside React: they arrive about 20 times a second and
 * only the meters and live waveforms (canvas, requestAnimationFrame) read them.
 */

export interface LevelFrame {
  /** When it arrived (performance.now() clock), so drawings scroll by time, not by count. */
  at: number;
  peak: number;
  rms: number;
  /** Whether a take was being written then: the waveform draws recorded stretches apart. */
  rec: boolean;
}

export interface LevelHistory {
  push(levels: RecorderLevels, at: number, rec: boolean): void;
  /** The frames of a track newer than `since`, oldest first. */
  frames(track: number, since: number): LevelFrame[];
  latest(track: number): LevelFrame | null;
  /** The take clock as last reported, and when. */
  clock(): { elapsedSec: number; at: number } | null;
  /** Whether a track's peak reached CLIP_LEVEL since its clip light was last reset. */
  clipped(track: number): boolean;
  resetClip(track: number): void;
  /** Counts pushes, so a drawing can skip frames where nothing new came in. */
  version(): number;
  clear(): void;
}

export function createLevelHistory(keepMs: number): LevelHistory {
  let tracks: LevelFrame[][] = [];
  let clock: { elapsedSec: number; at: number } | null = null;
  let version = 0;
  const clips = new Set<number>();
  return {
    push(levels, at, rec) {
      version++;
      clock = { elapsedSec: levels.elapsedSec, at };
      levels.tracks.forEach((level, i) => {
        const list = tracks[i] ?? [];
        tracks[i] = list;
        list.push({ at, peak: level.peak, rms: level.rms, rec });
        // Latched here rather than when drawn: a clip between two animation frames still counts.
        if (level.peak >= CLIP_LEVEL) clips.add(i);
        // Drop in bulk now and then rather than shift() at every push.
        if (list.length > 64 && list[32]!.at < at - keepMs) {
          const firstKept = list.findIndex((f) => f.at >= at - keepMs);
          list.splice(0, firstKept < 0 ? list.length : firstKept);
        }
      });
    },
    frames(track, since) {
      const list = tracks[track] ?? [];
      let start = list.length;
      while (start > 0 && list[start - 1]!.at >= since) start--;
      return list.slice(start);
    },
    latest(track) {
      const list = tracks[track];
      return list?.[list.length - 1] ?? null;
    },
    clock: () => clock,
    clipped: (track) => clips.has(track),
    resetClip: (track) => void clips.delete(track),
    version: () => version,
    clear() {
      tracks = [];
      clock = null;
      clips.clear();
      version++;
    },
  };
}

/** Seconds shown by the live waveforms. */
export const WAVEFORM_WINDOW_SEC = 10;

/** The one history the recorder screen draws from (filled by the panel's event subscription). */
export const levelHistory = createLevelHistory(WAVEFORM_WINDOW_SEC * 1000 + 1000);

/** Peak hold, as hardware meters do: the highest peak stays a moment, then falls slowly. */
export interface PeakHold {
  db: number;
  at: number;
}

const HOLD_MS = 1500;
const FALL_DB_PER_SEC = 20;

/** The held peak as drawn at `now`. */
export function shownHoldDb(hold: PeakHold, now: number): number {
  const age = now - hold.at;
  return age <= HOLD_MS ? hold.db : hold.db - ((age - HOLD_MS) / 1000) * FALL_DB_PER_SEC;
}

/** A new peak at or above what is shown takes the hold over. */
export function updatePeakHold(hold: PeakHold, currentDb: number, now: number): PeakHold {
  return currentDb >= shownHoldDb(hold, now) ? { db: currentDb, at: now } : hold;
}
