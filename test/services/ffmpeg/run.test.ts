import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { FfmpegProgress } from '../../../src/main/services/ffmpeg/progress';
import { runFfmpeg } from '../../../src/main/services/ffmpeg/run';

describe('the ffmpeg runner', () => {
  it('reports -progress blocks as the output grows, ending with done', async () => {
    const seen: FfmpegProgress[] = [];
    await runFfmpeg({
      what: 'Rendering a tone',
      args: ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=30', '-f', 'null', '-'],
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen.length).toBeGreaterThan(0);
    const last = seen.at(-1) as FfmpegProgress;
    expect(last.done).toBe(true);
    expect(last.outTimeSec).toBeCloseTo(30, 0);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.outTimeSec).toBeGreaterThanOrEqual(seen[i - 1]!.outTimeSec);
  });

  it('turns a failure into ffmpeg_failed naming the work, with the last stderr lines', async () => {
    const error = await runFfmpeg({
      what: 'Decoding nothing.wav',
      args: ['-v', 'error', '-i', '/nonexistent/nothing.wav', '-f', 'null', '-'],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ffmpeg_failed' });
    expect((error as Error).message).toMatch(/^Decoding nothing\.wav failed: .*No such file/);
    expect((error as { details: { stderr: string[] } }).details.stderr.join('\n')).toMatch(
      /nothing\.wav/,
    );
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runFfmpeg({
      what: 'Playing an hour in real time',
      args: [
        '-v',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'anullsrc=duration=3600',
        '-f',
        'null',
        '-',
      ],
      signal: controller.signal,
    }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 300);
    expect(await run).toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('finding ffmpeg', () => {
  /** Resolves in a fresh process: the choice is made once per process. */
  function resolveWith(env: Record<string, string | undefined>) {
    const script = `import('./src/main/services/ffmpeg/binary.ts').then((m) => { try { console.log(JSON.stringify(m.resolveFfmpeg())); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); } })`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      env: { ...process.env, FFMPEG_PATH: undefined, FFPROBE_PATH: undefined, ...env },
      encoding: 'utf8',
    });
    return JSON.parse(run.stdout.trim()) as Record<string, string>;
  }

  it('takes FFMPEG_PATH first, and says so when it is wrong', () => {
    const ffmpeg = spawnSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).stdout.trim();
    expect(resolveWith({ FFMPEG_PATH: ffmpeg })).toMatchObject({ ffmpeg, source: 'FFMPEG_PATH' });
    expect(resolveWith({ FFMPEG_PATH: '/nowhere/ffmpeg' })).toMatchObject({
      code: 'ffmpeg_missing',
      message: expect.stringMatching(/FFMPEG_PATH points to \/nowhere\/ffmpeg/),
    });
  });

  it('falls back to PATH, and explains how to install it when there is none', () => {
    expect(resolveWith({})).toMatchObject({ source: expect.stringMatching(/PATH|ffmpeg-static/) });
    expect(resolveWith({ PATH: '/nonexistent' })).toMatchObject({
      code: 'ffmpeg_missing',
      message: expect.stringMatching(/Install ffmpeg/),
    });
  });
});
