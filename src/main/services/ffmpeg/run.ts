import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { StudioError } from '../../../shared/errors';
import { resolveFfmpeg } from './binary';
import { type FfmpegProgress, parseProgressBlock } from './progress';

export interface RunOptions {
  /** Arguments after the binary; never passed through a shell. */
  args: readonly string[];
  binary?: 'ffmpeg' | 'ffprobe';
  /** What the run is for, at the start of an error message: "Decoding interview.wav". */
  what: string;
  signal?: AbortSignal;
  /** Given: `-progress pipe:3` is added and each block is reported. */
  onProgress?: (progress: FfmpegProgress) => void;
  /** Reads stdout as it streams (with backpressure); without it stdout is collected. */
  consumeStdout?: (stdout: Readable) => Promise<void>;
  /** The child's environment (e.g. PULSE_SERVER for a capture); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Writes ffmpeg's stdin (for `-i -`); stdin is closed when the promise settles. */
  feedStdin?: (stdin: Writable) => Promise<void>;
}

export interface RunResult {
  stdout: Buffer;
  stderrTail: string[];
}

const STDERR_LINES_KEPT = 20;

/**
 * Runs ffmpeg or ffprobe: argument arrays, progress parsing, cancel by kill, and failures as
 * StudioError carrying the last stderr lines.
 */
export function runFfmpeg(options: RunOptions): Promise<RunResult> {
  const binaries = resolveFfmpeg();
  const binary = options.binary === 'ffprobe' ? binaries.ffprobe : binaries.ffmpeg;
  const args = options.onProgress
    ? ['-progress', 'pipe:3', '-nostats', ...options.args]
    : [...options.args];

  return new Promise<RunResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new StudioError('cancelled', `${options.what}: cancelled`));
      return;
    }
    const child = spawn(binary, args, {
      stdio: [
        options.feedStdin ? 'pipe' : 'ignore',
        'pipe',
        'pipe',
        options.onProgress ? 'pipe' : 'ignore',
      ],
      windowsHide: true,
      env: options.env ?? process.env,
    });

    // Both are pipes by the stdio option above.
    const stdout = child.stdout as Readable;
    const stderr = child.stderr as Readable;
    const stderrTail: string[] = [];
    let stderrPartial = '';
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => {
      const lines = (stderrPartial + text).split(/\r?\n|\r/);
      stderrPartial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        stderrTail.push(line);
        if (stderrTail.length > STDERR_LINES_KEPT) stderrTail.shift();
      }
    });

    const progressStream = child.stdio[3] as Readable | null;
    if (progressStream && options.onProgress) {
      const onProgress = options.onProgress;
      let block = '';
      progressStream.setEncoding('utf8');
      progressStream.on('data', (text: string) => {
        block += text;
        let end = block.search(/progress=(continue|end)\r?\n/);
        while (end >= 0) {
          const newline = block.indexOf('\n', end);
          const parsed = parseProgressBlock(block.slice(0, newline + 1));
          block = block.slice(newline + 1);
          if (parsed) onProgress(parsed);
          end = block.search(/progress=(continue|end)\r?\n/);
        }
      });
    }

    const chunks: Buffer[] = [];
    let consumerError: unknown = null;
    const consumed = options.consumeStdout
      ? options.consumeStdout(stdout).catch((error: unknown) => {
          consumerError = error;
          child.kill('SIGKILL');
        })
      : new Promise<void>((done) => {
          stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
          stdout.on('end', done);
        });

    if (options.feedStdin && child.stdin) {
      const stdin = child.stdin;
      // ffmpeg may stop reading early (it failed, or was killed): that is reported by its exit.
      stdin.on('error', () => {});
      options.feedStdin(stdin).then(
        () => stdin.end(),
        (error: unknown) => {
          consumerError ??= error;
          child.kill('SIGKILL');
        },
      );
    }

    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      child.kill('SIGKILL');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let spawnError: NodeJS.ErrnoException | null = null;
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });

    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (stderrPartial.trim()) stderrTail.push(stderrPartial);
      void consumed.then(() => {
        if (spawnError) {
          reject(
            new StudioError(
              spawnError.code === 'ENOENT' ? 'ffmpeg_missing' : 'ffmpeg_failed',
              `${options.what}: could not start ${binary} (${spawnError.message})`,
            ),
          );
        } else if (cancelled) {
          reject(new StudioError('cancelled', `${options.what}: cancelled`));
        } else if (consumerError) {
          reject(consumerError);
        } else if (code !== 0) {
          const details = { exitCode: code, signal, stderr: stderrTail };
          const disk = diskFailure(stderrTail);
          if (disk) {
            reject(new StudioError(disk.code, `${options.what} failed: ${disk.reason}`, details));
            return;
          }
          const reason = lastMeaningfulLine(stderrTail) ?? `exited with ${code ?? signal}`;
          reject(new StudioError('ffmpeg_failed', `${options.what} failed: ${reason}`, details));
        } else {
          resolve({ stdout: Buffer.concat(chunks), stderrTail });
        }
      });
    });
  });
}

/**
 * ffmpeg reports a failed write as strerror text after a path (often a temp name the user never
 * sees): say what is wrong with the disk instead, with the code the UI branches on.
 */
function diskFailure(
  lines: string[],
): { code: 'disk_full' | 'read_only' | 'permission_denied'; reason: string } | null {
  const text = lines.join('\n');
  if (/No space left on device|Disk quota exceeded/i.test(text)) {
    return { code: 'disk_full', reason: 'the disk is full (no space left to write the output).' };
  }
  if (/Read-only file system/i.test(text)) {
    return { code: 'read_only', reason: 'the output is on a read-only disk.' };
  }
  if (/Permission denied/i.test(text)) {
    return { code: 'permission_denied', reason: 'no permission to write the output there.' };
  }
  return null;
}

/** ffmpeg's final lines are often generic ("Conversion failed!"); the cause sits just above. */
function lastMeaningfulLine(lines: string[]): string | null {
  const generic =
    /^(Conversion failed!|Error opening (input|output) files?:.*|Exiting.*|Error while processing the decoded data for stream.*)$/;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line && !generic.test(line)) return line;
  }
  return lines.at(-1) ?? null;
}
