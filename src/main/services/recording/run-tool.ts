import { spawn } from 'node:child_process';

export interface ToolRun {
  /** Exit code; null when the tool could not start, was killed or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the binary could not be started (ENOENT: not installed). */
  spawnError: NodeJS.ErrnoException | null;
  timedOut: boolean;
}

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Device listings answer in milliseconds; a hung audio server must not hang the caller. */
  timeoutMs?: number;
}

/**
 * Runs a small listing tool (pactl, arecord, ffmpeg -list_devices) and keeps all of its output:
 * unlike runFfmpeg, a failing exit is normal here (ffmpeg's listing always "fails") and the
 * answer is the whole stderr, not its tail. Never through a shell; LC_ALL=C so the text output
 * we parse is not translated.
 */
export function runTool(
  binary: string,
  args: readonly string[],
  options: ToolOptions = {},
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, {
      env: { ...(options.env ?? process.env), LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 5000);
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? null : code, stdout, stderr, spawnError, timedOut });
    });
  });
}

/** Why a tool run gave no answer, in a few words for an error message; null when it answered. */
export function toolFailure(name: string, run: ToolRun): string | null {
  if (run.spawnError) {
    return run.spawnError.code === 'ENOENT'
      ? `${name} is not installed`
      : `${name} could not start (${run.spawnError.message})`;
  }
  if (run.timedOut) return `${name} did not answer within the time limit`;
  if (run.code !== 0) {
    const reason = run.stderr.trim().split(/\r?\n/).at(-1)?.trim();
    return `${name} failed (${reason || `exit code ${run.code}`})`;
  }
  return null;
}
