import {
  type AudioDevice,
  deviceKey,
  type RecorderSettings,
  type RecorderTrackSetup,
} from '../../../shared/recording';

/** What the source select offers: devices by kind, then test signals, which are always there. */

export interface SourceOption {
  value: string;
  label: string;
}

export interface SourceGroup {
  label: string;
  options: SourceOption[];
}

/** ffmpeg test tones: they check the whole chain without a sound card. */
export const TEST_SIGNALS: readonly SourceOption[] = [
  { value: 'lavfi:sine=frequency=440:sample_rate=48000', label: 'Test tone 440 Hz' },
  { value: 'lavfi:sine=frequency=1000:sample_rate=48000', label: 'Test tone 1 kHz' },
];

export const MAX_TRACKS = 8;

/** The names offered to new tracks, in order, before falling back to "Track n". */
const SUGGESTED_NAMES = ['Host', 'Guest', 'Co-host', 'Remote', 'Caller'];

function deviceLabel(device: AudioDevice): string {
  return device.isDefault ? `${device.name} (default)` : device.name;
}

/**
 * The select's groups. A source that is set but not offered (a device unplugged since the setup
 * was saved) gets its own group, so the select still shows what the track is set to.
 */
export function sourceGroups(devices: readonly AudioDevice[], current: string[]): SourceGroup[] {
  const option = (d: AudioDevice): SourceOption => ({ value: deviceKey(d), label: deviceLabel(d) });
  const groups: SourceGroup[] = [
    { label: 'Microphones', options: devices.filter((d) => d.kind === 'input').map(option) },
    { label: 'System audio', options: devices.filter((d) => d.kind === 'system').map(option) },
    { label: 'Test signals', options: [...TEST_SIGNALS] },
  ];
  const offered = new Set(groups.flatMap((g) => g.options.map((o) => o.value)));
  const missing = [...new Set(current.filter((value) => value && !offered.has(value)))];
  if (missing.length > 0)
    groups.push({
      label: 'Not connected',
      options: missing.map((value) => ({ value, label: `${value} (not found)` })),
    });
  return groups.filter((g) => g.options.length > 0);
}

/** A person's name for a source spec: the device's name, the tone's, or the spec itself. */
export function sourceLabel(source: string, devices: readonly AudioDevice[]): string {
  const device = devices.find((d) => deviceKey(d) === source);
  if (device) return device.name;
  return TEST_SIGNALS.find((s) => s.value === source)?.label ?? source;
}

/** A new track: the next suggested name not in use, on the next input or test tone not in use. */
export function newTrack(
  tracks: readonly RecorderTrackSetup[],
  devices: readonly AudioDevice[],
): RecorderTrackSetup {
  const names = new Set(tracks.map((t) => t.name.trim().toLowerCase()));
  const name =
    SUGGESTED_NAMES.find((n) => !names.has(n.toLowerCase())) ??
    firstFree((n) => `Track ${n}`, names, tracks.length + 1);
  const used = new Set(tracks.map((t) => t.source));
  const candidates = [
    ...devices.filter((d) => d.kind === 'input' && d.isDefault),
    ...devices.filter((d) => d.kind === 'input'),
  ]
    .map(deviceKey)
    .concat(TEST_SIGNALS.map((s) => s.value));
  const source = candidates.find((c) => !used.has(c)) ?? candidates[0] ?? TEST_SIGNALS[0]!.value;
  return { name, source };
}

function firstFree(make: (n: number) => string, taken: Set<string>, from: number): string {
  let n = from;
  while (taken.has(make(n).toLowerCase())) n++;
  return make(n);
}

/** What is wrong with a track's name, if anything; the recorder refuses empty or repeated ones. */
export function nameProblem(tracks: readonly RecorderTrackSetup[], index: number): string | null {
  const name = tracks[index]?.name.trim() ?? '';
  if (!name) return 'Give this track a name';
  const same = tracks.findIndex((t) => t.name.trim().toLowerCase() === name.toLowerCase());
  return same !== index ? `Another track is called ${name}` : null;
}

/** True when the setup can be saved and armed as it is. */
export function setupIsValid(settings: RecorderSettings): boolean {
  return (
    settings.tracks.length > 0 &&
    settings.tracks.every((t, i) => t.source !== '' && nameProblem(settings.tracks, i) === null)
  );
}

/** True when the schema will take the setup (names may still repeat: that is only refused at arm). */
export function setupIsSavable(settings: RecorderSettings): boolean {
  return settings.tracks.every((t) => t.name.trim() !== '' && t.source !== '');
}

/**
 * Why a track's input gain cannot be set from the recorder (shown on its disabled control), by
 * the source's scheme: the Node side sets it for PulseAudio/PipeWire sources only.
 */
export function gainUnavailableReason(source: string): string {
  const scheme = source.slice(0, source.indexOf(':'));
  switch (scheme) {
    case 'lavfi':
      return 'A test signal has no input level to set.';
    case 'file':
      return 'A file is played as it is: it has no input level to set.';
    case 'pulse':
      return 'The sound system did not report this input’s level. Set it in the system’s sound settings.';
    default:
      return 'The input level of this kind of device cannot be set here yet. Set it on the device or in the system’s sound settings.';
  }
}
