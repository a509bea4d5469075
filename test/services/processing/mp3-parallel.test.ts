import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodeMp3InParallel,
  frameOffsets,
} from '../../../src/main/services/processing/mp3-parallel';
import { OutputEncoding } from '../../../src/shared/processing';
import { speechLike, tempDir } from '../../helpers/audio';

const decode = (path: string) =>
  execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'f32le', '-'], {
    maxBuffer: 1 << 30,
  });

describe('MP3 encoded in parallel chunks', () => {
  it('decodes bit for bit like one encode, with a LAME tag for the whole file', async () => {
    const dir = tempDir();
    // 75 s: two chunks on two cores (chunk-plan: at least 30 s each), frames not a whole number
    // of MP3 frames, stereo so the joint-stereo decisions are covered too.
    const wav = speechLike(join(dir, 'speech.wav'), 75.0123, ['-ac', '2', '-c:a', 'pcm_f32le']);
    const frames = Math.round(75.0123 * 48000);
    const parallel = join(dir, 'parallel.mp3');
    await encodeMp3InParallel({
      source: { path: wav, inputArgs: [], channels: 2 },
      frames,
      encoding: OutputEncoding.parse({ mp3: { mode: 'cbr', kbps: 160 } }),
      target: parallel,
      workDir: dir,
      what: 'Encoding',
      maxChunks: 3,
    });
    const single = join(dir, 'single.mp3');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '160k', '-reservoir', '0'],
      ...['-id3v2_version', '0', single],
    ]);
    const a = decode(parallel);
    const b = decode(single);
    // The LAME tag's delay and padding let the decoder return exactly the samples encoded.
    expect(a.length / 8).toBe(frames);
    expect(a.equals(b)).toBe(true);
    expect(frameOffsets(readFileSync(parallel)).length).toBe(
      frameOffsets(readFileSync(single)).length,
    );
    expect(readdirSync(dir).filter((n) => n.startsWith('part-'))).toEqual([]);
  });
});
