/**
 * Run by disk-full.test.ts inside a private mount namespace (`unshare -m`), as root:
 *
 *   node --import tsx process-on-full-disk.ts '<json Scenario>'
 *
 * Mounts a tiny tmpfs on `outDir`, then processes each victim into it, one after the other, and
 * prints one JSON line, prefixed RESULT, with what the test asserts on: the error (or the
 * report), what is left in the folder, and the free space before and after. The mount vanishes
 * with the namespace, so everything is observed from in here.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { presetById, withOverrides } from '../../../../src/main/services/processing/presets';
import { processFile } from '../../../../src/main/services/processing/process-file';
import { StudioError } from '../../../../src/shared/errors';

export interface Victim {
  input: string;
  /** File name of the output inside outDir. */
  output: string;
  /** Overrides of the 'none' preset (see withOverrides). */
  overrides: Parameters<typeof withOverrides>[1];
}

export interface Scenario {
  outDir: string;
  /** tmpfs size, e.g. "2m". */
  size: string;
  victims: Victim[];
}

export interface VictimResult {
  output: string;
  freeBefore: number;
  freeAfter: number;
  error: { code: string; message: string } | null;
  /** Stages reported by onProgress, in order, without repeats. */
  stages: string[];
  /** Every entry under outDir afterwards (recursive, relative). */
  left: string[];
}

const scenario = JSON.parse(process.argv[2] ?? '') as Scenario;
const { outDir } = scenario;

function freeBytes(): number {
  const fs = statfsSync(outDir);
  return fs.bavail * fs.bsize;
}

execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${scenario.size}`, 'tmpfs', outDir], {
  stdio: 'pipe',
});

const results: VictimResult[] = [];
for (const victim of scenario.victims) {
  const freeBefore = freeBytes();
  const stages: string[] = [];
  let error: VictimResult['error'] = null;
  try {
    await processFile({
      input: victim.input,
      output: join(outDir, victim.output),
      settings: withOverrides(presetById('none').settings, victim.overrides),
      onProgress: (_fraction, stage) => {
        if (stages.at(-1) !== stage) stages.push(stage);
      },
    });
  } catch (caught) {
    error =
      caught instanceof StudioError
        ? { code: caught.code, message: caught.message }
        : { code: 'not a StudioError', message: String(caught) };
  }
  results.push({
    output: victim.output,
    freeBefore,
    freeAfter: freeBytes(),
    error,
    stages,
    left: readdirSync(outDir, { recursive: true, encoding: 'utf8' }).sort(),
  });
}
console.log(`RESULT ${JSON.stringify(results)}`);
