// The output stays sample-aligned with the input in the shapes that trip the bookkeeping up: the
// denoiser's profile second at the very end of the file, and a dead left channel (the delay probe
// must not go deaf). A click at a known sample must come out at that sample.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processFile } from '../../../src/main/services/processing/process-file';
import { tempDir } from '../../helpers/audio';
import { readMonoFloat } from '../../helpers/speech';
import { only } from './step-fixtures';

const dir = tempDir('studio-align-');
const RATE = 48000;
const CLICK_AT = 5 * RATE;

function peakIndex(x: Float32Array): number {
  let at = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]!) > Math.abs(x[at]!)) at = i;
  return at;
}

describe('alignment after Standard noise reduction', () => {
  it('holds when the quietest second is the last one (a take ending in room tone)', async () => {
    const input = join(dir, 'tail.wav');
    // 20 s of noise with a click at 5 s, then 1.01 s of quieter room tone.
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
      `aevalsrc='0.5*eq(n\\,${CLICK_AT})':s=${RATE}:d=21.01`,
      ...['-f', 'lavfi', '-i', `anoisesrc=c=pink:r=${RATE}:a=0.02:d=21.01:seed=3`],
      '-filter_complex',
      "[1]volume='if(lt(t,20),1,0.1)':eval=frame[n];[0][n]amix=inputs=2:normalize=0",
      ...['-c:a', 'pcm_f32le', input],
    ]);
    const output = join(dir, 'tail-out.wav');
    await processFile({ input, output, settings: only({ denoise: 'fft' }) });
    const result = readMonoFloat(output);
    expect(result.length).toBe(Math.round(21.01 * RATE));
    expect(peakIndex(result)).toBe(CLICK_AT);
  });

  it('holds with a dead left channel', async () => {
    const input = join(dir, 'dead-left.wav');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
      `aevalsrc='0.5*eq(n\\,${CLICK_AT})':s=${RATE}:d=12`,
      ...['-f', 'lavfi', '-i', `anoisesrc=c=pink:r=${RATE}:a=0.01:d=12:seed=4`],
      '-filter_complex',
      '[0][1]amix=inputs=2:normalize=0,pan=stereo|c0=0*c0|c1=c0',
      ...['-c:a', 'pcm_f32le', input],
    ]);
    const output = join(dir, 'dead-left-out.wav');
    const report = await processFile({ input, output, settings: only({ denoise: 'fft' }) });
    expect(report.notes.join(' ')).toMatch(/left channel is silent/);
    expect(peakIndex(readMonoFloat(output))).toBe(CLICK_AT);
  });
});
