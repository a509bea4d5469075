/**
 * Run by bad-input.test.ts inside a private mount namespace (`unshare -m`), as root:
 *
 *   node --import tsx import-on-broken-disk.ts '<json Scenario>'
 *
 * Imports `earlier` into a fresh library, then breaks the disk (`read-only`: the media folder
 * becomes a read-only bind mount; `disk-full`: the whole data dir is a tiny tmpfs from the start),
 * then imports each victim. Prints one JSON line, prefixed RESULT, with what the test asserts on.
 * The mounts vanish with the namespace, so everything is observed from in here.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { call } from '../../../../src/main/services/app/dispatch';
import { createServices } from '../../../../src/main/services/app/services';
import type { EpisodeDetail, Job } from '../../../../src/shared/domain';

export interface Scenario {
  mode: 'read-only' | 'disk-full';
  dataDir: string;
  earlier: string;
  victims: string[];
  /** tmpfs size for disk-full, e.g. "3m". */
  size?: string;
}

export interface DiskSnapshot {
  files: Record<string, string>;
  dirs: string[];
  partials: string[];
}

export interface ScenarioResult {
  earlierJob: Job;
  libraryBefore: EpisodeDetail;
  filesBefore: DiskSnapshot;
  /** The errno of a test write into the media folder after breaking it ('writable' if it worked). */
  readOnlyProof: string;
  victims: {
    path: string;
    size: number;
    freeBefore: number;
    freeAfter: number;
    job: Job;
    library: EpisodeDetail;
    files: DiskSnapshot;
  }[];
}

const scenario = JSON.parse(process.argv[2] ?? '') as Scenario;
const { dataDir, mode } = scenario;
const mediaDir = join(dataDir, 'media');
const mount = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });

/**
 * Every file under the data dir's media folder with its hash, every folder there, and any
 * unfinished (*.partial) file anywhere in the data dir.
 */
function snapshot(): DiskSnapshot {
  const files: Record<string, string> = {};
  const dirs: string[] = [];
  for (const entry of readdirSync(mediaDir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dataDir, path);
    if (entry.isDirectory()) dirs.push(rel);
    else files[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  const partials = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((p) =>
    p.endsWith('.partial'),
  );
  return { files, dirs: dirs.sort(), partials };
}

function freeBytes(): number {
  const fs = statfsSync(dataDir);
  return fs.bavail * fs.bsize;
}

if (mode === 'disk-full')
  mount('-t', 'tmpfs', '-o', `size=${scenario.size ?? '3m'}`, 'tmpfs', dataDir);

const services = await createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
const request = <T>(name: string, input: unknown) =>
  call(services.dispatch, name as 'app.info', input) as Promise<T>;
try {
  const show = await request<{ id: string }>('shows.create', { title: 'Broken disk' });
  const episode = await request<{ id: string }>('episodes.create', {
    showId: show.id,
    title: 'One',
  });
  const importOne = async (path: string) => {
    const { jobIds } = await request<{ jobIds: string[] }>('media.importPaths', {
      episodeId: episode.id,
      paths: [path],
    });
    await services.jobs.whenIdle();
    return services.jobs.get(jobIds[0]!);
  };

  const earlierJob = await importOne(scenario.earlier);
  const libraryBefore = await request<EpisodeDetail>('episodes.get', { id: episode.id });
  const filesBefore = snapshot();

  let readOnlyProof = '';
  if (mode === 'read-only') {
    mount('--bind', mediaDir, mediaDir);
    mount('-o', 'remount,bind,ro', mediaDir);
    try {
      writeFileSync(join(mediaDir, 'probe'), 'x');
      readOnlyProof = 'writable';
    } catch (error) {
      readOnlyProof = (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }

  const victims: ScenarioResult['victims'] = [];
  for (const path of scenario.victims) {
    const freeBefore = freeBytes();
    const job = await importOne(path);
    victims.push({
      path,
      size: statSync(path).size,
      freeBefore,
      freeAfter: freeBytes(),
      job,
      library: await request<EpisodeDetail>('episodes.get', { id: episode.id }),
      files: snapshot(),
    });
  }

  const result: ScenarioResult = {
    earlierJob,
    libraryBefore,
    filesBefore,
    readOnlyProof,
    victims,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  await services.close();
}
