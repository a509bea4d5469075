import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningHost {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the real browser host (`src/host/main.ts`, serving the built renderer in out/renderer)
 * on a free port with a fresh data directory, and waits for the line that names its URL.
 */
export async function startBrowserHost(
  dataDir = mkdtempSync(join(tmpdir(), 'studio-e2e-')),
): Promise<RunningHost> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/host/main.ts', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /browser host: (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`Browser host exited (${code}): ${stderr}`)));
  });
  return { url, dataDir, stop: () => stopHost(child) };
}

function stopHost(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
