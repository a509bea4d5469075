import { extname } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { type OutputEncoding, outputExtensions } from '../../../shared/processing';
import { runFfmpeg } from '../ffmpeg/run';
import { WORK_RATE } from './raw-pcm';
import type { PcmSource } from './render-chunks';

export type OutputContainer = 'wav' | 'flac' | 'mp3' | 'm4a';

export function containerFor(path: string): OutputContainer {
  const extension = extname(path).toLowerCase();
  if (!(outputExtensions as readonly string[]).includes(extension))
    throw new StudioError(
      'invalid_input',
      `Cannot write ${path}: choose a .wav, .flac, .mp3 or .m4a output.`,
      { path },
    );
  return extension.slice(1) as OutputContainer;
}

/** ffmpeg codec and muxer arguments for an output container. */
export function codecArgs(container: OutputContainer, encoding: OutputEncoding): string[] {
  switch (container) {
    case 'wav':
      // RF64 only when the data outgrows a RIFF header (4 GiB: about 7 h of 24-bit stereo).
      return [
        '-c:a',
        encoding.wavBits === 16 ? 'pcm_s16le' : 'pcm_s24le',
        '-rf64',
        'auto',
        '-f',
        'wav',
      ];
    case 'flac':
      return ['-c:a', 'flac', '-f', 'flac'];
    case 'mp3':
      return [
        '-c:a',
        'libmp3lame',
        ...(encoding.mp3.mode === 'cbr'
          ? ['-b:a', `${encoding.mp3.kbps}k`]
          : ['-q:a', String(encoding.mp3.quality)]),
        '-f',
        'mp3',
      ];
    case 'm4a':
      return [
        '-c:a',
        'aac',
        '-b:a',
        `${encoding.aacKbps}k`,
        '-movflags',
        '+faststart',
        '-f',
        'ipod',
      ];
  }
}

/** Encodes a whole 48 kHz PCM source into `target` (a temp name; the caller renames it). */
export async function encodeWhole(
  source: PcmSource,
  target: string,
  container: OutputContainer,
  encoding: OutputEncoding,
  what: string,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
  durationSec?: number,
): Promise<void> {
  await runFfmpeg({
    what,
    args: [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-y', ...source.inputArgs, '-i', source.path],
      ...['-map', '0:a:0', '-ar', String(WORK_RATE), ...codecArgs(container, encoding), target],
    ],
    signal,
    onProgress:
      onProgress && durationSec
        ? (progress) => onProgress(Math.min(1, progress.outTimeSec / durationSec))
        : undefined,
  });
}
