import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestOutput } from '../../../shared/contract';
import { EventBus } from '../events/event-bus';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { runFfmpeg } from '../ffmpeg/run';
import { isTempName } from '../files/atomic';
import { JobQueue } from '../jobs/job-queue';
import { type Db, openLibraryDatabase } from '../library/database';
import { createPeaksRedraw, type PeaksRedraw } from '../media/rebuild-peaks';
import { lockDataDir } from './data-dir-lock';
import { createDispatcher, type Dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { importJobKind } from './import-job';
import { createMediaAccess, type MediaAccess } from './media-access';
import { mixdownJobKind } from './mixdown-job';
import { processJobKind } from './process-job';
import { RecorderSession } from './recorder-session';

export interface ServicesOptions {
  dataDir: string;
  transport: 'electron' | 'http';
  version: string;
  nativeBinding?: string;
  /** Environment for the recorder's tools (ffmpeg, pactl: PULSE_SERVER…); default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Asks the OS for the microphone before an avfoundation source is armed (macOS's privacy
   * prompt; false = refused). Given by the Electron entry, which alone may import electron.
   */
  askMicrophoneAccess?: () => Promise<boolean>;
}

export interface Services {
  dataDir: string;
  db: Db;
  bus: EventBus;
  jobs: JobQueue;
  media: MediaAccess;
  /** Draws a waveform file that went missing or was damaged again (media routes, mixdowns). */
  peaks: PeaksRedraw;
  recorder: RecorderSession;
  dispatch: Dispatch;
  info(): Promise<RequestOutput<'app.info'>>;
  /** Stops the recorder (saving an open take), waits for running jobs to stop, closes the database. */
  close(): Promise<void>;
}

/**
 * The whole Node side, wired once: the same object serves Electron IPC, the browser host's HTTP
 * and the CLI. Nothing here knows which transport is calling.
 */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const { dataDir } = options;
  const unlock = lockDataDir(dataDir, options.nativeBinding);
  let db: Db;
  try {
    db = openLibraryDatabase(dataDir, { nativeBinding: options.nativeBinding });
  } catch (error) {
    unlock();
    throw error;
  }
  await sweepUnfinishedFiles(join(dataDir, 'media'));
  await sweepLeftovers(db, dataDir);
  const bus = new EventBus();
  const jobs = new JobQueue(db, bus);
  const peaks = createPeaksRedraw({ db, dataDir });
  let ffmpegInfo: RequestOutput<'app.info'>['ffmpeg'] | undefined;
  let recorder: RecorderSession | undefined;

  const services: Services = {
    dataDir,
    db,
    bus,
    jobs,
    media: createMediaAccess(db, dataDir, peaks),
    peaks,
    // Made on first use: the session keeps a reference to this object, which must exist first.
    get recorder() {
      recorder ??= new RecorderSession(services, options.env, {
        askMicrophoneAccess: options.askMicrophoneAccess,
        nativeBinding: options.nativeBinding,
      });
      return recorder;
    },
    dispatch: () => {
      throw new Error('not wired');
    },
    async info() {
      if (ffmpegInfo === undefined) ffmpegInfo = await describeFfmpeg();
      return {
        version: options.version,
        dataDir,
        transport: options.transport,
        ffmpeg: ffmpegInfo,
      };
    },
    async close() {
      // First: saving an open take queues imports, which the job queue must still be there to run.
      await services.recorder.close();
      await jobs.close();
      db.close();
      unlock();
    },
  };
  services.dispatch = createDispatcher(createHandlers(services));
  jobs.register(importJobKind(services));
  jobs.register(processJobKind(services));
  jobs.register(mixdownJobKind(services));
  jobs.start();
  await services.recorder.start();
  return services;
}

async function describeFfmpeg(): Promise<RequestOutput<'app.info'>['ffmpeg']> {
  try {
    const { ffmpeg } = resolveFfmpeg();
    const { stdout } = await runFfmpeg({
      what: 'Asking ffmpeg its version',
      args: ['-hide_banner', '-version'],
    });
    const version = /ffmpeg version (\S+)/.exec(stdout.toString())?.[1] ?? 'unknown';
    return { path: ffmpeg, version };
  } catch {
    return null;
  }
}

/** Temp files left by a crash mid-write are never complete: remove them at start. */
async function sweepUnfinishedFiles(mediaDir: string): Promise<void> {
  const entries = await readdir(mediaDir, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && isTempName(entry.name))
      .map((entry) => rm(join(entry.parentPath, entry.name), { force: true }).catch(() => {})),
  );
}

/**
 * A crash between writing an asset's files and recording it leaves a media folder nobody refers
 * to; an upload whose import never got queued leaves a staged file. Neither can be reached again.
 */
async function sweepLeftovers(db: Db, dataDir: string): Promise<void> {
  const assets = new Set(
    db
      .prepare('SELECT id FROM assets')
      .pluck()
      .all()
      .map((id) => String(id)),
  );
  const mediaDir = join(dataDir, 'media');
  const folders = await readdir(mediaDir, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    folders
      // Only folders the studio names (asset ids); anything else is not ours to remove.
      .filter((entry) => entry.isDirectory() && UUID.test(entry.name) && !assets.has(entry.name))
      .map((entry) => bestEffortRemove(join(mediaDir, entry.name))),
  );

  const waiting = new Set(
    db
      .prepare("SELECT input_json FROM jobs WHERE status = 'queued'")
      .pluck()
      .all()
      .map((json) => (JSON.parse(String(json)) as { sourcePath?: string }).sourcePath),
  );
  const uploadsDir = join(dataDir, 'uploads');
  const uploads = await readdir(uploadsDir).catch(() => []);
  await Promise.all(
    uploads
      .filter((name) => UPLOAD_NAME.test(name) && !waiting.has(join(uploadsDir, name)))
      .map((name) => bestEffortRemove(join(uploadsDir, name))),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Staged uploads are named `<uuid>-<original name>` by the browser host. */
const UPLOAD_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/;

/** A leftover that cannot be removed now (locked on Windows, say) must not stop the app. */
async function bestEffortRemove(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch((error: unknown) =>
    console.warn(`Could not remove ${path}:`, error),
  );
}
