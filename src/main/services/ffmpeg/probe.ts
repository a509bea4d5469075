import { basename } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../../shared/errors';
import { runFfmpeg } from './run';

const ProbeStream = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  sample_rate: z.string().optional(),
  channels: z.number().optional(),
  channel_layout: z.string().optional(),
  duration: z.string().optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
});

const ProbeOutput = z.object({
  streams: z.array(ProbeStream).default([]),
  format: z
    .object({ format_name: z.string().optional(), duration: z.string().optional() })
    .default({}),
});

export interface MediaProbe {
  /** ffprobe's container name, e.g. "wav" or "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout: string | null;
  /** Seconds, from the container or stream; null when neither says. */
  durationSec: number | null;
  /** True when a real video stream (not cover art) is present. */
  hasVideo: boolean;
}

/** Reads what a file holds. Refuses, with the file's name and the reason, what has no audio. */
export async function probeMedia(path: string, signal?: AbortSignal): Promise<MediaProbe> {
  const name = basename(path);
  let stdout: Buffer;
  try {
    ({ stdout } = await runFfmpeg({
      binary: 'ffprobe',
      what: `Reading ${name}`,
      args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      signal,
    }));
  } catch (error) {
    if (error instanceof StudioError && error.code === 'ffmpeg_failed') {
      throw new StudioError(
        'media_unreadable',
        `${name} could not be read as audio: ${reasonFrom(error)}`,
        { path, ...error.details },
      );
    }
    throw error;
  }
  const parsed = ProbeOutput.safeParse(JSON.parse(stdout.toString('utf8') || '{}'));
  if (!parsed.success) {
    throw new StudioError(
      'media_unreadable',
      `${name} could not be read as audio: unexpected probe output`,
      { path },
    );
  }
  const { streams, format } = parsed.data;
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!audio) {
    throw new StudioError('media_no_audio', `${name} has no audio stream to import.`, { path });
  }
  const sampleRate = Number(audio.sample_rate);
  if (!Number.isFinite(sampleRate) || sampleRate <= 0 || !audio.channels) {
    throw new StudioError(
      'media_unreadable',
      `${name} has an audio stream ffmpeg cannot describe.`,
      { path },
    );
  }
  const duration = Number(format.duration ?? audio.duration);
  return {
    container: format.format_name ?? 'unknown',
    codec: audio.codec_name ?? 'unknown',
    sampleRate,
    channels: audio.channels,
    channelLayout: audio.channel_layout ?? null,
    durationSec: Number.isFinite(duration) && duration >= 0 ? duration : null,
    hasVideo: streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic),
  };
}

function reasonFrom(error: StudioError): string {
  const stderr = error.details?.stderr;
  const last = Array.isArray(stderr) ? String(stderr.at(-1) ?? '') : '';
  // ffprobe prefixes the path: "x.wav: Invalid data found when processing input".
  const colon = last.lastIndexOf(': ');
  const reason = (colon >= 0 ? last.slice(colon + 2) : last) || 'ffprobe refused it';
  // Damaged or foreign data comes back as EINVAL/AVERROR_INVALIDDATA, whose strerror texts mean
  // nothing to a person ("Invalid argument" when a demuxer misdetects random bytes as MP3).
  if (/^(Invalid data found when processing input|Invalid argument)$/.test(reason)) {
    return `it is damaged or not an audio or video format (ffprobe: ${reason})`;
  }
  return reason;
}
