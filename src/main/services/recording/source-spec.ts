import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../../shared/errors';
import { type SourceScheme, sourceSchemes, TRACK_NAME_MAX } from '../../../shared/recording';
import { probeMedia } from '../ffmpeg/probe';
import { runFfmpeg } from '../ffmpeg/run';
import { listPulseDevices } from './pulse-devices';

/** A parsed `--source`: the scheme and what follows its colon. */
export interface SourceSpec {
  scheme: SourceScheme;
  /** The filter, the path (absolute) or the device id. */
  value: string;
  /** The spec as the user typed it, for messages and the manifest. */
  text: string;
}

/** A source checked and ready to capture: how many channels its track gets. */
export interface CheckedSource extends SourceSpec {
  channels: number;
}

/**
 * Splits an optional track name off a `--source`: `host=pulse:alsa_input.usb` names the track
 * `host`. The name is what comes before the first `=` when that part holds no `:` (every spec has
 * its scheme's colon before any `=`, so `lavfi:sine=frequency=440` has no name). Null when unnamed.
 */
export function splitSourceName(text: string): { name: string | null; spec: string } {
  const equals = text.indexOf('=');
  const before = equals >= 0 ? text.slice(0, equals) : '';
  if (equals < 0 || before.includes(':')) return { name: null, spec: text };
  const name = before.trim();
  if (!name)
    throw new StudioError(
      'invalid_input',
      `Source "${text}" has an empty name before "=" (write name=<scheme>:<value>, e.g. host=pulse:<id>).`,
      { source: text },
    );
  if (name.length > TRACK_NAME_MAX)
    throw new StudioError(
      'invalid_input',
      `Track name "${name.slice(0, 20)}…" is longer than ${TRACK_NAME_MAX} characters.`,
      { source: text },
    );
  return { name, spec: text.slice(equals + 1) };
}

/**
 * Parses `<scheme>:<value>`. Pure: says nothing about whether the file or device exists
 * (checkSource does). A relative `file:` path is resolved against `cwd`.
 */
export function parseSourceSpec(text: string, cwd = process.cwd()): SourceSpec {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  const value = colon > 0 ? text.slice(colon + 1) : '';
  if (!(sourceSchemes as readonly string[]).includes(scheme)) {
    throw new StudioError(
      'invalid_input',
      `Unknown source "${text}": a source is ${sourceSchemes.map((s) => `${s}:…`).join(', ')} (e.g. lavfi:sine=frequency=440, file:talk.wav, pulse:<id from studio devices>).`,
      { source: text },
    );
  }
  if (!value.trim()) {
    throw new StudioError('invalid_input', `Source "${text}" names nothing after "${scheme}:".`, {
      source: text,
    });
  }
  return {
    scheme: scheme as SourceScheme,
    value: scheme === 'file' ? resolve(cwd, value) : value,
    text,
  };
}

/**
 * ffmpeg's input arguments for a source. Test sources and files are decoded as fast as the pipe
 * takes them: the recorder paces them itself (TrackCapture), one second of audio per second.
 */
export function sourceInputArgs(spec: Pick<SourceSpec, 'scheme' | 'value'>): string[] {
  switch (spec.scheme) {
    case 'lavfi':
      return ['-f', 'lavfi', '-i', spec.value];
    case 'file':
      return ['-i', spec.value];
    case 'pulse':
      return ['-f', 'pulse', '-i', spec.value];
    case 'alsa':
      return ['-f', 'alsa', '-i', spec.value];
    case 'avfoundation':
      // `:<name>`: no video device, this audio device (by name, which survives hot-plug).
      return ['-f', 'avfoundation', '-i', `:${spec.value}`];
    case 'dshow':
      return ['-f', 'dshow', '-i', `audio=${spec.value}`];
  }
}

/**
 * The whole ffmpeg command line for one track: the source, converted to 48 kHz 32-bit float,
 * raw on stdout (Node writes the WAV, so Node decides when it reaches the disk).
 */
export function captureArgs(
  spec: Pick<SourceSpec, 'scheme' | 'value'>,
  channels: number,
  sampleRate: number,
): string[] {
  return [
    '-hide_banner',
    '-nostats',
    '-nostdin',
    '-loglevel',
    'error',
    ...sourceInputArgs(spec),
    '-vn',
    '-ac',
    String(channels),
    '-ar',
    String(sampleRate),
    '-c:a',
    'pcm_f32le',
    // Hand each packet to the pipe at once rather than filling ffmpeg's 32 KB output buffer.
    '-flush_packets',
    '1',
    '-f',
    'f32le',
    'pipe:1',
  ];
}

const LavfiProbe = z.object({
  streams: z.array(z.object({ codec_type: z.string(), channels: z.number().optional() })),
});

/**
 * Checks that a source can be captured and finds its channel count: a lavfi filter is opened by
 * ffprobe (a typo fails here, not mid-take), a file must exist and hold audio, a PulseAudio
 * source must be listed (the message lists the ones that are). avfoundation and dshow devices
 * are taken on trust (stereo), as are ALSA ones (mono is upmixed).
 */
export async function checkSource(
  spec: SourceSpec,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<CheckedSource> {
  switch (spec.scheme) {
    case 'lavfi': {
      const run = await runFfmpeg({
        binary: 'ffprobe',
        args: ['-v', 'error', '-f', 'lavfi', '-i', spec.value, '-show_streams', '-of', 'json'],
        what: `Opening test source "${spec.value}"`,
      }).catch((error: unknown) => {
        if (error instanceof StudioError && error.code === 'ffmpeg_failed')
          throw new StudioError('invalid_input', error.message, { source: spec.text });
        throw error;
      });
      const audio = LavfiProbe.parse(JSON.parse(run.stdout.toString('utf8'))).streams.find(
        (s) => s.codec_type === 'audio',
      );
      if (!audio?.channels)
        throw new StudioError(
          'invalid_input',
          `Test source "${spec.value}" gives no audio (use an audio filter such as sine or anoisesrc).`,
          { source: spec.text },
        );
      return { ...spec, channels: audio.channels };
    }
    case 'file': {
      const info = await stat(spec.value).catch(() => null);
      if (!info?.isFile())
        throw new StudioError(
          'file_missing',
          `Source file ${basename(spec.value)} was not found (${spec.value}).`,
          { path: spec.value, source: spec.text },
        );
      const probe = await probeMedia(spec.value);
      return { ...spec, channels: probe.channels };
    }
    case 'pulse': {
      const listing = await listPulseDevices({ env: options.env });
      if (!listing.ok)
        throw new StudioError(
          'audio_unavailable',
          `Cannot record "${spec.text}": ${listing.reason}.`,
          { source: spec.text },
        );
      const devices = listing.devices;
      const device = devices.find((d) => d.id === spec.value);
      if (!device) {
        const known = devices.map((d) => d.id);
        throw new StudioError(
          'not_found',
          `PulseAudio has no source "${spec.value}". ${known.length > 0 ? `Available: ${known.join(', ')}.` : 'It lists no sources at all.'}`,
          { source: spec.text, available: known },
        );
      }
      return { ...spec, channels: device.channels ?? 2 };
    }
    case 'alsa':
      return { ...spec, channels: 1 };
    case 'avfoundation':
    case 'dshow':
      return { ...spec, channels: 2 };
  }
}
