import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A private PulseAudio daemon for one test file: its own socket, state and config in a temp dir. */
export interface PulseServer {
  /** `unix:<dir>/native`: what PULSE_SERVER must be for a client to reach this daemon. */
  server: string;
  /** The environment a child process (pactl, paplay, ffmpeg -f pulse, the CLI) needs to use it. */
  env: NodeJS.ProcessEnv;
  /** Runs pactl against this daemon and returns its stdout. */
  pactl(...args: string[]): string;
  /** Loads a null sink; its `<name>.monitor` source then carries whatever is played into it. */
  loadNullSink(name: string, options?: { rate?: number; channels?: number }): number;
  unloadModule(index: number): void;
  /** Stops the daemon (SIGTERM, SIGKILL after 3 s) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts `pulseaudio` in the foreground as our own child. Works as root (CI containers) because
 * `--system=false` with a private HOME/XDG_RUNTIME_DIR keeps it out of the system instance, and
 * `-n` skips default.pa so no hardware, D-Bus or X11 module is loaded: only the native protocol on
 * a socket in the temp dir, with anonymous auth so clients need no cookie.
 */
export async function startPulse(): Promise<PulseServer> {
  const dir = mkdtempSync(join(tmpdir(), 'studio-pulse-'));
  const socket = join(dir, 'native');
  const daemonEnv: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    XDG_RUNTIME_DIR: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    PULSE_RUNTIME_PATH: join(dir, 'runtime'),
    PULSE_STATE_PATH: join(dir, 'state'),
    LC_ALL: 'C',
  };
  delete daemonEnv.PULSE_SERVER;
  const env: NodeJS.ProcessEnv = { ...process.env, PULSE_SERVER: `unix:${socket}` };

  const child: ChildProcess = spawn(
    'pulseaudio',
    [
      '--daemonize=no',
      '--system=false',
      '-n',
      '--exit-idle-time=-1',
      '--disallow-exit',
      '--use-pid-file=false',
      '--realtime=false',
      '--high-priority=false',
      '--log-target=stderr',
      `--load=module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
    ],
    { env: daemonEnv, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    log += text;
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
  });
  let spawnError: Error | null = null;
  child.on('error', (error) => {
    spawnError = error;
  });
  // Last resort if the test process dies without running afterAll: never leave a daemon behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!exited && child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const pactl = (...args: string[]) =>
    execFileSync('pactl', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  // Ready when a client can talk to it (the socket alone appears before modules are loaded).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (spawnError || exited) {
      await stop();
      throw new Error(
        `pulseaudio did not start (${spawnError ? String(spawnError) : 'it exited'}). Install pulseaudio and pulseaudio-utils.\n${log}`,
      );
    }
    try {
      pactl('info');
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`pulseaudio did not answer within 10 s: ${String(error)}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    server: env.PULSE_SERVER!,
    env,
    pactl,
    loadNullSink: (name, options = {}) =>
      Number(
        pactl(
          'load-module',
          'module-null-sink',
          `sink_name=${name}`,
          `rate=${options.rate ?? 48000}`,
          `channels=${options.channels ?? 2}`,
          `sink_properties=device.description=${name}`,
        ).trim(),
      ),
    unloadModule: (index) => {
      pactl('unload-module', String(index));
    },
    stop,
  };
}

/**
 * A PulseAudio daemon for the test file, started before its tests and stopped after them, whether
 * they passed or not. Read `.current` inside tests.
 */
export function pulseForThisFile(): { current: PulseServer } {
  const holder = {} as { current: PulseServer };
  beforeAll(async () => {
    holder.current = await startPulse();
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
}
