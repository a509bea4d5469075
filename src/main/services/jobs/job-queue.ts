import { randomUUID } from 'node:crypto';
import { isFinished, type Job } from '../../../shared/domain';
import { StudioError, toErrorValue } from '../../../shared/errors';
import type { EventBus } from '../events/event-bus';
import { type Db, now } from '../library/database';
import { notFound } from '../library/transaction';

/** What a job's work receives: its input, a cancel signal and a way to report progress. */
export interface JobContext<I> {
  id: string;
  input: I;
  signal: AbortSignal;
  progress(fraction: number | null, stage: string): void;
}

export interface JobKind<I> {
  kind: Job['kind'];
  /**
   * At most one unfinished job of this kind per track or per episode (processing a track twice at
   * once, or mixing an episode down twice, would race over the same results): enqueue and retry
   * refuse a second with `conflict`.
   */
  onePer?: 'track' | 'episode';
  run(context: JobContext<I>): Promise<void>;
}

interface JobRow {
  id: string;
  kind: Job['kind'];
  status: Job['status'];
  title: string;
  input_json: string;
  progress: number | null;
  stage: string;
  episode_id: string | null;
  track_id: string | null;
  error_json: string | null;
  created_at: string;
  updated_at: string;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    title: row.title,
    progress: row.progress,
    stage: row.stage,
    episodeId: row.episode_id,
    trackId: row.track_id,
    error: row.error_json ? JSON.parse(row.error_json) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Progress is pushed to the UI at most this often, and written to the database less often. */
const EMIT_INTERVAL_MS = 100;
const PERSIST_INTERVAL_MS = 1000;

/** Why a job stopped when the app closed under it, whether it quit cleanly or not. */
const INTERRUPTED = {
  code: 'interrupted',
  message: 'The app closed while this job was running. Retry to run it again.',
};

/**
 * Long work as jobs: persisted before they start, run one at a time (each job already uses both
 * cores), with progress events and cancel. After a restart, queued jobs run again and jobs that
 * were running are marked interrupted, ready to retry.
 */
export class JobQueue {
  private readonly kinds = new Map<string, JobKind<unknown>>();
  private readonly running = new Map<string, AbortController>();
  private readonly waiting: string[] = [];
  private active: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  register<I>(kind: JobKind<I>): void {
    this.kinds.set(kind.kind, kind as JobKind<unknown>);
  }

  /** Call once the kinds are registered: recovers what the last run left behind. */
  start(): void {
    const time = now();
    this.db
      .prepare(
        `UPDATE jobs SET status = 'interrupted', error_json = ?, updated_at = ? WHERE status = 'running'`,
      )
      .run(JSON.stringify(INTERRUPTED), time);
    const queued = this.db
      .prepare(`SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid`)
      .pluck()
      .all() as string[];
    this.waiting.push(...queued);
    this.pump();
  }

  enqueue<I>(
    kind: Job['kind'],
    input: I,
    title: string,
    episodeId: string | null,
    trackId: string | null = null,
  ): Job {
    const definition = this.kinds.get(kind);
    if (!definition) throw new StudioError('internal', `No job kind ${kind}`);
    const { onePer } = definition;
    const subjectOf = (job: { trackId: string | null; episodeId: string | null }) =>
      onePer === 'track' ? job.trackId : onePer === 'episode' ? job.episodeId : null;
    const subject = subjectOf({ trackId, episodeId });
    const busy = subject
      ? this.unfinished(kind).find((job) => subjectOf(job) === subject)
      : undefined;
    if (busy) {
      throw new StudioError(
        'conflict',
        `“${busy.title}” is already ${busy.status}: wait for it to finish or cancel it first.`,
        { jobId: busy.id },
      );
    }
    const time = now();
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, status, title, input_json, progress, stage, episode_id, track_id, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, NULL, 'Waiting', ?, ?, ?, ?)`,
      )
      .run(id, kind, title, JSON.stringify(input), episodeId, trackId, time, time);
    const job = this.get(id);
    this.bus.emit('job.updated', job);
    this.waiting.push(id);
    this.pump();
    return job;
  }

  get(id: string): Job {
    return toJob(this.row(id));
  }

  private row(id: string): JobRow {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw notFound('Job', id);
    return row;
  }

  /** Jobs of a kind that have not finished yet (queued or running). */
  unfinished(kind: Job['kind']): Job[] {
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE kind = ? AND status IN ('queued', 'running')`)
      .all(kind) as JobRow[];
    return rows.map(toJob);
  }

  list(limit = 200): Job[] {
    const rows = this.db
      .prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(limit) as JobRow[];
    return rows.map(toJob);
  }

  cancel(id: string): void {
    const job = this.get(id);
    if (isFinished(job.status)) return;
    const controller = this.running.get(id);
    if (controller) {
      controller.abort();
      return;
    }
    const index = this.waiting.indexOf(id);
    if (index >= 0) this.waiting.splice(index, 1);
    this.finish(id, 'cancelled', null, 'Cancelled');
  }

  retry(id: string): Job {
    const row = this.row(id);
    if (!isFinished(row.status) || row.status === 'done') {
      throw new StudioError(
        'conflict',
        `“${row.title}” is ${row.status}; only failed, cancelled or interrupted jobs can be retried.`,
      );
    }
    // enqueue refuses it while the kind's one job per track or episode is unfinished.
    return this.enqueue(
      row.kind,
      JSON.parse(row.input_json),
      row.title,
      row.episode_id,
      row.track_id,
    );
  }

  clearFinished(): void {
    this.db
      .prepare(`DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled', 'interrupted')`)
      .run();
  }

  /** Resolves when nothing is queued or running (CLI, tests, shutdown). */
  whenIdle(): Promise<void> {
    if (!this.active && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels running work and waits for it to stop; queued jobs stay queued for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.running.values()) controller.abort();
    await this.active;
  }

  private pump(): void {
    if (this.active || this.closed) return;
    const id = this.waiting.shift();
    if (!id) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    this.active = this.runOne(id)
      // A job's own failure is recorded in runOne; this is the queue failing to record it
      // (a full disk under the database, say). Keep the queue alive and say so.
      .catch((error: unknown) => console.error(`Job ${id} could not be recorded:`, error))
      .finally(() => {
        this.active = null;
        this.pump();
      });
  }

  private async runOne(id: string): Promise<void> {
    const row = this.row(id);
    if (row.status !== 'queued') return;
    const kind = this.kinds.get(row.kind);
    if (!kind) {
      this.finish(
        id,
        'failed',
        { code: 'internal', message: `Unknown job kind ${row.kind}` },
        'Failed',
      );
      return;
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    this.update(id, { status: 'running', progress: 0, stage: 'Starting' }, true);
    let lastEmit = 0;
    let lastStage = '';
    let lastPersist = 0;
    try {
      await kind.run({
        id,
        input: JSON.parse(row.input_json),
        signal: controller.signal,
        progress: (fraction, stage) => {
          // Late reports from work that is being stopped must not touch a finished job.
          if (controller.signal.aborted || !this.running.has(id) || this.closed) return;
          const t = Date.now();
          // A new stage always shows (a short one would otherwise never be seen); progress within
          // a stage at most once per interval.
          if (t - lastEmit < EMIT_INTERVAL_MS && stage === lastStage) return;
          lastEmit = t;
          lastStage = stage;
          const persist = t - lastPersist >= PERSIST_INTERVAL_MS;
          if (persist) lastPersist = t;
          this.update(id, { progress: fraction, stage }, persist);
        },
      });
      this.finish(id, 'done', null, 'Done');
    } catch (error) {
      const value = toErrorValue(error);
      if (value.code === 'cancelled' || controller.signal.aborted) {
        if (this.closed) this.finish(id, 'interrupted', INTERRUPTED, 'Interrupted');
        else this.finish(id, 'cancelled', null, 'Cancelled');
      } else {
        this.finish(id, 'failed', value, 'Failed');
      }
    } finally {
      this.running.delete(id);
    }
  }

  private finish(id: string, status: Job['status'], error: object | null, stage: string): void {
    this.update(
      id,
      {
        status,
        stage,
        progress: status === 'done' ? 1 : null,
        error_json: error ? JSON.stringify(error) : null,
      },
      true,
    );
  }

  private readonly pending = new Map<string, Partial<JobRow>>();

  private update(id: string, fields: Partial<JobRow>, persist: boolean): void {
    const merged = { ...this.pending.get(id), ...fields, updated_at: now() };
    if (persist) {
      const sets = Object.keys(merged).map((key) => `${key} = @${key}`);
      this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = @id`).run({ ...merged, id });
      this.pending.delete(id);
      this.bus.emit('job.updated', this.get(id));
    } else {
      this.pending.set(id, merged);
      this.bus.emit('job.updated', toJob({ ...this.row(id), ...merged } as JobRow));
    }
  }
}
