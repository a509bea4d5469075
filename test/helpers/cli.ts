import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI in its own process, exactly as a user runs it. STUDIO_DATA_DIR is dropped from the
 * environment so a test only ever touches the data dir it names.
 */
export function runStudio(
  args: string[],
  options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...(options.env ?? process.env) };
    delete env.STUDIO_DATA_DIR;
    const child = spawn(
      process.execPath,
      ['bin/studio.js', ...(options.dataDir ? ['--data-dir', options.dataDir] : []), ...args],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
