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
