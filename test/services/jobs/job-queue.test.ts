import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EventBus } from '../../../src/main/services/events/event-bus';
import { JobQueue } from '../../../src/main/services/jobs/job-queue';
import { type Db, openLibraryDatabase } from '../../../src/main/services/library/database';
import { events as contractEvents } from '../../../src/shared/contract';
import type { Job } from '../../../src/shared/domain';
import { StudioError } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/audio';

const root = tempDir('studio-jobs-');
const repoRoot = join(import.meta.dirname, '..', '..', '..');
let dirs = 0;

interface TestInput {
  key: string;
  mode: 'succeed' | 'fail' | 'throw' | 'wait';
  /** Progress steps, ~110 ms apart so each clears the queue's 100 ms event throttle. */
  steps?: number;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A real queue on a real library database, with a job kind whose work the test drives: it can
 * report progress, fail with a typed error, throw a plain error, or wait until released or aborted.
 */
function harness(dataDir = join(root, `queue-${dirs++}`)) {
  const db: Db = openLibraryDatabase(dataDir);
  const bus = new EventBus();
  const queue = new JobQueue(db, bus);
  const seen: Job[] = [];
  const log: string[] = [];
  const started = new Map<string, Deferred<AbortSignal>>();
  const released = new Map<string, Deferred<void>>();
  /** Keys whose 'fail' work succeeds from now on, as if the user fixed the file. */
  const fixed = new Set<string>();
  const entry = <T>(map: Map<string, Deferred<T>>, key: string) => {
    let d = map.get(key);
    if (!d) {
      d = deferred<T>();
      map.set(key, d);
    }
    return d;
  };

  // Every event must be a valid contract payload, exactly what the UI would receive.
  bus.on('job.updated', (job) => seen.push(contractEvents['job.updated'].parse(job)));

  queue.register<TestInput>({
    // The contract knows one kind; the work behind it is the test's own.
    kind: 'import',
    run: async ({ input, signal, progress }) => {
      log.push(`start ${input.key}`);
      entry(started, input.key).resolve(signal);
      const steps = input.steps ?? 0;
      for (let i = 1; i <= steps; i++) {
        await sleep(110);
        progress(i / steps, `Step ${i} of ${steps}`);
      }
      if (input.mode === 'wait') {
        await new Promise<void>((resolve, reject) => {
          entry(released, input.key).promise.then(resolve);
          signal.addEventListener(
            'abort',
            () => {
              log.push(`aborted ${input.key}`);
              reject(new StudioError('cancelled', `${input.key} cancelled`));
            },
            { once: true },
          );
        });
      }
      if (input.mode === 'fail' && !fixed.has(input.key)) {
        throw new StudioError(
          'media_unreadable',
          `${input.key}.wav could not be read as audio: Invalid data found when processing input`,
          { path: `/recordings/${input.key}.wav` },
        );
      }
      if (input.mode === 'throw') throw new TypeError(`${input.key} blew up`);
      log.push(`end ${input.key}`);
    },
  });

  const h = {
    dataDir,
    db,
    bus,
    queue,
    seen,
    log,
    fixed,
    enqueue: (input: TestInput, episodeId: string | null = null) =>
      queue.enqueue('import', input, `Job ${input.key}`, episodeId),
    started: (key: string) => entry(started, key).promise,
    release: (key: string) => entry(released, key).resolve(),
    eventsFor: (id: string) => seen.filter((job) => job.id === id),
    /** The job as a fresh queue on the same database reads it: what survives in SQLite. */
    stored: (id: string) => new JobQueue(db, new EventBus()).get(id),
    async close() {
      await queue.close();
      db.close();
    },
  };
  onTestFinished(() => h.close());
  return h;
}

describe('JobQueue', () => {
  it('reports progress on the bus and finishes done', async () => {
    const h = harness();
    h.queue.start();
    const job = h.enqueue({ key: 'a', mode: 'succeed', steps: 3 });
    expect(job).toMatchObject({
      kind: 'import',
      status: 'queued',
      title: 'Job a',
      progress: null,
      stage: 'Waiting',
      episodeId: null,
      error: null,
    });
    await h.queue.whenIdle();

    const events = h.eventsFor(job.id);
    expect(events.map((e) => e.status)).toEqual([
      'queued',
      'running',
      'running',
      'running',
      'running',
      'done',
    ]);
    expect(events.map((e) => e.progress)).toEqual([null, 0, 1 / 3, 2 / 3, 1, 1]);
    expect(events.map((e) => e.stage)).toEqual([
      'Waiting',
      'Starting',
      'Step 1 of 3',
      'Step 2 of 3',
      'Step 3 of 3',
      'Done',
    ]);
    const done = h.queue.get(job.id);
    expect(done).toMatchObject({ status: 'done', progress: 1, stage: 'Done', error: null });
    expect(h.stored(job.id)).toEqual(done);
    expect(h.queue.list()[0]).toEqual(done);
    expect(h.log).toEqual(['start a', 'end a']);
  });

  it('runs jobs one at a time, in the order they were queued', async () => {
    const h = harness();
    h.queue.start();
    const ids = ['one', 'two', 'three'].map((key) => h.enqueue({ key, mode: 'succeed' }).id);
    await h.queue.whenIdle();
    expect(h.log).toEqual([
      'start one',
      'end one',
      'start two',
      'end two',
      'start three',
      'end three',
    ]);
    expect(h.queue.list().map((j) => j.id)).toEqual([...ids].reverse());
  });

  it('a failure carries the typed error, in the event and in the database, and the queue goes on', async () => {
    const h = harness();
    h.queue.start();
    const failed = h.enqueue({ key: 'broken', mode: 'fail' }, 'episode-1');
    const threw = h.enqueue({ key: 'buggy', mode: 'throw' });
    const after = h.enqueue({ key: 'fine', mode: 'succeed' });
    await h.queue.whenIdle();

    const expected = {
      status: 'failed',
      stage: 'Failed',
      progress: null,
      episodeId: 'episode-1',
      error: {
        code: 'media_unreadable',
        message: 'broken.wav could not be read as audio: Invalid data found when processing input',
        details: { path: '/recordings/broken.wav' },
      },
    };
    expect(h.queue.get(failed.id)).toMatchObject(expected);
    expect(h.stored(failed.id)).toMatchObject(expected);
    expect(h.eventsFor(failed.id).at(-1)).toMatchObject(expected);
    // Anything else thrown still reaches the user as a code and a message.
    expect(h.queue.get(threw.id)).toMatchObject({
      status: 'failed',
      error: { code: 'internal', message: 'buggy blew up' },
    });
    expect(h.queue.get(after.id).status).toBe('done');
  });

  it('cancelling a queued job removes it before it ever starts', async () => {
    const h = harness();
    h.queue.start();
    const first = h.enqueue({ key: 'first', mode: 'wait' });
    const second = h.enqueue({ key: 'second', mode: 'succeed' });
    await h.started('first');

    h.queue.cancel(second.id);
    const cancelled = h.queue.get(second.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', stage: 'Cancelled', error: null });
    expect(h.eventsFor(second.id).at(-1)).toEqual(cancelled);
    expect(h.stored(second.id).status).toBe('cancelled');

    h.release('first');
    await h.queue.whenIdle();
    expect(h.queue.get(first.id).status).toBe('done');
    expect(h.log).toEqual(['start first', 'end first']);
  });

  it('cancelling a running job aborts its signal and the work stops', async () => {
    const h = harness();
    h.queue.start();
    const job = h.enqueue({ key: 'long', mode: 'wait' });
    const next = h.enqueue({ key: 'next', mode: 'succeed' });
    const signal = await h.started('long');
    expect(h.queue.get(job.id).status).toBe('running');
    expect(signal.aborted).toBe(false);

    h.queue.cancel(job.id);
    expect(signal.aborted).toBe(true);
    await h.queue.whenIdle();
    expect(h.queue.get(job.id)).toMatchObject({
      status: 'cancelled',
      stage: 'Cancelled',
      error: null,
    });
    expect(h.log).toEqual(['start long', 'aborted long', 'start next', 'end next']);
    expect(h.queue.get(next.id).status).toBe('done');

    // Cancelling what has finished changes nothing; an unknown id is a clear not_found.
    h.queue.cancel(job.id);
    h.queue.cancel(next.id);
    expect(h.queue.get(next.id).status).toBe('done');
    expect(() => h.queue.cancel('no-such-job')).toThrowError(
      expect.objectContaining({
        code: 'not_found',
        message: expect.stringContaining('no-such-job'),
      }),
    );
  });

  it('retries failed and cancelled jobs as new jobs with the same input', async () => {
    const h = harness();
    h.queue.start();
    const failed = h.enqueue({ key: 'flaky', mode: 'fail' }, 'ep');
    await h.queue.whenIdle();
    expect(h.queue.get(failed.id).status).toBe('failed');

    h.fixed.add('flaky');
    const retried = h.queue.retry(failed.id);
    expect(retried).toMatchObject({ status: 'queued', title: 'Job flaky', episodeId: 'ep' });
    expect(retried.id).not.toBe(failed.id);
    await h.queue.whenIdle();
    expect(h.queue.get(retried.id)).toMatchObject({ status: 'done', error: null });
    // The failed attempt stays in the history as it was.
    expect(h.queue.get(failed.id).status).toBe('failed');

    const blocker = h.enqueue({ key: 'blocker', mode: 'wait' });
    const cancelled = h.enqueue({ key: 'later', mode: 'succeed' });
    await h.started('blocker');
    h.queue.cancel(cancelled.id);
    for (const busy of [blocker, h.queue.retry(cancelled.id)]) {
      expect(() => h.queue.retry(busy.id)).toThrowError(
        expect.objectContaining({
          code: 'conflict',
          message: expect.stringMatching(
            /is (running|queued); only failed, cancelled or interrupted/,
          ),
        }),
      );
    }
    h.release('blocker');
    await h.queue.whenIdle();
    expect(h.log.filter((line) => line === 'end later')).toHaveLength(1);
    expect(() => h.queue.retry(blocker.id)).toThrowError(
      expect.objectContaining({ code: 'conflict', message: expect.stringContaining('is done') }),
    );
    expect(() => h.queue.retry('missing')).toThrowError(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('closing mid-job marks it interrupted and keeps queued jobs for the next start', async () => {
    const first = harness();
    first.queue.start();
    const running = first.enqueue({ key: 'running', mode: 'wait' });
    const queued = ['q1', 'q2'].map((key) => first.enqueue({ key, mode: 'succeed' }).id);
    const signal = await first.started('running');
    await first.close();
    expect(signal.aborted).toBe(true);
    expect(first.log).toEqual(['start running', 'aborted running']);

    const second = harness(first.dataDir);
    expect(second.queue.get(running.id)).toMatchObject({
      status: 'interrupted',
      error: { code: 'interrupted', message: expect.stringContaining('Retry') },
    });
    expect(queued.map((id) => second.queue.get(id).status)).toEqual(['queued', 'queued']);
    second.queue.start();
    await second.queue.whenIdle();
    expect(second.log).toEqual(['start q1', 'end q1', 'start q2', 'end q2']);
    expect(queued.map((id) => second.queue.get(id).status)).toEqual(['done', 'done']);

    second.release('running');
    const again = second.queue.retry(running.id);
    await second.queue.whenIdle();
    expect(second.queue.get(again.id).status).toBe('done');
  });

  it('after the process dies, the running job is interrupted and queued jobs resume', async () => {
    const dataDir = join(root, 'crashed');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('test', 'fixtures', 'job-queue-crash.ts'), dataDir, 'x', 'y', 'z'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const [line] = (await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(() => {
        throw new Error(`fixture exited early: ${stderr}`);
      }),
    ])) as [Buffer];
    const [x, y, z] = JSON.parse(line.toString()) as [string, string, string];
    child.kill('SIGKILL');
    await once(child, 'exit');

    const h = harness(dataDir);
    // What the dead process left on disk: one job mid-run, two waiting.
    expect([x, y, z].map((id) => h.queue.get(id).status)).toEqual(['running', 'queued', 'queued']);

    h.queue.start();
    expect(h.queue.get(x)).toMatchObject({
      status: 'interrupted',
      error: {
        code: 'interrupted',
        message: 'The app closed while this job was running. Retry to run it again.',
      },
    });
    await h.queue.whenIdle();
    expect(h.log).toEqual(['start y', 'end y', 'start z', 'end z']);
    expect([y, z].map((id) => h.queue.get(id).status)).toEqual(['done', 'done']);
    expect(h.queue.get(x).status).toBe('interrupted');

    const retried = h.queue.retry(x);
    await h.queue.whenIdle();
    expect(h.queue.get(retried.id).status).toBe('done');
    expect(h.log.slice(-2)).toEqual(['start x', 'end x']);
  });
});
