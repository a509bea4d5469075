/**
 * Run by recorder.test.ts inside a private mount namespace (`unshare -m`), as root:
 *
 *   node --import tsx record-on-full-disk.ts '<json Scenario>'
 *
 * Creates the services on `dataDir`, mounts a tiny tmpfs on its takes folder (the library and
 * its media stay on the real disk), records two sine tracks until that tmpfs is full, waits for
 * the recorder to stop and save the take by itself, and prints one JSON line, prefixed RESULT.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { call } from '../../../../src/main/services/app/dispatch';
import { createServices } from '../../../../src/main/services/app/services';
import { readManifest } from '../../../../src/main/services/recording/take';
import type { InterruptedTake, RecorderStatus } from '../../../../src/shared/recording';

export interface Scenario {
  dataDir: string;
  /** tmpfs size, e.g. "1m". */
  size: string;
}

export interface RecordResult {
  /** The state each `recorder.status` event carried, consecutive repeats removed. */
  states: string[];
  /** The status once the recorder had stopped by itself and said so. */
  final: RecorderStatus;
  /** What `recorder.interrupted` listed then. */
  interrupted: InterruptedTake[];
  /** The episode's tracks then. */
  tracks: TrackSummary[];
  /** What take.json says of the take, read from the full disk. */
  take: { status: string; errors: (string | null)[]; frames: (number | null)[] };
}

interface TrackSummary {
  name: string;
  kind: string | null;
  seconds: number;
}

const scenario = JSON.parse(process.argv[2] ?? '') as Scenario;
const services = await createServices({
  dataDir: scenario.dataDir,
  transport: 'http',
  version: 'test',
});
const takes = join(scenario.dataDir, 'takes');
mkdirSync(takes, { recursive: true });
execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${scenario.size}`, 'tmpfs', takes], {
  stdio: 'pipe',
});

const states: string[] = [];
services.bus.on('recorder.status', (status) => {
  if (states.at(-1) !== status.state) states.push(status.state);
});
const show = await call(services.dispatch, 'shows.create', { title: 'Full disk' });
const episode = await call(services.dispatch, 'episodes.create', {
  showId: show.id,
  title: 'Until the disk is full',
});
await call(services.dispatch, 'recorder.arm', {
  episodeId: episode.id,
  tracks: [
    { name: 'Host', source: 'lavfi:sine=frequency=440:sample_rate=48000' },
    { name: 'Guest', source: 'lavfi:sine=frequency=1000:sample_rate=48000' },
  ],
});
await call(services.dispatch, 'recorder.record', {});

// The recorder stops and saves by itself; the notice then says what was kept.
const deadline = Date.now() + 30_000;
let final = await call(services.dispatch, 'recorder.status', {});
while (!(final.state === 'idle' && final.notice && !final.notice.endsWith('…'))) {
  if (Date.now() > deadline) break;
  await sleep(100);
  final = await call(services.dispatch, 'recorder.status', {});
}
const tracks = async (): Promise<TrackSummary[]> =>
  (await call(services.dispatch, 'episodes.get', { id: episode.id })).tracks.map((track) => ({
    name: track.name,
    kind: track.asset?.kind ?? null,
    seconds: (track.asset?.durationSamples ?? 0) / 48_000,
  }));
const interrupted = await call(services.dispatch, 'recorder.interrupted', {});
const [episodeTakes] = readdirSync(takes);
const [takeDir] = readdirSync(join(takes, episodeTakes!));
const manifest = await readManifest(join(takes, episodeTakes!, takeDir!));
const result: RecordResult = {
  states,
  final,
  interrupted,
  tracks: await tracks(),
  take: {
    status: manifest.status,
    errors: manifest.tracks.map((t) => t.error),
    frames: manifest.tracks.map((t) => t.frames),
  },
};
await services.close();
console.log(`RESULT ${JSON.stringify(result)}`);
