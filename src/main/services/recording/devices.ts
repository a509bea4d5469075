import { StudioError } from '../../../shared/errors';
import { type AudioDevice, deviceKey } from '../../../shared/recording';
import { listAlsaDevices } from './alsa-devices';
import { listFfmpegDevices } from './ffmpeg-devices';
import { type BackendListing, listPulseDevices } from './pulse-devices';

export interface ListDevicesOptions {
  /** Environment for the listing tools (PULSE_SERVER, PATH…); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Which OS's backends to ask; default the one we run on. */
  platform?: NodeJS.Platform;
  /** Where ALSA's PCM list is read when arecord is missing; default /proc/asound/pcm. */
  procPcmPath?: string;
}

/** The backends asked on each OS, in order: the first that answers gives the list. */
const backendsFor = (platform: NodeJS.Platform, options: ListDevicesOptions) => {
  const tool = { env: options.env };
  switch (platform) {
    case 'darwin':
      return [
        { name: 'avfoundation (ffmpeg)', list: () => listFfmpegDevices('avfoundation', tool) },
      ];
    case 'win32':
      return [{ name: 'DirectShow (ffmpeg)', list: () => listFfmpegDevices('dshow', tool) }];
    default:
      return [
        { name: 'PulseAudio/PipeWire (pactl)', list: () => listPulseDevices(tool) },
        {
          name: 'ALSA',
          list: () => listAlsaDevices({ ...tool, procPcmPath: options.procPcmPath }),
        },
      ];
  }
};

/**
 * The audio devices a take can record from, on any OS: Linux asks PulseAudio or PipeWire
 * (through pactl; monitor sources are system audio) and falls back to ALSA; macOS and Windows
 * ask ffmpeg's avfoundation and dshow listings. An empty list is an answer (no devices);
 * `audio_unavailable` means no backend answered, and names each one tried and why.
 */
export async function listDevices(options: ListDevicesOptions = {}): Promise<AudioDevice[]> {
  const tried: string[] = [];
  for (const backend of backendsFor(options.platform ?? process.platform, options)) {
    const listing: BackendListing = await backend.list();
    if (listing.ok) return listing.devices;
    tried.push(`${backend.name}: ${listing.reason}`);
  }
  throw new StudioError(
    'audio_unavailable',
    `No audio system answered, so no devices can be listed. Tried ${tried.join('; ')}.`,
    { tried },
  );
}

export interface DeviceChange {
  added: AudioDevice[];
  removed: AudioDevice[];
  /** The whole list after the change. */
  devices: AudioDevice[];
}

export interface WatchOptions extends ListDevicesOptions {
  /** Time between listings; default 1000 ms. */
  intervalMs?: number;
  /** A listing failed (the audio server went away); watching goes on. */
  onError?: (error: unknown) => void;
}

export interface DeviceWatch {
  /** The first listing, against which changes are reported. Rejects if it fails. */
  ready: Promise<AudioDevice[]>;
  /**
   * Stops watching; no change is reported after it is called. Resolves once a listing under way
   * has ended, so a caller closing down knows no listing tool still runs.
   */
  stop: () => Promise<void>;
}

/** What was added and removed between two listings, by backend and id. */
export function diffDevices(before: AudioDevice[], after: AudioDevice[]): DeviceChange {
  const beforeKeys = new Set(before.map(deviceKey));
  const afterKeys = new Set(after.map(deviceKey));
  return {
    added: after.filter((device) => !beforeKeys.has(deviceKey(device))),
    removed: before.filter((device) => !afterKeys.has(deviceKey(device))),
    devices: after,
  };
}

/**
 * Notices hot-plug by listing again every `intervalMs` and reporting devices added or removed.
 * Polling works the same on every backend (a listing takes a few milliseconds); listings never
 * overlap, the next starts after the previous answered.
 */
export function watchDevices(
  onChange: (change: DeviceChange) => void,
  options: WatchOptions = {},
): DeviceWatch {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: AudioDevice[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();
  const list = () => {
    const listing = listDevices(options);
    inFlight = listing.catch(() => {});
    return listing;
  };

  const poll = async () => {
    try {
      const next = await list();
      if (stopped) return;
      const change = diffDevices(current, next);
      current = next;
      if (change.added.length > 0 || change.removed.length > 0) onChange(change);
    } catch (error) {
      if (!stopped) options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(poll, intervalMs);
  };

  const ready = list().then((devices) => {
    current = devices;
    if (!stopped) timer = setTimeout(poll, intervalMs);
    return devices;
  });

  return {
    ready,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
