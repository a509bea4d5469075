// Whether a take marked `recording` is still being recorded is whether its recorder holds the
// take's lock, not whether some process has its pid: after a crash the pid may be reused, belong
// to a zombie, or (in a damaged take.json) be -1, 0 or 1, and each of those hid the take from
// recovery for good.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInterruptedTakes, takesRoot } from '../../../src/main/services/app/take-folders';
import { recoverTake } from '../../../src/main/services/recording/recover';
import { readManifest, writeManifest } from '../../../src/main/services/recording/take';
import { TAKE_LOCK } from '../../../src/main/services/recording/take-lock';
import { tempDir } from '../../helpers/audio';
import { repoRoot } from '../../helpers/cli';
import { writeCrashedTake } from '../../helpers/take';

const dir = tempDir('studio-take-lock-');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `studio record` into `take`, started by a shell that then becomes `sleep`: once the recorder is
 * killed, nobody reaps it, so its pid stays taken by a zombie.
 */
async function recordUnderNonReapingParent(take: string) {
  const shell = spawn(
    'sh',
    [
      '-c',
      `"${process.execPath}" bin/studio.js record --source lavfi:sine=frequency=440 --out "${take}" >/dev/null 2>&1 & echo $!; exec sleep 120`,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const pid = await new Promise<number>((resolve) =>
    shell.stdout.once('data', (text: Buffer) => resolve(Number(text.toString().trim()))),
  );
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(take, 'take.json'))) {
    if (Date.now() > deadline) throw new Error('the take never started');
    await sleep(20);
  }
  return { shell, pid };
}

const procState = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .slice(0, 1);

/** Waits (5 s at most) for the killed recorder's last thread to end, taking the lock with it. */
async function untilFound(dataDir: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await findInterruptedTakes(dataDir)).length === 0) {
    if (Date.now() > deadline) throw new Error('the killed recorder’s take was never found');
    await sleep(20);
  }
}

const stop = (child: ChildProcess) =>
  new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });

describe('interrupted takes', () => {
  it('a take is hidden while its recorder runs, and found once it is killed, though a zombie keeps its pid', async () => {
    const dataDir = join(dir, 'data');
    const take = join(takesRoot(dataDir), 'episode-1', '2026-12-06T10-00-00');
    mkdirSync(take, { recursive: true });
    const { shell, pid } = await recordUnderNonReapingParent(take);
    try {
      expect(existsSync(join(take, TAKE_LOCK))).toBe(true);
      expect(await findInterruptedTakes(dataDir)).toEqual([]);
      await expect(recoverTake(take)).rejects.toThrow(/still being recorded/);

      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 5000;
      while (procState(pid) !== 'Z') {
        if (Date.now() > deadline) throw new Error('the recorder did not become a zombie');
        await sleep(20);
      }
      // The pid is still "alive" to kill(pid, 0), but the lock goes with the process (once its
      // last thread has exited: the main thread shows Z while the others are still ending).
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect((await readManifest(take)).pid).toBe(pid);
      await untilFound(dataDir);
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect((await findInterruptedTakes(dataDir)).map((t) => t.dir)).toEqual([take]);
      const recovered = await recoverTake(take);
      expect(recovered.status).toBe('recovered');
      expect(recovered.tracks[0]!.frames).toBeGreaterThan(0);
      // Only the take is left in its folder.
      expect(readdirSync(take).sort()).toEqual(['take.json', 'track-1.wav']);
    } finally {
      await stop(shell);
    }
  });

  it('a take whose pid now belongs to another running process is found', async () => {
    const dataDir = join(dir, 'reused');
    const take = join(takesRoot(dataDir), 'episode-1', 'take');
    const { shell, pid } = await recordUnderNonReapingParent(take);
    process.kill(pid, 'SIGKILL');
    try {
      await untilFound(dataDir);
      // As after a reboot: the pid in take.json is a live process that records nothing.
      await writeManifest(take, { ...(await readManifest(take)), pid: shell.pid! });
      expect((await findInterruptedTakes(dataDir)).map((t) => t.dir)).toEqual([take]);
      expect((await recoverTake(take)).status).toBe('recovered');
    } finally {
      await stop(shell);
    }
  });

  it('a take without a lock file (recorded before takes were locked) with pid -1, 0 or 1 is found', async () => {
    for (const pid of [-1, 0, 1]) {
      const dataDir = join(dir, `old-${pid}`);
      const take = join(takesRoot(dataDir), 'episode-1', 'take');
      await writeCrashedTake(take, [{ name: 'Host', seconds: 1, frequency: 440 }]);
      await writeManifest(take, { ...(await readManifest(take)), pid });
      expect(
        (await findInterruptedTakes(dataDir)).map((t) => t.dir),
        `pid ${pid}`,
      ).toEqual([take]);
      expect((await recoverTake(take)).status).toBe('recovered');
    }
  });
});
