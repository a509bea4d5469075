import { z } from 'zod';
import type { AudioDevice } from '../../../shared/recording';
import { runTool, type ToolOptions, toolFailure } from './run-tool';

/** A backend's answer: its devices, or why it could not be asked (for the error naming it). */
export type BackendListing = { ok: true; devices: AudioDevice[] } | { ok: false; reason: string };

/** The fields we read from `pactl --format=json list sources` (pulseaudio 16, pipewire-pulse). */
const PactlSource = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  sample_specification: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** "s16le 2ch 44100Hz" → channels and rate. */
function sampleSpec(spec: string | undefined): { channels: number | null; rate: number | null } {
  const match = /(\d+)ch\s+(\d+)Hz/.exec(spec ?? '');
  return match
    ? { channels: Number(match[1]), rate: Number(match[2]) }
    : { channels: null, rate: null };
}

function pulseDevice(
  source: { name: string; description?: string; spec?: string; monitor: boolean },
  defaultSource: string | null,
): AudioDevice {
  const { channels, rate } = sampleSpec(source.spec);
  return {
    id: source.name,
    name: source.description || source.name,
    kind: source.monitor ? 'system' : 'input',
    channels,
    defaultRate: rate,
    backend: 'pulse',
    isDefault: source.name === defaultSource,
  };
}

/**
 * Parses `pactl --format=json list sources`. A monitor source (what a sink plays: system audio)
 * has device.class "monitor"; its name ends in ".monitor" as a second sign.
 */
export function parsePactlSourcesJson(json: string, defaultSource: string | null): AudioDevice[] {
  const sources = z.array(PactlSource).parse(JSON.parse(json));
  return sources.map((source) =>
    pulseDevice(
      {
        name: source.name,
        description: source.description,
        spec: source.sample_specification,
        monitor:
          source.properties?.['device.class'] === 'monitor' || source.name.endsWith('.monitor'),
      },
      defaultSource,
    ),
  );
}

/** Parses the text of `pactl list sources` (pactl before 16 has no --format=json). */
export function parsePactlSourcesText(text: string, defaultSource: string | null): AudioDevice[] {
  const blocks = text.split(/^Source #\d+\s*$/m).slice(1);
  const devices: AudioDevice[] = [];
  for (const block of blocks) {
    const field = (label: string) =>
      new RegExp(`^\\s*${label}:[ \\t]*(.*)$`, 'm').exec(block)?.[1]?.trim();
    const name = field('Name');
    if (!name) continue;
    const monitorOf = field('Monitor of Sink');
    const monitor =
      (monitorOf !== undefined && monitorOf !== 'n/a') ||
      /device\.class = "monitor"/.test(block) ||
      name.endsWith('.monitor');
    devices.push(
      pulseDevice(
        { name, description: field('Description'), spec: field('Sample Specification'), monitor },
        defaultSource,
      ),
    );
  }
  return devices;
}

/** The default source from `pactl --format=json info` or the text `Default Source: …` line. */
export function parsePactlDefaultSource(info: string): string | null {
  const trimmed = info.trim();
  if (trimmed.startsWith('{')) {
    const parsed = z.object({ default_source_name: z.string().optional() }).parse(JSON.parse(info));
    return parsed.default_source_name || null;
  }
  return /^Default Source:\s*(.+)$/m.exec(info)?.[1]?.trim() || null;
}

/** pactl that predates --format says so on stderr; then the text output is parsed instead. */
const noJsonSupport = (stderr: string) =>
  /(unrecognized|invalid|unknown) option.*format/i.test(stderr);

/**
 * Sources of the PulseAudio or PipeWire (pipewire-pulse) server, through pactl. The server is
 * found the way every PulseAudio client finds it (PULSE_SERVER, XDG_RUNTIME_DIR), from `env`.
 */
export async function listPulseDevices(options: ToolOptions = {}): Promise<BackendListing> {
  const [sources, info] = await Promise.all([
    runTool('pactl', ['--format=json', 'list', 'sources'], options),
    runTool('pactl', ['--format=json', 'info'], options),
  ]);
  if (!sources.spawnError && sources.code !== 0 && noJsonSupport(sources.stderr)) {
    const [textSources, textInfo] = await Promise.all([
      runTool('pactl', ['list', 'sources'], options),
      runTool('pactl', ['info'], options),
    ]);
    const failure = toolFailure('pactl', textSources) ?? toolFailure('pactl info', textInfo);
    if (failure) return { ok: false, reason: failure };
    const fallback = parsePactlDefaultSource(textInfo.stdout);
    return { ok: true, devices: parsePactlSourcesText(textSources.stdout, fallback) };
  }
  if (
    !sources.spawnError &&
    /Connection (refused|failure)|pa_context_connect/.test(sources.stderr)
  ) {
    const cause = /Connection refused|No such file or directory|Access denied/.exec(sources.stderr);
    return {
      ok: false,
      reason: `no PulseAudio or PipeWire server is running (pactl: ${cause?.[0] ?? 'connection failed'})`,
    };
  }
  const failure = toolFailure('pactl', sources) ?? toolFailure('pactl info', info);
  if (failure) return { ok: false, reason: failure };
  try {
    const defaultSource = parsePactlDefaultSource(info.stdout);
    return { ok: true, devices: parsePactlSourcesJson(sources.stdout, defaultSource) };
  } catch (error) {
    return {
      ok: false,
      reason: `pactl's JSON could not be read (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
