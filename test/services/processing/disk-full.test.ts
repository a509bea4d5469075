import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, tempDir } from '../../helpers/audio';
import { runInMountNamespace } from '../../helpers/mount-namespace';
import type { Scenario, Victim, VictimResult } from './scenarios/process-on-full-disk';

const dir = tempDir('studio-disk-full-');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const noise = (name: string, seconds: number) =>
  generate(
    join(dir, name),
    `anoisesrc=color=pink:sample_rate=48000:amplitude=0.3:duration=${seconds}:seed=7`,
    ['-c:a', 'pcm_s16le'],
  );

function runOnFullDisk(victims: Victim[], size = '2m'): VictimResult[] {
  const outDir = join(dir, 'out');
  mkdirSync(outDir, { recursive: true });
  const scenario: Scenario = { outDir, size, victims };
  return runInMountNamespace<VictimResult[]>(
    'full-disk',
    join(import.meta.dirname, 'scenarios', 'process-on-full-disk.ts'),
    scenario,
    50_000,
  );
}

describe('processing onto a disk that fills up', () => {
  // 40 s: 3.8 MB as 16-bit, 5.8 MB as the 24-bit WAV result, 7.7 MB as a float work file.
  const long = noise('long.wav', 40);
  // 10 s: its 1.9 MB float work file fits, the mastered copy beside it does not.
  const medium = noise('medium.wav', 10);
  const small = noise('small.wav', 3);
  const before = { long: sha256(long), medium: sha256(medium) };

  it('fails with disk_full wherever it fills, cleans up, and works again afterwards', () => {
    const [encoding, cleaning, mastering, fits] = runOnFullDisk([
      // Nothing to clean: the source streams straight into the encoder, which runs out of room.
      { input: long, output: 'encoded.wav', overrides: {} },
      // The cleaned work file runs out of room.
      { input: long, output: 'cleaned.wav', overrides: { highPass: true } },
      // The cleaned work file fits; the gained and limited one does not.
      { input: medium, output: 'mastered.mp3', overrides: { highPass: true, targetLufs: -16 } },
      // Once the failed runs have given their space back, a small one fits.
      { input: small, output: 'fits.flac', overrides: { highPass: true, targetLufs: -16 } },
    ]);

    expect(encoding!.stages.at(-1)).toBe('Encoding');
    expect(cleaning!.stages.at(-1)).toBe('Cleaning up');
    expect(mastering!.stages).toContain('Setting loudness');
    expect(mastering!.stages.at(-1)).toBe('Setting loudness');
    for (const failed of [encoding!, cleaning!, mastering!]) {
      expect(failed.error, failed.output).toMatchObject({ code: 'disk_full' });
      // Says what was being written or processed, and that the disk is full; never a temp name.
      expect(failed.error!.message).toMatch(/disk (holding .* )?is full/);
      expect(failed.error!.message).toMatch(/encoded\.wav|long\.wav|medium\.wav/);
      expect(failed.error!.message).not.toMatch(/partial|work-|\.f32/);
      // Nothing left: no output, no work folder, no temp file; all the space given back.
      expect(failed.left).toEqual([]);
      expect(failed.freeAfter).toBe(failed.freeBefore);
    }
    expect(encoding!.error!.message).toContain('encoded.wav');

    expect(fits!.error).toBeNull();
    expect(fits!.left).toEqual(['fits.flac']);
    expect(fits!.stages.at(-1)).toBe('Done');

    // The sources were only read.
    expect(sha256(long)).toBe(before.long);
    expect(sha256(medium)).toBe(before.medium);
  });
});
