import { describe, expect, it } from 'vitest';
import { moveId } from '../../src/renderer/state/reorder';
import {
  chooseLevel,
  decodePeaksLevel,
  encodePeaksLevel,
  PEAKS_LEVELS,
  peaksToFloats,
} from '../../src/shared/peaks';
import { countOf } from '../../src/shared/plural';
import { formatDuration } from '../../src/shared/time';

// Logic the renderer runs, tested without a browser (the e2e specs cover the components).

describe('reordering a list', () => {
  const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  it('swaps with the neighbour in the direction asked', () => {
    expect(moveId(items, 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveId(items, 'b', 1)).toEqual(['a', 'c', 'b']);
  });
  it('does nothing past either end or for an unknown id', () => {
    expect(moveId(items, 'a', -1)).toBeNull();
    expect(moveId(items, 'c', 1)).toBeNull();
    expect(moveId(items, 'z', 1)).toBeNull();
  });
});

describe('waveform peaks as the renderer receives them', () => {
  it('decodes what the Node side encodes, from any byte offset', () => {
    const level = {
      sampleRate: 44_100,
      samplesPerPair: 256,
      frames: 1000,
      data: Int16Array.from([-5, 7, -32768, 32767, 0, 0, -1, 1]),
    };
    const bytes = encodePeaksLevel(level);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const decoded = decodePeaksLevel(shifted.subarray(1));
    expect(decoded).toEqual(level);
    expect(Array.from(peaksToFloats(decoded)).slice(0, 4)).toEqual([
      -5 / 32768,
      7 / 32768,
      -1,
      32767 / 32768,
    ]);
  });

  it('refuses truncated or foreign data rather than drawing garbage', () => {
    const bytes = encodePeaksLevel({
      sampleRate: 48_000,
      samplesPerPair: 256,
      frames: 512,
      data: new Int16Array(4),
    });
    expect(() => decodePeaksLevel(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
    expect(() => decodePeaksLevel(new Uint8Array(40))).toThrow(/Not a peaks level/);
  });

  it('picks the coarsest level that still fills the width', () => {
    const hour = 3600 * 48_000;
    const level = chooseLevel(hour, 2000);
    expect(Math.ceil(hour / PEAKS_LEVELS[level]!)).toBeGreaterThanOrEqual(2000);
    if (level < PEAKS_LEVELS.length - 1)
      expect(Math.ceil(hour / PEAKS_LEVELS[level + 1]!)).toBeLessThan(2000);
    expect(chooseLevel(100, 2000)).toBe(0); // a short file: the finest there is
  });
});

describe('words and times on screen', () => {
  it('counts with the right plural', () => {
    expect(countOf(0, 'track')).toBe('0 tracks');
    expect(countOf(1, 'episode')).toBe('1 episode');
    expect(countOf(2, 'episode')).toBe('2 episodes');
  });
  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(62.35, true)).toBe('1:02.3');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Number.NaN)).toBe('0:00');
  });
});
