import type { AudioDevice, AudioDeviceKind } from '../../../shared/recording';
import { resolveFfmpeg } from '../ffmpeg/binary';
import type { BackendListing } from './pulse-devices';
import { runTool, type ToolOptions } from './run-tool';

/** ffmpeg prefixes each log line with its context: `[dshow @ 000001b4f22a92c0] `. */
const logPrefix = /^\[[^\]]*@ [^\]]*\]\s?/;

/**
 * Loopback devices carry what the computer plays. Neither macOS nor DirectShow marks them, so
 * they are known by name: the usual virtual drivers (BlackHole, Soundflower, Loopback, VB-Cable)
 * and Windows' own "Stereo Mix".
 */
const systemAudioNames =
  /blackhole|soundflower|loopback|ishowu|stereo mix|what u hear|wave out mix|virtual-audio-capturer|cable output/i;
const kindByName = (name: string): AudioDeviceKind =>
  systemAudioNames.test(name) ? 'system' : 'input';

function ffmpegDevice(id: string, name: string, backend: 'avfoundation' | 'dshow'): AudioDevice {
  // The listings give no channel count, rate or default; they are known once the device is opened.
  return {
    id,
    name,
    kind: kindByName(name),
    channels: null,
    defaultRate: null,
    backend,
    isDefault: false,
  };
}

/**
 * Parses the stderr of `ffmpeg -f avfoundation -list_devices true -i ""` (macOS): the `[n] name`
 * lines after "AVFoundation audio devices:". The id is the name, which ffmpeg takes as `-i :<name>`
 * and which, unlike the index, survives another device being plugged in.
 */
export function parseAvfoundationDevices(stderr: string): AudioDevice[] {
  const devices: AudioDevice[] = [];
  let section: 'video' | 'audio' | null = null;
  for (const raw of stderr.split(/\r?\n/)) {
    if (!logPrefix.test(raw)) continue;
    const line = raw.replace(logPrefix, '');
    const header = /^AVFoundation (video|audio) devices:/.exec(line);
    if (header) {
      section = header[1] as 'video' | 'audio';
      continue;
    }
    const entry = /^\[(\d+)\] (.+)$/.exec(line);
    if (entry && section === 'audio')
      devices.push(ffmpegDevice(entry[2]!, entry[2]!, 'avfoundation'));
  }
  return devices;
}

/**
 * Parses the stderr of `ffmpeg -f dshow -list_devices true -i dummy` (Windows), in both shapes:
 * up to ffmpeg 4.4 under "DirectShow audio devices" headers, from 5.0 one line per device with
 * its media types, `"Microphone (Realtek Audio)" (audio)`. The id is the alternative name
 * (`@device_cm_…`), unique where friendly names repeat; the friendly name when there is none.
 */
export function parseDshowDevices(stderr: string): AudioDevice[] {
  const entries: { name: string; audio: boolean; alternative: string | null }[] = [];
  let section: 'video' | 'audio' | null = null;
  for (const raw of stderr.split(/\r?\n/)) {
    if (!logPrefix.test(raw)) continue;
    const line = raw.replace(logPrefix, '');
    const header = /^DirectShow (video|audio) devices/.exec(line);
    if (header) {
      section = header[1] as 'video' | 'audio';
      continue;
    }
    const alternative = /^\s*Alternative name "(.*)"\s*$/.exec(line);
    if (alternative) {
      const last = entries.at(-1);
      if (last && last.alternative === null) last.alternative = alternative[1]!;
      continue;
    }
    const entry = /^\s*"(.*)"(?:\s+\(([^)]*)\))?\s*$/.exec(line);
    if (!entry) continue;
    const types = entry[2];
    const audio = types === undefined ? section === 'audio' : /\baudio\b/.test(types);
    entries.push({ name: entry[1]!, audio, alternative: null });
  }
  return entries
    .filter((entry) => entry.audio)
    .map((entry) => ffmpegDevice(entry.alternative ?? entry.name, entry.name, 'dshow'));
}

/** Audio devices through ffmpeg's own device listing (macOS avfoundation, Windows dshow). */
export async function listFfmpegDevices(
  format: 'avfoundation' | 'dshow',
  options: ToolOptions = {},
): Promise<BackendListing> {
  let ffmpeg: string;
  try {
    ffmpeg = resolveFfmpeg().ffmpeg;
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const input = format === 'avfoundation' ? '' : 'dummy';
  const run = await runTool(
    ffmpeg,
    ['-hide_banner', '-f', format, '-list_devices', 'true', '-i', input],
    options,
  );
  if (run.spawnError)
    return { ok: false, reason: `ffmpeg could not start (${run.spawnError.message})` };
  if (run.timedOut)
    return { ok: false, reason: 'ffmpeg did not list devices within the time limit' };
  // The listing ends in an "error" exit by design (there is no input to open); the log lines are
  // the answer. Without any, this ffmpeg lacks the device (e.g. "Unknown input format").
  const listed = format === 'avfoundation' ? /AVFoundation .*devices:/ : /\[dshow @/;
  if (!listed.test(run.stderr)) {
    const reason = run.stderr.trim().split(/\r?\n/).at(-1)?.trim() || `exit code ${run.code}`;
    return { ok: false, reason: `ffmpeg -f ${format} gave no device list (${reason})` };
  }
  return {
    ok: true,
    devices:
      format === 'avfoundation'
        ? parseAvfoundationDevices(run.stderr)
        : parseDshowDevices(run.stderr),
  };
}
