import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  createHistory,
  DEFAULT_DUCKING_DB,
  editProblems,
  historyFromJson,
  historyToJson,
  setTrackDucking,
  setTrackRole,
  validateEdit,
} from '../../../src/shared/edit';
import { clip, edit, track } from './builders';
import { refusal } from './expect-refused';

const base = edit([
  track('voice', [clip({ id: 'v1' })]),
  track('bed', [clip({ id: 'm1', assetId: 'music' })]),
]);

describe('track roles', () => {
  it('keeps stored edits without the new fields valid, as they were', () => {
    expect(validateEdit(structuredClone(base))).toEqual(base);
    expect(Object.keys(validateEdit(base).tracks[0]!)).not.toContain('role');
  });

  it('makes a track music and back to speech, dropping its ducking', () => {
    const music = setTrackRole(base, { trackId: 'bed', role: 'music' });
    expect(music.tracks[1]!.role).toBe('music');
    expect(music.tracks[0]).toBe(base.tracks[0]);
    const ducked = setTrackDucking(music, { trackId: 'bed', depthDb: DEFAULT_DUCKING_DB });
    expect(ducked.tracks[1]!.ducking).toEqual({ depthDb: -15 });
    const speech = setTrackRole(ducked, { trackId: 'bed', role: 'speech' });
    expect(speech.tracks[1]).toEqual(base.tracks[1]);
    expect('role' in speech.tracks[1]! || 'ducking' in speech.tracks[1]!).toBe(false);
  });

  it('returns the same edit when nothing changes', () => {
    expect(setTrackRole(base, { trackId: 'voice', role: 'speech' })).toBe(base);
    const music = setTrackRole(base, { trackId: 'bed', role: 'music' });
    expect(setTrackRole(music, { trackId: 'bed', role: 'music' })).toBe(music);
    expect(setTrackDucking(music, { trackId: 'bed', depthDb: null })).toBe(music);
    const ducked = setTrackDucking(music, { trackId: 'bed', depthDb: -20 });
    expect(setTrackDucking(ducked, { trackId: 'bed', depthDb: -20 })).toBe(ducked);
    expect(setTrackDucking(ducked, { trackId: 'bed', depthDb: null })).toEqual(music);
  });

  it('refuses ducking on speech, depths out of range and unknown tracks', () => {
    expect(refusal(() => setTrackDucking(base, { trackId: 'voice', depthDb: -15 }))).toBe(
      'Only music tracks duck under speech: make “voice” a music track first.',
    );
    const music = setTrackRole(base, { trackId: 'bed', role: 'music' });
    expect(refusal(() => setTrackDucking(music, { trackId: 'bed', depthDb: -41 }))).toBe(
      'Ducking depth (dB) must be between -40 and -1.',
    );
    expect(refusal(() => setTrackDucking(music, { trackId: 'bed', depthDb: 0 }))).toMatch(
      /between -40 and -1/,
    );
    expect(refusal(() => setTrackDucking(music, { trackId: 'bed', depthDb: Number.NaN }))).toMatch(
      /between/,
    );
    expect(refusal(() => setTrackRole(base, { trackId: 'nope', role: 'music' }))).toMatch(
      /no longer in the edit/,
    );
    expect(
      refusal(() => setTrackRole(base, { trackId: 'bed', role: 'drums' as unknown as 'music' })),
    ).toMatch(/speech track or a music track/);
  });

  it('the schema allows ducking on music tracks only, within range', () => {
    const bad = edit([track('voice', [], { ducking: { depthDb: -15 } })]);
    expect(editProblems(bad)).toEqual([
      'tracks.0.ducking: “voice” ducks under speech but is not a music track; only music tracks duck.',
    ]);
    expect(refusal(() => validateEdit(bad))).toMatch(/only music tracks duck/);
    const deep = edit([track('bed', [], { role: 'music', ducking: { depthDb: -50 } })]);
    expect(editProblems(deep)[0]).toMatch(/^tracks\.0\.ducking\.depthDb/);
    const role = edit([track('bed', [], { role: 'drums' as unknown as 'music' })]);
    expect(editProblems(role)[0]).toMatch(/^tracks\.0\.role/);
    const ok = edit([track('bed', [], { role: 'music', ducking: { depthDb: -40 } })]);
    expect(validateEdit(ok)).toEqual(ok);
  });

  it('round-trips through the saved history, refusing ducking on speech there too', () => {
    let h = createHistory(base);
    h = applyEdit(h, setTrackRole(h.present, { trackId: 'bed', role: 'music' }));
    h = applyEdit(h, setTrackDucking(h.present, { trackId: 'bed', depthDb: -12.5 }));
    const restored = historyFromJson(JSON.parse(JSON.stringify(historyToJson(h))));
    expect(restored).toEqual(h);
    expect(restored.present.tracks[1]).toEqual({
      ...base.tracks[1],
      role: 'music',
      ducking: { depthDb: -12.5 },
    });
    const json = historyToJson(h);
    const damaged = { ...json, tracks: json.tracks.map((t) => ({ ...t, role: undefined })) };
    expect(refusal(() => historyFromJson(JSON.parse(JSON.stringify(damaged))))).toMatch(
      /damaged.*only music tracks duck/,
    );
  });
});
