import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temp directory removed after the test file. */
export function tempDir(prefix = 'studio-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Renders an ffmpeg lavfi source (plus optional filters/codec args) to a file. */
export function generate(path: string, source: string, outputArgs: string[] = []): string {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, ...outputArgs, path]);
  return path;
}

/** Speech-like test material: pink noise shaped into syllables and phrases, with pauses. */
export function speechLike(path: string, seconds: number, extra: string[] = []): string {
  return generate(
    path,
    `anoisesrc=color=pink:sample_rate=48000:amplitude=0.5:duration=${seconds}:seed=20261123`,
    [
      '-af',
      "volume='0.05+0.95*pow(abs(sin(2*PI*3.3*t)),3)*gt(sin(2*PI*0.21*t),-0.4)':eval=frame,lowpass=f=5000",
      '-ac',
      '1',
      ...extra,
    ],
  );
}

export interface Ebur128 {
  integrated: number;
  lra: number;
  truePeak: number;
}

/** The reference: ffmpeg's own ebur128 filter with true peak. */
export function ffmpegEbur128(path: string): Ebur128 {
  const run = spawnSync(
    'ffmpeg',
    [
      '-nostats',
      '-hide_banner',
      '-i',
      path,
      '-af',
      'ebur128=peak=true:framelog=verbose',
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8' },
  );
  return parseSummary(run.stderr);
}

function parseSummary(stderr: string): Ebur128 {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const num = (re: RegExp) => Number(re.exec(summary)?.[1]);
  return {
    integrated: num(/I:\s+(-?[\d.]+) LUFS/),
    lra: num(/LRA:\s+(-?[\d.]+) LU/),
    truePeak: num(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}
