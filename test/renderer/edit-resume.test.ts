import { describe, expect, it } from 'vitest';
import { continueHistory, editKey, resumeHistory } from '../../src/renderer/state/edit-resume';
import {
  applyEdit,
  createHistory,
  type Edit,
  type History,
  type HistoryJson,
  historyToJson,
  undo,
} from '../../src/shared/edit';
import { clip, edit, marker, track } from '../shared/edit/builders';

// Picking up the editing of an episode where it was left: the stored undo history against what
// the library holds.

const e0 = edit([track('t1', [clip({ id: 'a' })])]);
const e1 = edit([track('t1', [clip({ id: 'a' }), clip({ id: 'b', timelineStart: 200 })])]);
const e2 = edit(e1.tracks, [marker('m1', 50)]);

/** Two steps: e0, then e1 (the present). */
const local: History = applyEdit(createHistory(e0), e1);

/** What the library hands back: equal values, new objects (as read from its database). */
const copy = (value: Edit): Edit => JSON.parse(JSON.stringify(value)) as Edit;

const stored = (history: History, saved: Edit) => ({
  history: historyToJson(history),
  savedKey: editKey(saved),
});

describe('resumeHistory', () => {
  it('starts a fresh history from the library when nothing is stored', () => {
    const resumed = resumeHistory(e1, undefined);
    expect(resumed.history).toEqual({ past: [], present: e1, future: [] });
    expect(resumed.history.present).toBe(e1);
    expect(resumed).toMatchObject({ unsaved: false, damaged: null });
  });

  it('keeps the stored history when its present is what the library holds', () => {
    const resumed = resumeHistory(copy(e1), stored(local, e1));
    expect(resumed.unsaved).toBe(false);
    expect(resumed.damaged).toBeNull();
    expect(resumed.history.past).toEqual([e0]);
    expect(resumed.history.present).toEqual(e1);
    expect(undo(resumed.history).present).toEqual(e0);
  });

  it('keeps the history and asks for a save when the last change never reached the library', () => {
    // The library still holds e0, the edit last saved; the present (e1) came after.
    const resumed = resumeHistory(copy(e0), stored(local, e0));
    expect(resumed.unsaved).toBe(true);
    expect(resumed.damaged).toBeNull();
    expect(resumed.history.past).toEqual([e0]);
    expect(resumed.history.present).toEqual(e1);
  });

  it('makes a library changed elsewhere a new step, so undo returns to the local present', () => {
    // Saved e1, then something else (the CLI) changed the library's edit to e2.
    const resumed = resumeHistory(copy(e2), stored(local, e1));
    expect(resumed.unsaved).toBe(false);
    expect(resumed.damaged).toBeNull();
    expect(resumed.history.past).toEqual([e0, e1]);
    expect(resumed.history.present).toEqual(e2);
    expect(resumed.history.future).toEqual([]);
    const back = undo(resumed.history);
    expect(back.present).toEqual(e1);
    expect(undo(back).present).toEqual(e0);
  });

  it('starts afresh from the library, telling why, when the stored history is damaged', () => {
    const good = historyToJson(local);
    const damagedHistories: unknown[] = [
      { format: 'something else' },
      { ...good, steps: [{ tracks: [99], markers: 0 }], presentIndex: 0 },
      { ...good, presentIndex: 5 },
    ];
    for (const history of damagedHistories) {
      const resumed = resumeHistory(e2, {
        history: history as HistoryJson,
        savedKey: editKey(e1),
      });
      expect(resumed.history).toEqual({ past: [], present: e2, future: [] });
      expect(resumed.unsaved).toBe(false);
      expect(resumed.damaged).toMatch(/saved edit history is damaged/);
    }
  });
});

describe('continueHistory', () => {
  it('keeps the same history object when nothing changed', () => {
    expect(continueHistory(local, copy(e1), editKey(e1))).toEqual({
      history: local,
      unsaved: false,
    });
    expect(continueHistory(local, copy(e1), editKey(e1)).history).toBe(local);
  });

  it('tells a present newer than the library from a library changed elsewhere', () => {
    const pending = continueHistory(local, copy(e0), editKey(e0));
    expect(pending.history).toBe(local);
    expect(pending.unsaved).toBe(true);

    const elsewhere = continueHistory(local, e2, editKey(e1));
    expect(elsewhere.unsaved).toBe(false);
    expect(elsewhere.history.present).toBe(e2);
    expect(elsewhere.history.past).toEqual([e0, e1]);
  });

  it('drops the redo steps when the library brings a new step', () => {
    const undone = undo(local);
    const continued = continueHistory(undone, e2, editKey(e0));
    expect(continued.history.future).toEqual([]);
    expect(undo(continued.history).present).toBe(e0);
  });
});

describe('editKey', () => {
  it('is equal for equal edits written with their keys in another order', () => {
    const reordered: Edit = {
      markers: [{ kind: 'chapter', title: 'm1', position: 50, id: 'm1' }],
      tracks: [
        {
          clips: [
            {
              fadeOut: 0,
              fadeIn: 0,
              gainDb: 0,
              timelineStart: 0,
              sourceOut: 100,
              sourceIn: 0,
              assetId: 'a1',
              id: 'a',
            },
            {
              timelineStart: 200,
              id: 'b',
              assetId: 'a1',
              sourceIn: 0,
              sourceOut: 100,
              gainDb: 0,
              fadeIn: 0,
              fadeOut: 0,
            },
          ],
          solo: false,
          muted: false,
          pan: 0,
          gainDb: 0,
          name: 't1',
          id: 't1',
        },
      ],
      sampleRate: 48_000,
      version: 1,
    };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(e2));
    expect(editKey(reordered)).toBe(editKey(e2));
  });

  it('differs when a value or the order of clips differs', () => {
    expect(editKey(e1)).not.toBe(editKey(e2));
    const moved = edit([track('t1', [clip({ id: 'a' }), clip({ id: 'b', timelineStart: 201 })])]);
    expect(editKey(moved)).not.toBe(editKey(e1));
    const swapped = edit([e1.tracks[0]!, track('t2', [])]);
    const swappedBack = edit([track('t2', []), e1.tracks[0]!]);
    expect(editKey(swapped)).not.toBe(editKey(swappedBack));
  });
});
