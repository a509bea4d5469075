import { describe, expect, it } from 'vitest';
import {
  createLevelHistory,
  shownHoldDb,
  updatePeakHold,
} from '../../src/renderer/features/recorder/level-history';
import {
  dbToFraction,
  formatDbfs,
  levelToFraction,
  linearToDbfs,
} from '../../src/renderer/features/recorder/meter-scale';
import {
  formatBytes,
  formatClock,
  formatMarkerTime,
  formatTimeLeft,
} from '../../src/renderer/features/recorder/recorder-format';
import {
  nextStatusNotice,
  statusNoticeKind,
} from '../../src/renderer/features/recorder/recorder-notice';
import {
  nameProblem,
  newTrack,
  setupIsSavable,
  setupIsValid,
  sourceGroups,
  TEST_SIGNALS,
} from '../../src/renderer/features/recorder/sources';
import { isTextEntry, keyBelongsToFocus, shortcutLetter } from '../../src/renderer/ui/keys';
import type { AudioDevice } from '../../src/shared/recording';

// The recorder's logic, tested without a browser (e2e/recorder.spec.ts covers the screen).

describe('meter scale', () => {
  it('converts linear levels to dBFS', () => {
    expect(linearToDbfs(1)).toBe(0);
    expect(linearToDbfs(0.5)).toBeCloseTo(-6.02, 2);
    expect(linearToDbfs(0)).toBe(Number.NEGATIVE_INFINITY);
  });
  it('maps -60..0 dBFS onto 0..1, clamped', () => {
    expect(dbToFraction(0)).toBe(1);
    expect(dbToFraction(-30)).toBe(0.5);
    expect(dbToFraction(-60)).toBe(0);
    expect(dbToFraction(-90)).toBe(0);
    expect(dbToFraction(3)).toBe(1);
    expect(levelToFraction(0)).toBe(0);
    expect(levelToFraction(0.125)).toBeCloseTo(0.699, 3);
  });
  it('reads levels out for screen readers', () => {
    expect(formatDbfs(0.125)).toBe('-18.1 dBFS');
    expect(formatDbfs(0)).toBe('−∞ dBFS');
  });
});

describe('recorder times and sizes', () => {
  it('writes the take clock as h:mm:ss', () => {
    expect(formatClock(0)).toBe('0:00:00');
    expect(formatClock(65.9)).toBe('0:01:05');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(Number.NaN)).toBe('0:00:00');
  });
  it('writes marker times as m:ss.mmm', () => {
    expect(formatMarkerTime(0)).toBe('0:00.000');
    expect(formatMarkerTime(65.25)).toBe('1:05.250');
    expect(formatMarkerTime(3600.0004)).toBe('60:00.000');
    expect(formatMarkerTime(1.9996)).toBe('0:02.000');
  });
  it('writes free space and time left in plain units', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(212_000_000_000)).toBe('212 GB');
    expect(formatTimeLeft(30)).toBe('under a minute');
    expect(formatTimeLeft(42 * 60)).toBe('about 42 min');
    expect(formatTimeLeft(310 * 3600 + 5)).toBe('about 310 h');
  });
});

describe('level history', () => {
  const levels = (peak: number) => ({ elapsedSec: 1, tracks: [{ peak, rms: peak / 2 }] });
  it('keeps the recent frames per track, oldest first, and drops old ones', () => {
    const history = createLevelHistory(1000);
    for (let t = 0; t <= 5000; t += 50) history.push(levels(t / 10_000), t, t > 2500);
    const recent = history.frames(0, 4000);
    expect(recent[0]?.at).toBe(4000);
    expect(recent.at(-1)).toEqual({ at: 5000, peak: 0.5, rms: 0.25, rec: true });
    expect(history.frames(0, 0).length).toBeLessThan(60);
    expect(history.frames(1, 0)).toEqual([]);
    expect(history.clock()).toEqual({ elapsedSec: 1, at: 5000 });
  });
  it('latches a clip until it is reset', () => {
    const history = createLevelHistory(1000);
    history.push(levels(1), 0, true);
    history.push(levels(0.1), 50, true);
    expect(history.clipped(0)).toBe(true);
    history.resetClip(0);
    expect(history.clipped(0)).toBe(false);
    history.push(levels(0.9995), 100, true);
    expect(history.clipped(0)).toBe(true);
    history.clear();
    expect(history.clipped(0)).toBe(false);
    expect(history.latest(0)).toBeNull();
  });
  it('holds a peak, then lets it fall', () => {
    let hold = updatePeakHold({ db: Number.NEGATIVE_INFINITY, at: 0 }, -6, 0);
    hold = updatePeakHold(hold, -20, 1000);
    expect(shownHoldDb(hold, 1000)).toBe(-6);
    expect(shownHoldDb(hold, 1500)).toBe(-6);
    expect(shownHoldDb(hold, 2000)).toBe(-16);
    hold = updatePeakHold(hold, -12, 2000);
    expect(shownHoldDb(hold, 2000)).toBe(-12);
  });
});

describe('recorder sources', () => {
  const device = (over: Partial<AudioDevice>): AudioDevice => ({
    id: 'mic',
    name: 'USB Mic',
    kind: 'input',
    channels: 1,
    defaultRate: 48_000,
    backend: 'pulse',
    isDefault: false,
    ...over,
  });
  const devices = [
    device({ id: 'mic', name: 'USB Mic', isDefault: true }),
    device({ id: 'out.monitor', name: 'Speakers', kind: 'system' }),
  ];

  it('groups devices by kind, always offers test signals, and keeps an unplugged source', () => {
    const groups = sourceGroups(devices, ['pulse:gone']);
    expect(groups.map((g) => g.label)).toEqual([
      'Microphones',
      'System audio',
      'Test signals',
      'Not connected',
    ]);
    expect(groups[0]?.options).toEqual([{ value: 'pulse:mic', label: 'USB Mic (default)' }]);
    expect(sourceGroups([], []).map((g) => g.label)).toEqual(['Test signals']);
  });
  it('keeps a selected source that was pulled out as not found, and offers it again when back', () => {
    const usb = device({ id: 'usb', name: 'Podcast Mic' });
    const label = (list: AudioDevice[]) =>
      sourceGroups(list, ['pulse:usb'])
        .flatMap((g) => g.options.map((o) => `${g.label}: ${o.label}`))
        .filter((text) => text.includes('usb') || text.includes('Podcast'));
    expect(label([...devices, usb])).toEqual(['Microphones: Podcast Mic']);
    expect(label(devices)).toEqual(['Not connected: pulse:usb (not found)']);
    expect(label([...devices, usb])).toEqual(['Microphones: Podcast Mic']);
  });
  it('names a new track and gives it a source not yet used', () => {
    const first = newTrack([], devices);
    expect(first).toEqual({ name: 'Host', source: 'pulse:mic' });
    const second = newTrack([first], devices);
    expect(second).toEqual({ name: 'Guest', source: TEST_SIGNALS[0]?.value });
    expect(newTrack([], []).source).toBe(TEST_SIGNALS[0]?.value);
  });
  it('refuses empty and repeated names', () => {
    const tracks = [
      { name: 'Host', source: 'a' },
      { name: ' host ', source: 'b' },
      { name: '  ', source: 'c' },
    ];
    expect(nameProblem(tracks, 0)).toBeNull();
    expect(nameProblem(tracks, 1)).toBe('Another track is called host');
    expect(nameProblem(tracks, 2)).toBe('Give this track a name');
    expect(setupIsValid({ tracks, countInSec: 0 })).toBe(false);
    expect(setupIsSavable({ tracks, countInSec: 0 })).toBe(false);
    expect(setupIsSavable({ tracks: tracks.slice(0, 2), countInSec: 0 })).toBe(true);
    expect(setupIsValid({ tracks: tracks.slice(0, 1), countInSec: 0 })).toBe(true);
    expect(setupIsValid({ tracks: [], countInSec: 0 })).toBe(false);
  });
});

describe('recorder status notices', () => {
  const diskFull =
    'The disk is full: recording stopped at 0:02; everything up to there is saved. Saved 2 tracks (0:02).';

  it('shows a new notice once, and the same words again only after a take was armed', () => {
    let seen: string | null = null;
    const step = (state: 'idle' | 'armed' | 'recording', notice: string | null | undefined) => {
      const next = nextStatusNotice(seen, { state, notice });
      seen = next.seen;
      return next.show;
    };
    expect(step('idle', null)).toBeNull();
    expect(step('idle', undefined)).toBeNull();
    expect(step('idle', 'The disk is full. Saving what was recorded…')).toBe(
      'The disk is full. Saving what was recorded…',
    );
    expect(step('idle', 'The disk is full. Saving what was recorded…')).toBeNull();
    expect(step('idle', diskFull)).toBe(diskFull);
    expect(step('idle', diskFull)).toBeNull();
    // A status answered before the notice was set, arriving late, does not bring it back.
    expect(step('idle', null)).toBeNull();
    expect(step('idle', diskFull)).toBeNull();
    // Armed again: the Node side cleared its notice, so the same words are news next time.
    expect(step('armed', null)).toBeNull();
    expect(step('recording', null)).toBeNull();
    expect(step('idle', diskFull)).toBe(diskFull);
  });

  it('keeps a take that stopped by itself on screen as an error; a save elsewhere is news', () => {
    expect(statusNoticeKind(diskFull)).toEqual({ kind: 'error', sticky: true });
    expect(statusNoticeKind('Every source was lost. Saving what was recorded…').sticky).toBe(true);
    expect(
      statusNoticeKind(
        'Recording stopped at 1:02:03. Every armed device was disconnected. Saved 1 track (1:02:03).',
      ),
    ).toEqual({ kind: 'error', sticky: true });
    expect(statusNoticeKind('Saved 2 tracks (0:05) and 1 marker.')).toEqual({
      kind: 'info',
      sticky: false,
    });
    expect(statusNoticeKind('Saved 1 track (0:05). “guest” could not be added: no audio.')).toEqual(
      { kind: 'error', sticky: false },
    );
  });
});

describe('keys and focus', () => {
  const input = (type: string) => ({ tagName: 'INPUT', type });

  it('counts text fields as typing, not sliders, boxes or buttons', () => {
    for (const type of ['text', 'search', 'email', 'number', 'password', 'url'])
      expect(isTextEntry(input(type))).toBe(true);
    expect(isTextEntry({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextEntry({ tagName: 'SELECT', type: 'select-one' })).toBe(true);
    expect(isTextEntry({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    for (const type of ['range', 'checkbox', 'radio', 'button', 'submit', 'color'])
      expect(isTextEntry(input(type))).toBe(false);
    expect(isTextEntry({ tagName: 'BUTTON', type: 'button' })).toBe(false);
  });

  it('leaves a slider its arrows but not the shortcuts', () => {
    const slider = input('range');
    for (const key of [' ', 'm', 'M', 'S', 'Escape', 'r'])
      expect(keyBelongsToFocus(slider, key)).toBe(false);
    for (const key of ['ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp'])
      expect(keyBelongsToFocus(slider, key)).toBe(true);
    expect(keyBelongsToFocus(input('radio'), 'ArrowDown')).toBe(true);
    expect(keyBelongsToFocus(input('checkbox'), ' ')).toBe(false);
    expect(keyBelongsToFocus(input('text'), ' ')).toBe(true);
    expect(keyBelongsToFocus({ tagName: 'BUTTON' }, 'ArrowLeft')).toBe(false);
    expect(keyBelongsToFocus(null, ' ')).toBe(false);
  });

  it('reads letter shortcuts by position on non-Latin layouts', () => {
    expect(shortcutLetter({ key: 'm', code: 'KeyM' })).toBe('m');
    expect(shortcutLetter({ key: 'S', code: 'KeyS' })).toBe('s');
    // Russian: the M key types ь, the S key ы (Ы with Shift), the R key к.
    expect(shortcutLetter({ key: 'ь', code: 'KeyM' })).toBe('m');
    expect(shortcutLetter({ key: 'Ы', code: 'KeyS' })).toBe('s');
    expect(shortcutLetter({ key: 'к', code: 'KeyR' })).toBe('r');
    // AZERTY: the letter follows the keycap, not the US position.
    expect(shortcutLetter({ key: 'm', code: 'Semicolon' })).toBe('m');
    expect(shortcutLetter({ key: 'a', code: 'KeyQ' })).toBe('a');
    expect(shortcutLetter({ key: ' ', code: 'Space' })).toBe(' ');
    expect(shortcutLetter({ key: 'Escape', code: 'Escape' })).toBe('escape');
  });
});
