import { z } from 'zod';
import { Id, Job } from '../domain';
import { AudioDevice, InterruptedTake, RecorderLevels, RecorderStatus } from '../recording';

/** Every event the Node side pushes to the UI. */
export const events = {
  /** A job was created or changed state or progress. */
  'job.updated': Job,
  /**
   * Library data changed; the UI refetches what it shows for that scope. `edit`: an episode's
   * timeline edit was saved (another window may hold an older one).
   */
  'library.changed': z.object({
    scope: z.enum(['shows', 'episodes', 'tracks', 'trash', 'edit']),
    showId: Id.optional(),
    episodeId: Id.optional(),
  }),
  /** The recorder's meters, about 20 times a second while it is armed or recording. */
  'recorder.levels': RecorderLevels,
  /** The recorder changed state, lost a device, got a marker, or (once a second) its clock moved. */
  'recorder.status': RecorderStatus,
  /**
   * A device was plugged in or pulled out: the whole list now. Watched only once the recorder was
   * asked for its devices (`recorder.devices`), every 2 s until the app closes.
   */
  'recorder.devices': z.array(AudioDevice),
  /**
   * The interrupted takes changed: the whole list now. A stop that failed adds its take; a
   * recovered take leaves. (The list found at start is what `recorder.interrupted` answers.)
   */
  'recorder.interrupted': z.array(InterruptedTake),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
