import { z } from 'zod';
import { StudioError } from '../errors';
import { MODEL_RATE } from '../time';
import type { History } from './history';
import { editProblem } from './invariants';
import { EDIT_VERSION, type Edit, EditMarker, EditTrack } from './model';

/**
 * The history as JSON. Steps share most of their tracks, so each distinct track (and marker list)
 * is written once and the steps refer to it by index: the saved form stays about as small as the
 * history in memory, and reading it back restores the sharing, not just the values.
 */

const Index = z.number().int().min(0);

export const HistoryJson = z.object({
  format: z.literal('studio-edit-history'),
  version: z.literal(1),
  tracks: z.array(EditTrack),
  markerLists: z.array(z.array(EditMarker)),
  /** past, then the present, then future, in the order of History. */
  steps: z.array(z.object({ tracks: z.array(Index), markers: Index })).min(1),
  presentIndex: Index,
});
export type HistoryJson = z.infer<typeof HistoryJson>;

export function historyToJson(history: History): HistoryJson {
  const tracks = new Map<EditTrack, number>();
  const markerLists = new Map<EditMarker[], number>();
  const indexOf = <T>(table: Map<T, number>, value: T): number => {
    let index = table.get(value);
    if (index === undefined) {
      index = table.size;
      table.set(value, index);
    }
    return index;
  };
  const steps = [...history.past, history.present, ...history.future].map((edit) => ({
    tracks: edit.tracks.map((track) => indexOf(tracks, track)),
    markers: indexOf(markerLists, edit.markers),
  }));
  return {
    format: 'studio-edit-history',
    version: 1,
    tracks: [...tracks.keys()],
    markerLists: [...markerLists.keys()],
    steps,
    presentIndex: history.past.length,
  };
}

/** Reads a saved history back, checking every step; refuses a damaged one with the reason. */
export function historyFromJson(value: unknown): History {
  const parsed = HistoryJson.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    damaged(`${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { tracks, markerLists, steps, presentIndex } = parsed.data;
  if (presentIndex >= steps.length) damaged('the present step is missing');
  const edits = steps.map((step, index): Edit => {
    const edit: Edit = {
      version: EDIT_VERSION,
      sampleRate: MODEL_RATE,
      tracks: step.tracks.map((i) => tracks[i] ?? damaged(`step ${index} names a missing track`)),
      markers: markerLists[step.markers] ?? damaged(`step ${index} names missing markers`),
    };
    const problem = editProblem(edit);
    if (problem) damaged(`step ${index}: ${problem}`);
    return edit;
  });
  return {
    past: edits.slice(0, presentIndex),
    present: edits[presentIndex]!,
    future: edits.slice(presentIndex + 1),
  };
}

function damaged(reason: string): never {
  throw new StudioError('invalid_input', `The saved edit history is damaged (${reason}).`);
}
