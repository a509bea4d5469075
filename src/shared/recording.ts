import { z } from 'zod';

/**
 * The recorder's domain types, shared by the services, the CLI's JSON and (next) the recorder UI.
 */

/** Where a device was found: the audio stack that lists it and that ffmpeg captures it through. */
export const audioBackends = ['pulse', 'alsa', 'avfoundation', 'dshow'] as const;
export type AudioBackend = (typeof audioBackends)[number];

/** `input`: a microphone or line in. `system`: what the computer plays (a monitor or loopback). */
export const audioDeviceKinds = ['input', 'system'] as const;
export type AudioDeviceKind = (typeof audioDeviceKinds)[number];

export const AudioDevice = z
  .object({
    /**
     * The backend's own name for the device, as ffmpeg takes it: a PulseAudio source name
     * (`alsa_input.usb-…`, `…monitor`), an ALSA `hw:CARD,DEV`, an avfoundation device name, or a
     * dshow alternative name (`@device_cm_…`, unique where friendly names repeat).
     */
    id: z.string().min(1),
    /** What a person reads: the description or friendly name. */
    name: z.string(),
    kind: z.enum(audioDeviceKinds),
    /** Null where the listing does not say (ALSA without opening the device, avfoundation, dshow). */
    channels: z.number().int().positive().nullable(),
    /** The device's native rate in Hz; null where the listing does not say. */
    defaultRate: z.number().int().positive().nullable(),
    backend: z.enum(audioBackends),
    /** The OS's default input (PulseAudio's default source); false where the backend cannot tell. */
    isDefault: z.boolean(),
  })
  .strict();
export type AudioDevice = z.infer<typeof AudioDevice>;

/** One device's identity across listings: the same id may exist on two backends. */
export const deviceKey = (device: Pick<AudioDevice, 'backend' | 'id'>): string =>
  `${device.backend}:${device.id}`;

/**
 * Where a track's audio comes from, as typed after `--source`: `lavfi:<filter>` (an ffmpeg test
 * source), `file:<path>` (a file played in real time), or a device: `pulse:<source>`,
 * `alsa:<hw:C,D>`, `avfoundation:<name>`, `dshow:<id>` (ids as `studio devices` lists them).
 */
export const sourceSchemes = ['lavfi', 'file', ...audioBackends] as const;
export type SourceScheme = (typeof sourceSchemes)[number];

/** A take's state on disk: `recording` while it runs (or when the recorder died mid-take). */
export const takeStatuses = ['recording', 'stopped', 'recovered'] as const;
export type TakeStatus = (typeof takeStatuses)[number];

/** The longest track name a take accepts (the library's limit for track names). */
export const TRACK_NAME_MAX = 100;

export const TakeTrack = z
  .object({
    /** The file's name in the take folder, e.g. `track-1.wav`. */
    file: z.string().min(1),
    /**
     * What the track is called (`host`, `guest`): the track's name once the take is added to an
     * episode. Absent in takes recorded before names existed; read it with `takeTrackName`.
     */
    name: z.string().min(1).max(TRACK_NAME_MAX).optional(),
    /** The source spec as given, e.g. `pulse:alsa_input.usb-…` or `lavfi:sine=frequency=440`. */
    source: z.string().min(1),
    channels: z.number().int().positive(),
    /** Sample frames in the file; set at stop and at recovery. */
    frames: z.number().int().nonnegative().nullable(),
    /** Why the track's capture ended early (device lost, ffmpeg failed); null when it did not. */
    error: z.string().nullable(),
  })
  .strict();
export type TakeTrack = z.infer<typeof TakeTrack>;

/** `take.json` in the take folder: written before capture starts, rewritten at stop or recovery. */
export const TakeManifest = z
  .object({
    version: z.literal(1),
    status: z.enum(takeStatuses),
    /** 48000: every track is 32-bit float WAV at this rate. */
    sampleRate: z.number().int().positive(),
    /** ISO time the captures were started. */
    startedAt: z.string(),
    stoppedAt: z.string().nullable(),
    /** The recording process, so recovery can refuse a take that is still being written. */
    pid: z.number().int(),
    hostname: z.string(),
    tracks: z.array(TakeTrack).min(1),
  })
  .strict();
export type TakeManifest = z.infer<typeof TakeManifest>;

/** A take track's name: its own, else `track-<n>` (n from 1, like its file). */
export const takeTrackName = (track: Pick<TakeTrack, 'name'>, index: number): string =>
  track.name ?? defaultTrackName(index);

export const defaultTrackName = (index: number): string => `track-${index + 1}`;
