import { readFile } from 'node:fs/promises';
import type { AudioDevice } from '../../../shared/recording';
import type { BackendListing } from './pulse-devices';
import { runTool, type ToolOptions, toolFailure } from './run-tool';

function alsaDevice(card: number, device: number, name: string): AudioDevice {
  return {
    id: `hw:${card},${device}`,
    name,
    kind: 'input',
    // ALSA reports these only once a device is opened; the recorder asks for 48 kHz anyway.
    channels: null,
    defaultRate: null,
    backend: 'alsa',
    isDefault: false,
  };
}

/**
 * Parses /proc/asound/pcm: one line per PCM device, e.g.
 * `00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1`; only capture devices count.
 */
export function parseProcAsoundPcm(text: string): AudioDevice[] {
  const devices: AudioDevice[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+)-(\d+):\s*([^:]*?)\s*:/.exec(line);
    if (!match || !/:\s*capture\s+\d+/.test(line)) continue;
    devices.push(alsaDevice(Number(match[1]), Number(match[2]), match[3] || `hw:${match[1]}`));
  }
  return devices;
}

/**
 * Parses `arecord -l` (capture devices only by definition), e.g.
 * `card 1: Device [USB Audio Device], device 0: USB Audio [USB Audio]`.
 */
export function parseArecordList(text: string): AudioDevice[] {
  const devices: AudioDevice[] = [];
  for (const line of text.split('\n')) {
    const match =
      /^card (\d+): [^[]*\[([^\]]*)\], device (\d+): ([^[]*?)\s*(?:\[([^\]]*)\])?\s*$/.exec(line);
    if (!match) continue;
    const [, card, cardName, device, deviceName, deviceLong] = match;
    devices.push(
      alsaDevice(Number(card), Number(device), `${cardName}: ${deviceLong || deviceName}`),
    );
  }
  return devices;
}

/**
 * ALSA capture devices, for Linux without a PulseAudio or PipeWire server: `arecord -l` where
 * alsa-utils is installed (it names the card), else the kernel's /proc/asound/pcm.
 */
export async function listAlsaDevices(
  options: ToolOptions & { procPcmPath?: string } = {},
): Promise<BackendListing> {
  const arecord = await runTool('arecord', ['-l'], options);
  const arecordFailure = toolFailure('arecord', arecord);
  if (!arecordFailure) return { ok: true, devices: parseArecordList(arecord.stdout) };
  const path = options.procPcmPath ?? '/proc/asound/pcm';
  try {
    return { ok: true, devices: parseProcAsoundPcm(await readFile(path, 'utf8')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found (no ALSA sound card driver)' : String(code);
    return { ok: false, reason: `${arecordFailure}; ${path} ${why}` };
  }
}
