import { StudioError } from '../../../shared/errors';
import { runTool, type ToolOptions, toolFailure } from './run-tool';

/**
 * What the recorder changes on a PulseAudio or PipeWire (pipewire-pulse) server while armed, all
 * through pactl: a source's volume (the OS's input gain) and loopback modules that play an input
 * to the headphones (monitoring). The text output is parsed (runTool sets LC_ALL=C), which reads
 * the same on pulseaudio 15+ and pipewire-pulse.
 */

/** PulseAudio's 100%: the raw volume value of unity gain (PA_VOLUME_NORM). */
const VOLUME_NORM = 65536;

/** Runs pactl; a failure is a StudioError that says what was being done and why it failed. */
async function pactl(args: string[], doing: string, options: ToolOptions): Promise<string> {
  const run = await runTool('pactl', args, options);
  const failure = toolFailure('pactl', run);
  if (failure)
    throw new StudioError(
      'audio_unavailable',
      `Could not ${doing}: ${failure}. Check that the PulseAudio or PipeWire server is running and the device is still connected.`,
      { args, stderr: run.stderr.trim().split(/\r?\n/).slice(-5) },
    );
  return run.stdout;
}

/**
 * The volume in percent from `pactl get-source-volume` ("Volume: front-left: 32768 /  50% /
 * -18.06 dB,   front-right: …"): the loudest channel, as PulseAudio's own overall volume is.
 * Computed from the raw values, which are exact where the printed percent is rounded. Null when
 * the text holds no volume.
 */
export function parsePactlVolume(text: string): number | null {
  const values = [...text.matchAll(/:\s*(\d+)\s*\/\s*\d+%/g)].map((m) => Number(m[1]));
  if (values.length === 0) return null;
  return Math.round((Math.max(...values) / VOLUME_NORM) * 100);
}

/** The sink inputs a module owns, from the text of `pactl list sink-inputs`. */
export function parseSinkInputsOfModule(text: string, module: number): number[] {
  const found: number[] = [];
  for (const block of text.split(/^(?=Sink Input #\d+)/m)) {
    const index = /^Sink Input #(\d+)/.exec(block)?.[1];
    const owner = /^\s*Owner Module:\s*(\d+)/m.exec(block)?.[1];
    if (index !== undefined && owner !== undefined && Number(owner) === module)
      found.push(Number(index));
  }
  return found;
}

export async function getSourceVolume(source: string, options: ToolOptions = {}): Promise<number> {
  const text = await pactl(
    ['get-source-volume', source],
    `read the input level of "${source}"`,
    options,
  );
  const percent = parsePactlVolume(text);
  if (percent === null)
    throw new StudioError(
      'audio_unavailable',
      `Could not read the input level of "${source}": pactl printed no volume.`,
      { output: text.slice(0, 200) },
    );
  return percent;
}

export async function setSourceVolume(
  source: string,
  percent: number,
  options: ToolOptions = {},
): Promise<void> {
  await pactl(
    ['set-source-volume', source, `${Math.round(percent)}%`],
    `set the input level of "${source}"`,
    options,
  );
}

export async function getDefaultSink(options: ToolOptions = {}): Promise<string | null> {
  const text = await pactl(['get-default-sink'], 'find the default output', options);
  return text.trim() || null;
}

/** A loaded `module-loopback`: the module, and its stream whose volume is the monitoring level. */
export interface Loopback {
  module: number;
  sinkInput: number | null;
}

/**
 * What marks our loopbacks, as a module argument: `pactl list short modules` shows it, so the
 * ones a crashed app left playing can be found and unloaded (they belong to the sound server and
 * outlive us). It also names the stream in the system's mixer.
 */
export const MONITOR_TAG = 'sink_input_properties=media.name=podcast-studio-monitor';

/** The modules in `pactl list short modules` text that are loopbacks we loaded (tagged). */
export function parseTaggedLoopbacks(text: string): number[] {
  const found: number[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [index, name, args = ''] = line.split('\t');
    if (name === 'module-loopback' && args.split(/\s+/).includes(MONITOR_TAG))
      found.push(Number(index));
  }
  return found.filter(Number.isInteger);
}

/**
 * Unloads every tagged loopback on the server: monitoring left by an app that crashed or was
 * killed, which would otherwise play the microphones into the headphones until the server
 * restarts. Only ours: the tag is in the module's arguments. Resolves to how many were unloaded.
 */
export async function unloadLeftoverLoopbacks(options: ToolOptions = {}): Promise<number> {
  const text = await pactl(
    ['list', 'short', 'modules'],
    'list the sound server’s modules',
    options,
  );
  const leftovers = parseTaggedLoopbacks(text);
  // One already gone (another instance cleaning up at once) is what we wanted anyway.
  await Promise.all(leftovers.map((module) => unloadModule(module, options).catch(() => {})));
  return leftovers.length;
}

/**
 * Plays `source` to `sink` with module-loopback at a low latency (20 ms: late enough to stay
 * glitch-free on a loaded machine, early enough not to sound like an echo in headphones).
 * `sink_dont_move`: if the headphones go away PulseAudio unloads the loopback rather than moving
 * it to the speakers, where a microphone would feed back.
 *
 * The level: module-loopback takes no volume or mute argument (PulseAudio 16's arguments are
 * source, sink, latencies, format, rate, channels, properties, dont_move and remix; pipewire-pulse
 * takes fewer), no property sets a stream's volume, and the stream starts playing as the module
 * loads, so through pactl it cannot be created muted or corked. Its volume is therefore the very
 * next thing set: the input may be heard at its own level for that moment (two pactl runs, tens of
 * milliseconds, partly inside the loopback's 20 ms buffer), never longer.
 */
export async function loadLoopback(
  source: string,
  sink: string,
  percent: number,
  options: ToolOptions = {},
): Promise<Loopback> {
  const text = await pactl(
    [
      'load-module',
      'module-loopback',
      `source=${source}`,
      `sink=${sink}`,
      'latency_msec=20',
      'source_dont_move=true',
      'sink_dont_move=true',
      MONITOR_TAG,
    ],
    `play "${source}" to the headphones`,
    options,
  );
  const module = Number(text.trim());
  if (!Number.isInteger(module))
    throw new StudioError(
      'audio_unavailable',
      `Could not play "${source}" to the headphones: pactl did not say which module it loaded.`,
    );
  const loopback: Loopback = { module, sinkInput: null };
  try {
    const inputs = await pactl(['list', 'sink-inputs'], 'find the monitoring stream', options);
    loopback.sinkInput = parseSinkInputsOfModule(inputs, module)[0] ?? null;
    if (loopback.sinkInput === null)
      throw new StudioError(
        'audio_unavailable',
        `Could not set the monitoring level of "${source}": its loopback stream was not found.`,
      );
    await setLoopbackVolume(loopback, percent, options);
  } catch (error) {
    // A loopback at full volume that the level cannot reach must not be left playing.
    await unloadModule(module, options).catch(() => {});
    throw error;
  }
  return loopback;
}

export async function setLoopbackVolume(
  loopback: Loopback,
  percent: number,
  options: ToolOptions = {},
): Promise<void> {
  if (loopback.sinkInput === null) return;
  await pactl(
    ['set-sink-input-volume', String(loopback.sinkInput), `${Math.round(percent)}%`],
    'set the monitoring level',
    options,
  );
}

export async function unloadModule(module: number, options: ToolOptions = {}): Promise<void> {
  await pactl(['unload-module', String(module)], 'stop monitoring', options);
}
