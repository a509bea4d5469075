import { describe, expect, it } from 'vitest';
import {
  addMarker,
  addTrack,
  moveMarker,
  removeMarkers,
  renameMarker,
  setTrackGain,
  setTrackMute,
  setTrackPan,
  setTrackSolo,
  validateEdit,
} from '../../../src/shared/edit';
import { clip, edit, marker, track } from './builders';
import { refusal } from './expect-refused';

describe('track settings', () => {
  const base = edit([track('t1', [clip({ id: 'a' })]), track('t2', [])]);

  it('sets mute, solo, volume and pan on one track only', () => {
    let e = setTrackMute(base, { trackId: 't1', muted: true });
    e = setTrackSolo(e, { trackId: 't1', solo: true });
    e = setTrackGain(e, { trackId: 't1', gainDb: -12 });
    e = setTrackPan(e, { trackId: 't1', pan: -0.5 });
    expect(e.tracks[0]).toMatchObject({ muted: true, solo: true, gainDb: -12, pan: -0.5 });
    expect(e.tracks[0]!.clips).toBe(base.tracks[0]!.clips);
    expect(e.tracks[1]).toBe(base.tracks[1]);
    expect(setTrackMute(base, { trackId: 't1', muted: false })).toBe(base);
  });

  it('refuses out-of-range values and unknown tracks', () => {
    expect(refusal(() => setTrackPan(base, { trackId: 't1', pan: 2 }))).toMatch(/Pan/);
    expect(refusal(() => setTrackGain(base, { trackId: 't1', gainDb: -61 }))).toMatch(/volume/);
    expect(refusal(() => setTrackMute(base, { trackId: 'x', muted: true }))).toMatch(/track/);
  });

  it('adds an empty track with unique id', () => {
    const e = addTrack(base, { id: 't3', name: 'Music' });
    expect(e.tracks[2]).toEqual(track('t3', [], { name: 'Music' }));
    expect(refusal(() => addTrack(base, { id: 't1', name: 'Again' }))).toMatch(/already/);
  });
});

describe('markers', () => {
  const base = edit([], [marker('m1', 10), marker('m2', 20)]);

  it('adds in position order, after markers at the same place', () => {
    const e = addMarker(base, { marker: { ...marker('m3', 10), title: '  Intro ' } });
    expect(e.markers.map((m) => m.id)).toEqual(['m1', 'm3', 'm2']);
    expect(e.markers[1]!.title).toBe('Intro');
    const chapter = { ...marker('m4', 5), url: 'https://example.org/', imageAssetId: 'img1' };
    expect(addMarker(base, { marker: chapter }).markers[0]).toEqual(chapter);
    expect(refusal(() => addMarker(base, { marker: marker('m1', 0) }))).toMatch(/already/);
    expect(refusal(() => addMarker(base, { marker: marker('m5', 0, ' ') }))).toMatch(
      /needs a title/,
    );
    expect(refusal(() => addMarker(base, { marker: marker('m5', -3) }))).toMatch(/not valid/);
  });

  it('moves, renames and removes', () => {
    const moved = moveMarker(base, { markerId: 'm1', position: 30 });
    expect(moved.markers.map((m) => [m.id, m.position])).toEqual([
      ['m2', 20],
      ['m1', 30],
    ]);
    expect(validateEdit(moved)).toEqual(moved);
    expect(renameMarker(base, { markerId: 'm2', title: 'Ads' }).markers[1]!.title).toBe('Ads');
    expect(removeMarkers(base, { markerIds: ['m1'] }).markers.map((m) => m.id)).toEqual(['m2']);
    expect(refusal(() => removeMarkers(base, { markerIds: ['zz'] }))).toMatch(/no longer/);
    expect(refusal(() => moveMarker(base, { markerId: 'm1', position: -1 }))).toMatch(/before/);
  });
});
