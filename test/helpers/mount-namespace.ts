import { spawnSync } from 'node:child_process';

/**
 * Runs a scenario script that needs mounts (a tiny tmpfs, a read-only bind) in a child process
 * inside its own mount namespace (`unshare -m`, as root): the mounts vanish with it. The script
 * gets `scenario` as JSON in argv[2] and reports by printing one line `RESULT <json>`.
 * No skipping: without a private mount namespace the scenario cannot be checked, and says so.
 */
export function runInMountNamespace<Result>(
  what: string,
  script: string,
  scenario: unknown,
  timeoutMs: number,
): Result {
  const run = spawnSync(
    'unshare',
    ['-m', process.execPath, '--import', 'tsx', script, JSON.stringify(scenario)],
    { encoding: 'utf8', timeout: timeoutMs },
  );
  if (run.error || run.status !== 0)
    throw new Error(
      `The ${what} scenario needs 'unshare -m' (root, mount namespaces) and failed: ` +
        `${run.error?.message ?? `exit ${run.status}`}\n${run.stderr}`,
    );
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`The ${what} scenario printed no result:\n${run.stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as Result;
}
