/**
 * Run by disk-full.test.ts inside a private mount namespace (`unshare -m`), as root:
 *
 *   node --import tsx record-on-full-disk.ts '<json Scenario>'
 *
 * For each case, mounts a tiny tmpfs on `<root>/<case>` and records a take into it until the disk
 * fills: through the Recorder engine, through recordTake (the CLI's function) and through the real
 * CLI. Then runs recoverTake on the full disk, and copies the take to `<root>/<case>-copy` on the
 * real disk, because the tmpfs vanishes with the namespace. Prints one JSON line, prefixed RESULT,
 * with what happened, timed. Every wait is bounded, so a hang is reported rather than suffered.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { recordTake } from '../../../../src/main/services/recording/record';
import { Recorder } from '../../../../src/main/services/recording/recorder';
import { recoverTake } from '../../../../src/main/services/recording/recover';
import { readManifest } from '../../../../src/main/services/recording/take';
import { StudioError } from '../../../../src/shared/errors';
import type { TakeManifest } from '../../../../src/shared/recording';
import { runStudio } from '../../../helpers/cli';

export type CaseName = 'engine' | 'recordTake' | 'cli';

export interface Scenario {
  /** A folder on the real disk; each case mounts its tmpfs on a folder inside it. */
  root: string;
  /** tmpfs size, e.g. "1m". */
  size: string;
  /** Source specs, one track each. */
  sources: string[];
  cases: CaseName[];
  /** The CLI's data dir (on the real disk; `record` without --episode leaves it alone). */
  dataDir: string;
}

export interface ErrorValue {
  code: string;
  message: string;
}

/** How a bounded wait ended. */
export interface Outcome {
  outcome: 'resolved' | 'threw' | 'hung';
  ms: number;
  error?: ErrorValue;
}

export interface CaseResult {
  name: CaseName;
  /** The take folder as recorded (inside the tmpfs, gone now). */
  takeDir: string;
  /** A copy of the take folder on the real disk. */
  copy: string;
  freeBefore: number;
  freeAfter: number;
  /** Engine only: each onTakeEnded call, ms after start(). */
  ended: (ErrorValue & { atMs: number })[];
  /** Engine: stop() after onTakeEnded. recordTake/CLI: the whole call, from arming. */
  run: Outcome;
  /** recordTake: ms from the take's start (onStarted) to the call's end. */
  afterStartMs?: number;
  cli?: { code: number | null; stdout: string; stderr: string };
  /** take.json as read back from the full disk. */
  manifest: TakeManifest | null;
  recover: Outcome & { statusBefore?: string; status?: string };
  /** Files whose content recoverTake changed (sha256 before/after). */
  changedByRecover: string[];
}

const scenario = JSON.parse(process.argv[2] ?? '') as Scenario;
const named = scenario.sources.map((spec, i) => ({ name: `track-${i + 1}`, spec }));

const errorValue = (caught: unknown): ErrorValue =>
  caught instanceof StudioError
    ? { code: caught.code, message: caught.message }
    : { code: 'not a StudioError', message: String(caught) };

async function bounded<T>(work: Promise<T>, timeoutMs: number): Promise<Outcome & { value?: T }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), timeoutMs);
  });
  try {
    const value = await Promise.race([work, hung]);
    const ms = Math.round(performance.now() - start);
    return value === 'hung' ? { outcome: 'hung', ms } : { outcome: 'resolved', ms, value };
  } catch (caught) {
    return {
      outcome: 'threw',
      ms: Math.round(performance.now() - start),
      error: errorValue(caught),
    };
  } finally {
    clearTimeout(timer);
  }
}

function freeBytes(path: string): number {
  const fs = statfsSync(path);
  return fs.bavail * fs.bsize;
}

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir))
    out.set(
      name,
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex'),
    );
  return out;
}

async function engineCase(takeDir: string): Promise<Pick<CaseResult, 'ended' | 'run'>> {
  const ended: CaseResult['ended'] = [];
  let startedAt = 0;
  let takeEnded: () => void = () => {};
  const whenEnded = new Promise<void>((resolve) => {
    takeEnded = resolve;
  });
  const recorder = await Recorder.arm({
    sources: named,
    onTakeEnded: (error) => {
      ended.push({ ...errorValue(error), atMs: Math.round(performance.now() - startedAt) });
      takeEnded();
    },
  });
  try {
    await recorder.start(takeDir);
    startedAt = performance.now();
    // 1 MiB at 384 KB/s fills in under 3 s; 20 s without the callback is a failure in itself.
    await bounded(whenEnded, 20_000);
    // A moment for a second (wrong) call to show up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { value: _take, ...run } = await bounded(recorder.stop(), 15_000);
    return { ended, run };
  } finally {
    await bounded(recorder.close(), 5_000);
  }
}

async function runCase(name: CaseName): Promise<CaseResult> {
  const mountPoint = join(scenario.root, name);
  mkdirSync(mountPoint, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${scenario.size}`, 'tmpfs', mountPoint], {
    stdio: 'pipe',
  });
  const takeDir = join(mountPoint, 'take');
  const freeBefore = freeBytes(mountPoint);
  let ended: CaseResult['ended'] = [];
  let run: Outcome;
  let cli: CaseResult['cli'];
  let afterStartMs: number | undefined;
  if (name === 'engine') ({ ended, run } = await engineCase(takeDir));
  else if (name === 'recordTake') {
    let startedAt = 0;
    const { value: _take, ...outcome } = await bounded(
      recordTake({
        sources: scenario.sources,
        out: takeDir,
        durationSec: 20,
        onStarted: () => {
          startedAt = performance.now();
        },
      }),
      40_000,
    );
    run = outcome;
    if (startedAt > 0) afterStartMs = Math.round(performance.now() - startedAt);
  } else {
    const args = ['record', ...scenario.sources.flatMap((s) => ['--source', s])];
    const { value, ...outcome } = await bounded(
      runStudio([...args, '--out', takeDir, '--duration', '20'], { dataDir: scenario.dataDir }),
      40_000,
    );
    run = outcome;
    cli = value;
  }
  const manifest = await readManifest(takeDir).catch(() => null);
  const before = hashes(takeDir);
  const { value: recovered, ...recoverOutcome } = await bounded(recoverTake(takeDir), 10_000);
  const after = hashes(takeDir);
  const changedByRecover = [...new Set([...before.keys(), ...after.keys()])].filter(
    (file) => before.get(file) !== after.get(file),
  );
  const copy = join(scenario.root, `${name}-copy`);
  cpSync(takeDir, copy, { recursive: true });
  return {
    name,
    takeDir,
    copy,
    freeBefore,
    freeAfter: freeBytes(mountPoint),
    ended,
    run,
    afterStartMs,
    cli,
    manifest,
    recover: {
      ...recoverOutcome,
      statusBefore: recovered?.statusBefore,
      status: recovered?.status,
    },
    changedByRecover,
  };
}

const results: CaseResult[] = [];
for (const name of scenario.cases) results.push(await runCase(name));
console.log(`RESULT ${JSON.stringify(results)}`);
// A hung engine may keep timers or ffmpeg pipes alive; the result is out, so end here.
process.exit(0);
