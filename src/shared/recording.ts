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
    /**
     * The file's name in the take folder, e.g. `track-1.wav`; nothing else, so a crafted take.json
     * cannot point recovery or an import at a file outside its folder.
     */
    file: z.string().regex(/^track-\d+\.wav$/),
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
    /** How the track's clock lined up with the take's; absent in takes recorded before sync. */
    sync: z
      .object({
        /**
         * Where the file's first frame lies on the take's clock, in frames, as measured over the
         * whole take (0 = exactly at the take's start; the recorder aims for 0 when it starts).
         */
        offsetFrames: z.number().int(),
        /**
         * The device clock's rate error against the computer's, in parts per million (+ = the
         * device delivers more samples per second than it says); null when the take was too
         * short to tell, 0 for test sources, which the recorder paces itself.
         */
        driftPpm: z.number().nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type TakeTrack = z.infer<typeof TakeTrack>;

/** A marker dropped during a take: a frame on the take's timeline (pauses left out). */
export const TakeMarker = z
  .object({
    frame: z.number().int().nonnegative(),
    title: z.string().max(200),
  })
  .strict();
export type TakeMarker = z.infer<typeof TakeMarker>;

/**
 * Drift beyond one sample per second (about 21 ppm at 48 kHz) is corrected when the take becomes
 * tracks; below it, a take's own measurement of the drift is not much better than the drift.
 */
export const DRIFT_CORRECTION_PPM = 1e6 / 48_000;

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
    /** Markers dropped during the take, in order; absent in takes recorded before markers. */
    markers: z.array(TakeMarker).optional(),
    /** The episode the take is being recorded for (the app's recorder); null from the CLI. */
    episodeId: z.string().nullable().optional(),
  })
  .strict();
export type TakeManifest = z.infer<typeof TakeManifest>;

/** A take track's name: its own, else `track-<n>` (n from 1, like its file). */
export const takeTrackName = (track: Pick<TakeTrack, 'name'>, index: number): string =>
  track.name ?? defaultTrackName(index);

export const defaultTrackName = (index: number): string => `track-${index + 1}`;

/** A number option of a test signal: a plain decimal within bounds (no expressions, no units). */
const numberOption =
  (min: number, max: number) =>
  (value: string): boolean =>
    /^\d{1,9}(\.\d{1,9})?$/.test(value) && Number(value) >= min && Number(value) <= max;
const oneOf =
  (...values: string[]) =>
  (value: string): boolean =>
    values.includes(value);

/**
 * The ffmpeg test sources the app's recorder accepts, with each option they may carry (short and
 * long names). A lavfi graph can read and write files (`amovie`, `ametadata=…:file=`), so from the
 * app only these generators are passed to ffmpeg, and only with plain numbers or known words.
 * The CLI, run by the user in their own shell, takes any filter.
 */
const TEST_SIGNALS: Record<string, Record<string, (value: string) => boolean>> = {
  sine: {
    frequency: numberOption(0, 96_000),
    f: numberOption(0, 96_000),
    beep_factor: numberOption(0, 1000),
    b: numberOption(0, 1000),
    sample_rate: numberOption(8000, 192_000),
    r: numberOption(8000, 192_000),
    duration: numberOption(0, 86_400),
    d: numberOption(0, 86_400),
  },
  anoisesrc: {
    amplitude: numberOption(0, 1),
    a: numberOption(0, 1),
    color: oneOf('white', 'pink', 'brown', 'blue', 'violet', 'velvet'),
    colour: oneOf('white', 'pink', 'brown', 'blue', 'violet', 'velvet'),
    c: oneOf('white', 'pink', 'brown', 'blue', 'violet', 'velvet'),
    seed: numberOption(0, 2 ** 31 - 1),
    s: numberOption(0, 2 ** 31 - 1),
    sample_rate: numberOption(8000, 192_000),
    r: numberOption(8000, 192_000),
    duration: numberOption(0, 86_400),
    d: numberOption(0, 86_400),
  },
};

/** Why a lavfi graph is not a test signal the app accepts (`sine=frequency=440`); null if it is. */
export function testSignalProblem(graph: string): string | null {
  const equals = graph.indexOf('=');
  const name = equals < 0 ? graph : graph.slice(0, equals);
  const allowed = Object.hasOwn(TEST_SIGNALS, name) ? TEST_SIGNALS[name] : undefined;
  const offered = Object.keys(TEST_SIGNALS).join(' and ');
  if (!allowed)
    return `“${name.slice(0, 40)}” is not a test signal the recorder offers (it offers ${offered}).`;
  if (equals < 0) return null;
  for (const option of graph.slice(equals + 1).split(':')) {
    const [key = '', value, ...rest] = option.split('=');
    const check = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!check || value === undefined || rest.length > 0 || !check(value))
      return `The test signal option “${option.slice(0, 40)}” is not allowed: ${name} takes ${Object.keys(allowed).join(', ')}, each a plain number (colours by name).`;
  }
  return null;
}

/** The longest device id the recorder takes (PulseAudio names run to about 150 characters). */
const DEVICE_ID_MAX = 512;

/**
 * Why a source cannot come from the app's UI, or null: test signals must be ones the recorder
 * offers; a device must be named by a plain id (the main process then checks it is one the device
 * listing gave: `alsa:file:'|cmd'` would have ALSA run a shell); files are the CLI's.
 */
export function appSourceProblem(source: string): string | null {
  const colon = source.indexOf(':');
  const scheme = colon > 0 ? source.slice(0, colon) : '';
  const value = source.slice(colon + 1);
  if (scheme === 'lavfi') return testSignalProblem(value);
  if (scheme === 'file')
    return 'The recorder in the app records devices and test signals, not files: import the file instead (or use studio record --source file:…).';
  if ((audioBackends as readonly string[]).includes(scheme)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
    if (!value || value.length > DEVICE_ID_MAX || /[\u0000-\u001f\u007f]/.test(value))
      return `“${source.slice(0, 60)}” is not a device id from the device list.`;
    return null;
  }
  return `Unknown source “${source.slice(0, 60)}”: choose a microphone, system audio or a test signal.`;
}

/** One track of the recorder as the user sets it up: what it is called and what it records. */
export const RecorderTrackSetup = z
  .object({
    name: z.string().trim().min(1).max(TRACK_NAME_MAX),
    /**
     * A device (`pulse:alsa_input.usb-…`, as the device list gives it) or a test signal
     * (`lavfi:sine=frequency=440`); see appSourceProblem.
     */
    source: z
      .string()
      .min(1)
      .max(4096)
      .superRefine((source, context) => {
        const problem = appSourceProblem(source);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
  })
  .strict();
export type RecorderTrackSetup = z.infer<typeof RecorderTrackSetup>;

/** The recorder's setup, remembered per show. */
export const RecorderSettings = z
  .object({
    tracks: z.array(RecorderTrackSetup).max(8),
    /** Seconds counted down before recording starts; 0 = none. */
    countInSec: z.number().int().min(0).max(10),
  })
  .strict();
export type RecorderSettings = z.infer<typeof RecorderSettings>;

/**
 * `idle`: nothing open. `armed`: captures running, meters live, nothing written. `recording` and
 * `paused`: a take is open. Stopping ends in `idle` again.
 */
export const recorderStates = ['idle', 'armed', 'recording', 'paused'] as const;
export type RecorderState = (typeof recorderStates)[number];

export const RecorderTrackStatus = z
  .object({
    name: z.string(),
    source: z.string(),
    channels: z.number().int().positive(),
    /** Why this track stopped capturing (device lost); the other tracks go on. Null while fine. */
    error: z.string().nullable(),
    /**
     * The OS's input level for this source in percent (100 = unity; PulseAudio's curve is cubic,
     * so 50% is about -18 dB). Null where the OS offers none the recorder can set: test signals,
     * files, and for now ALSA, avfoundation and dshow devices.
     */
    gainPercent: z.number().nonnegative().nullable(),
  })
  .strict();
export type RecorderTrackStatus = z.infer<typeof RecorderTrackStatus>;

export const RecorderStatus = z
  .object({
    state: z.enum(recorderStates),
    /** The episode the recorder is armed for; null when idle. */
    episodeId: z.string().nullable(),
    tracks: z.array(RecorderTrackStatus),
    /** Seconds recorded in the take so far, pauses left out; 0 when no take is open. */
    elapsedSec: z.number().nonnegative(),
    markers: z.array(TakeMarker),
    /** Free space on the disk the take is written to; null when unknown. */
    diskFreeBytes: z.number().nonnegative().nullable(),
    /** How long the take can go on before that disk is full, at the armed tracks' rate. */
    secondsLeft: z.number().nonnegative().nullable(),
    /**
     * What the user should read that no request of theirs answered: why a take stopped on its own
     * (disk full, every device lost) and what was saved. Null when there is nothing to say.
     */
    notice: z.string().nullable().optional(),
    /**
     * How loud the armed inputs are played to the headphones (the default output), 0–100; 0 = not
     * at all. Set while armed; back to 0 when the recorder is disarmed or stopped.
     */
    monitorLevel: z.number().int().min(0).max(100),
  })
  .strict();
export type RecorderStatus = z.infer<typeof RecorderStatus>;

/** The input gain the recorder may set, in percent: PulseAudio's own sliders go to 150%. */
export const GAIN_PERCENT_MAX = 150;

/**
 * Whether the recorder can set a source's input gain and play it to the headphones: PulseAudio
 * and PipeWire sources (through pactl). The UI uses it to say why a control is unavailable.
 */
export const hasOsInputControl = (source: string): boolean => source.startsWith('pulse:');

/** Meter readings pushed about 20 times a second while armed: linear, 1.0 = full scale. */
export const RecorderLevels = z
  .object({
    elapsedSec: z.number().nonnegative(),
    tracks: z.array(z.object({ peak: z.number().nonnegative(), rms: z.number().nonnegative() })),
  })
  .strict();
export type RecorderLevels = z.infer<typeof RecorderLevels>;

/** A take the app found still marked `recording` at start: its recorder died mid-take. */
export const InterruptedTake = z
  .object({
    dir: z.string(),
    episodeId: z.string().nullable(),
    startedAt: z.string(),
    trackNames: z.array(z.string()),
  })
  .strict();
export type InterruptedTake = z.infer<typeof InterruptedTake>;

/** What stopping (or recovering) a take added to its episode. */
export const TakeSaved = z
  .object({
    episodeId: z.string(),
    dir: z.string(),
    tracks: z.array(
      z
        .object({
          name: z.string(),
          status: z.enum(['added', 'skipped', 'failed']),
          trackId: z.string().nullable(),
          durationSec: z.number(),
          /**
           * Why it was skipped or failed, or that it was added as recorded because it could not
           * be lined up with the take, or why its capture ended early.
           */
          error: z.string().nullable(),
        })
        .strict(),
    ),
    markers: z.number().int().nonnegative(),
    /** Plain words for the user: what was kept, and any problem (disk full, device lost). */
    message: z.string(),
  })
  .strict();
export type TakeSaved = z.infer<typeof TakeSaved>;
