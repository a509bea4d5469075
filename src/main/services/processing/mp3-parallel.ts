import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import type { OutputEncoding } from '../../../shared/processing';
import { runFfmpeg } from '../ffmpeg/run';
import { writeAt } from '../files/write-at';
import { stopTogether } from '../jobs/stop-together';
import { planChunks } from './chunk-plan';
import { codecArgs } from './encode';
import { WORK_RATE } from './raw-pcm';
import type { PcmSource } from './render-chunks';

/**
 * MP3 encoding on every core. LAME without its bit reservoir makes each frame depend only on the
 * audio around it, so chunks encoded with a little audio either side, cut on the 1152-sample frame
 * grid and joined, decode bit for bit like one long encode (the tests check exactly that). The
 * first chunk's Info frame (LAME tag with encoder delay, for gapless decoding) is rewritten for
 * the whole file: frame and byte counts, seek table, end padding and its two CRCs.
 */
export const MP3_FRAME = 1152;
/** LAME's encoder delay in samples; decoders skip it (plus their own 529) using the LAME tag. */
const ENCODER_DELAY = 576;
/** Frames of audio encoded beyond each chunk on both sides, so the encoder is settled at the joins. */
const ROLL_FRAMES = 16;

export function canEncodeMp3InParallel(encoding: OutputEncoding, frames: number): boolean {
  return encoding.mp3.mode === 'cbr' && planChunks(frames, 0).length > 1;
}

export async function encodeMp3InParallel(options: {
  source: PcmSource;
  frames: number;
  encoding: OutputEncoding;
  target: string;
  workDir: string;
  what: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Filters applied before the encoder in each chunk (the limiter), with their delay. */
  filters?: string[];
  latency?: number;
  /** Tests force more chunks than this machine has cores. */
  maxChunks?: number;
}): Promise<void> {
  const { source, frames, encoding } = options;
  if (encoding.mp3.mode !== 'cbr') throw new StudioError('internal', 'Parallel MP3 needs CBR.');
  const chunks = planChunks(frames, ROLL_FRAMES * MP3_FRAME, options.maxChunks);
  const done = chunks.map(() => 0);
  const latency = options.latency ?? 0;
  // A delaying chain is shifted back (and padded at the end) so chunk frames stay on the grid.
  const chain = [
    ...(options.filters ?? []),
    ...(latency > 0 ? [`apad=pad_len=${latency}`, `atrim=start_sample=${latency}`] : []),
  ];
  const filterArgs = chain.length > 0 ? ['-af', chain.join(',')] : [];
  const all = stopTogether(options.signal);
  const paths = chunks.map((_, i) => join(options.workDir, `part-${i}.mp3`));
  try {
    await Promise.all(
      chunks.map((chunk, i) =>
        runFfmpeg({
          what: options.what,
          args: [
            ...['-nostdin', '-hide_banner', '-v', 'error', ...source.inputArgs],
            ...['-ss', (chunk.readStart / WORK_RATE).toFixed(6)],
            ...['-t', ((chunk.readEnd - chunk.readStart) / WORK_RATE).toFixed(6)],
            ...['-i', source.path, '-map', '0:a:0', ...filterArgs],
            ...codecArgs('mp3', encoding),
            ...['-reservoir', '0', '-id3v2_version', '0', '-write_xing', i === 0 ? '1' : '0'],
            ...['-y', paths[i]!],
          ],
          signal: all.signal,
          onProgress: (p) => {
            // Only the chunk's own stretch counts: the rolls either side are shared work.
            const own = p.outTimeSec * WORK_RATE - (chunk.start - chunk.readStart);
            done[i] = Math.max(0, Math.min(chunk.end - chunk.start, own));
            options.onProgress?.(done.reduce((a, b) => a + b, 0) / frames);
          },
        }).catch((error: unknown) => {
          all.stop();
          throw error;
        }),
      ),
    );
    // Joined into the target one part at a time (a part is half the output, not all of it);
    // the Info frame goes in front at the end, when the totals are known.
    const target = await open(options.target, 'w');
    try {
      let info: Buffer | null = null;
      let position = 0;
      const frameStarts: number[] = [];
      let musicCrc = 0;
      for (const [i, chunk] of chunks.entries()) {
        const data = await readFile(paths[i]!);
        const all = frameOffsets(data);
        let audio = all;
        if (i === 0) {
          info = Buffer.from(data.subarray(all[0]!.offset, all[0]!.offset + all[0]!.length));
          if (!isInfoFrame(info))
            throw new StudioError('internal', `${options.what}: no LAME tag.`);
          audio = all.slice(1);
          position = info.length;
        }
        // Chunk edges sit on the chunk grid, a whole number of MP3 frames (chunk-plan.ts).
        const first = (chunk.start - chunk.readStart) / MP3_FRAME;
        const last =
          i === chunks.length - 1 ? audio.length : (chunk.end - chunk.readStart) / MP3_FRAME;
        if (!Number.isInteger(first) || last > audio.length)
          throw new StudioError(
            'internal',
            `${options.what}: chunk ${i} has ${audio.length} frames.`,
          );
        const kept = audio.slice(first, last);
        const from = kept[0]?.offset ?? 0;
        const to = kept.length ? kept.at(-1)!.offset + kept.at(-1)!.length : 0;
        for (const frame of kept) frameStarts.push(position + frame.offset - from);
        const bytes = data.subarray(from, to);
        musicCrc = crc16(bytes, musicCrc);
        await writeAt(target, bytes, position);
        position += bytes.length;
        await rm(paths[i]!, { force: true });
      }
      if (!info) throw new StudioError('internal', `${options.what}: nothing was encoded.`);
      await writeAt(target, rewriteInfoFrame(info, frameStarts, position, musicCrc, frames), 0);
    } finally {
      await target.close();
    }
  } finally {
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  }
}

const BITRATES_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const SAMPLE_RATES = [44100, 48000, 32000];

/** MPEG-1 Layer III frames in a buffer: where each starts and how long it is. */
export function frameOffsets(data: Buffer): Array<{ offset: number; length: number }> {
  const frames: Array<{ offset: number; length: number }> = [];
  let offset = 0;
  while (offset + 4 <= data.length) {
    const h = data.readUInt32BE(offset);
    const sync = h >>> 21 === 0x7ff;
    const mpeg1Layer3 = ((h >>> 17) & 0xf) === 0b1101;
    const bitrate = BITRATES_KBPS[(h >>> 12) & 0xf] ?? 0;
    const rate = SAMPLE_RATES[(h >>> 10) & 0x3];
    if (!sync || !mpeg1Layer3 || !bitrate || !rate)
      throw new StudioError('internal', `Unexpected MP3 data at byte ${offset}.`);
    const length = Math.floor((144 * bitrate * 1000) / rate) + ((h >>> 9) & 1);
    frames.push({ offset, length });
    offset += length;
  }
  return frames;
}

/** Where the Xing/Info tag sits after the side information (MPEG-1: 17 bytes mono, 32 stereo). */
function infoOffset(frame: Buffer): number {
  const mono = ((frame[3]! >>> 6) & 3) === 3;
  return 4 + (mono ? 17 : 32);
}

function isInfoFrame(frame: Buffer): boolean {
  const tag = frame.toString('latin1', infoOffset(frame), infoOffset(frame) + 4);
  return tag === 'Info' || tag === 'Xing';
}

/**
 * The LAME tag written for the first chunk, corrected for the whole file. Layout (LAME tag spec,
 * as ffmpeg's mp3 muxer writes it): "Info", flags, frames, bytes, 100-byte seek table, quality,
 * then 36 bytes of LAME extension ending in delay/padding (at +21), music length (+28), music
 * CRC (+32) and tag CRC (+34), the last over the frame's first 190 bytes.
 */
function rewriteInfoFrame(
  info: Buffer,
  frameStarts: number[],
  totalBytes: number,
  musicCrc: number,
  samples: number,
): Buffer {
  const frame = Buffer.from(info);
  const tag = infoOffset(frame);
  const flags = frame.readUInt32BE(tag + 4);
  if ((flags & 0xf) !== 0xf) throw new StudioError('internal', 'Unexpected LAME tag layout.');
  frame.writeUInt32BE(frameStarts.length, tag + 8);
  frame.writeUInt32BE(totalBytes, tag + 12);
  const toc = tag + 16;
  for (let i = 0; i < 100; i++) {
    const at = frameStarts[Math.floor((i * frameStarts.length) / 100)] ?? totalBytes;
    frame[toc + i] = Math.min(255, Math.floor((at * 256) / totalBytes));
  }
  const lame = toc + 100 + 4;
  const padding = frameStarts.length * MP3_FRAME - ENCODER_DELAY - samples;
  frame.writeUIntBE((ENCODER_DELAY << 12) | (padding & 0xfff), lame + 21, 3);
  frame.writeUInt32BE(totalBytes, lame + 28);
  frame.writeUInt16BE(musicCrc, lame + 32);
  frame.writeUInt16BE(0, lame + 34);
  frame.writeUInt16BE(crc16(frame.subarray(0, 190)), lame + 34);
  return frame;
}

/** CRC-16/ARC (ffmpeg's AV_CRC_16_ANSI_LE), as the LAME tag uses. */
function crc16(data: Uint8Array, start = 0): number {
  let crc = start;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}
