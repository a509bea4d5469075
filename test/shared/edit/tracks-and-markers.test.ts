import { describe, expect, it } from 'vitest';
import {
  addMarker,
  addTrack,
  moveMarker,
  removeMarkers,
  renameMarker,
  setMarkerKind,
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

  it('changes a marker’s kind and link: only chapters keep a link', () => {
    const linked = edit(
      [],
      [
        { ...marker('c1', 10), url: 'https://example.org/a', imageAssetId: 'img1' },
        marker('c2', 20),
      ],
    );
    const note = setMarkerKind(linked, { markerId: 'c1', kind: 'note' });
    expect(note.markers[0]).toEqual({ id: 'c1', position: 10, title: 'c1', kind: 'note' });
    expect(note.markers[1]).toBe(linked.markers[1]);
    expect(validateEdit(note)).toEqual(note);
    // Back to a chapter: the link is gone, a new one is set.
    const back = setMarkerKind(note, { markerId: 'c1', kind: 'chapter' });
    expect(back.markers[0]).toEqual({ id: 'c1', position: 10, title: 'c1', kind: 'chapter' });

    const withUrl = setMarkerKind(linked, {
      markerId: 'c2',
      kind: 'chapter',
      url: ' https://example.org/b ',
    });
    expect(withUrl.markers[1]).toEqual({ ...marker('c2', 20), url: 'https://example.org/b' });
    // null or an empty link clears the link; the image stays.
    const cleared = setMarkerKind(linked, { markerId: 'c1', kind: 'chapter', url: null });
    expect(cleared.markers[0]).toEqual({ ...marker('c1', 10), imageAssetId: 'img1' });
    expect(setMarkerKind(linked, { markerId: 'c1', kind: 'chapter', url: '' }).markers[0]).toEqual(
      cleared.markers[0],
    );
    expect(setMarkerKind(linked, { markerId: 'c2', kind: 'ad' }).markers[1]!.kind).toBe('ad');
  });

  it('refuses a link that is not a web address, and an unknown marker', () => {
    for (const url of ['example.org', 'ftp://example.org/', 'javascript:alert(1)']) {
      expect(refusal(() => setMarkerKind(base, { markerId: 'm1', kind: 'chapter', url }))).toMatch(
        /http:\/\/ or https:\/\//,
      );
    }
    expect(refusal(() => setMarkerKind(base, { markerId: 'zz', kind: 'note' }))).toMatch(
      /no longer/,
    );
  });

  it('returns the same edit when nothing changes', () => {
    const linked = edit([], [{ ...marker('c1', 10), url: 'https://example.org/a' }]);
    expect(setMarkerKind(base, { markerId: 'm1', kind: 'chapter' })).toBe(base);
    expect(setMarkerKind(linked, { markerId: 'c1', kind: 'chapter' })).toBe(linked);
    expect(
      setMarkerKind(linked, { markerId: 'c1', kind: 'chapter', url: 'https://example.org/a' }),
    ).toBe(linked);
    const note = edit([], [{ ...marker('n1', 10), kind: 'note' }]);
    expect(setMarkerKind(note, { markerId: 'n1', kind: 'note', url: 'https://example.org/' })).toBe(
      note,
    );
  });
});
