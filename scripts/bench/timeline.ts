/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// `npm run bench -- timeline`: the timeline benchmark. A 3-hour (BENCH_MINUTES), 4-track,
// 500-clip edit over four imported 30-minute FLACs, opened in the browser host in headless
// Chromium. Prints: open to all visible waveforms painted, the frame cost of splits, ripple deletes
// and undos, the renderer's JS heap, and the full mixdown's realtime factor. References from the
// same run: the same page opening a 10-second, one-clip episode, and ffmpeg mixing the four assets
// with no edits. The imported library is made once and kept in .bench/ (see LIBRARY_VERSION).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { startBrowserHost } from '../../e2e/support/host';
import { call } from '../../src/main/services/app/dispatch';
import { createServices, type Services } from '../../src/main/services/app/services';
import { renderEdit } from '../../src/main/services/render/render-edit';
import { type Clip, clipEnd, type Edit, editLength } from '../../src/shared/edit';
import { editProblems } from '../../src/shared/edit/validate';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 180);
const RATE = 48000;
/** Bump when the prepared library would differ (assets, import code that writes the data dir). */
const LIBRARY_VERSION = 'v1';
const OPEN_RUNS = 3;
const EDITS_EACH = 20;
const VIEWPORT = { width: 1600, height: 900 };

const benchDir = resolve('.bench');
mkdirSync(benchDir, { recursive: true });

// ---------------------------------------------------------------------------------------------
// Assets: the same four FLACs as timeline-render.ts, and a 10-second one for the reference.

const assetSeconds = 30 * 60;
function generate(path: string, seconds: number, seed: number): void {
  if (existsSync(path)) return;
  console.log(`Generating ${path} …`);
  const partial = `${path}.partial.flac`;
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
    `anoisesrc=color=pink:sample_rate=${RATE}:amplitude=0.5:duration=${seconds}:seed=${seed}`,
    '-af',
    "volume='0.05+0.95*pow(abs(sin(2*PI*3.3*t)),3)*gt(sin(2*PI*0.21*t),-0.4)':eval=frame,lowpass=f=5000",
    ...['-ac', '1', '-c:a', 'flac', partial],
  ]);
  renameSync(partial, path);
}
const assetFiles = [0, 1, 2, 3].map((t) => {
  const path = join(benchDir, `timeline-track${t}-30min-48k.flac`);
  generate(path, assetSeconds, t + 1);
  return path;
});
const shortFile = join(benchDir, 'timeline-short-10s-48k.flac');
generate(shortFile, 10, 9);

// ---------------------------------------------------------------------------------------------
// The library: a show with the big episode (four imported tracks) and the short one, made once
// through the services (import job: copy, loudness, peaks) and copied for every run, since the
// run's edits are saved into it.

const BIG = 'Timeline bench, 3 hours';
const SHORT = 'Timeline bench, 10 seconds';
const libraryCache = join(benchDir, `timeline-library-${LIBRARY_VERSION}`);

async function prepareLibrary(dataDir: string): Promise<void> {
  const services = await createServices({ dataDir, transport: 'http', version: 'bench' });
  try {
    const show = await call(services.dispatch, 'shows.create', { title: 'Bench' });
    const big = await call(services.dispatch, 'episodes.create', { showId: show.id, title: BIG });
    const short = await call(services.dispatch, 'episodes.create', {
      showId: show.id,
      title: SHORT,
    });
    const began = performance.now();
    // One at a time, so the tracks keep the files' order.
    for (const file of assetFiles) {
      await call(services.dispatch, 'media.importPaths', { episodeId: big.id, paths: [file] });
      await services.jobs.whenIdle();
    }
    await call(services.dispatch, 'media.importPaths', { episodeId: short.id, paths: [shortFile] });
    await services.jobs.whenIdle();
    const jobs = await call(services.dispatch, 'jobs.list', {});
    const bad = jobs.filter((job) => job.status !== 'done');
    if (bad.length > 0) throw new Error(`Imports failed: ${JSON.stringify(bad)}`);
    console.log(
      `Imported 4 × 30 min FLAC + 10 s FLAC in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
  } finally {
    await services.close();
  }
}

if (!existsSync(libraryCache)) {
  console.log(`Preparing the library in ${libraryCache} (once) …`);
  const making = `${libraryCache}.partial`;
  rmSync(making, { recursive: true, force: true });
  await prepareLibrary(making);
  renameSync(making, libraryCache);
}

/**
 * A working copy of the cached library: large media files hard-linked (the app never writes an
 * imported file again), everything else (the database above all) copied.
 */
function copyLibrary(): string {
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-timeline-'));
  const walk = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const a = join(from, entry.name);
      const b = join(to, entry.name);
      if (entry.isDirectory()) walk(a, b);
      else if (!/\.(db|sqlite)/i.test(entry.name) && statSync(a).size > 1 << 20) {
        try {
          linkSync(a, b);
        } catch {
          copyFileSync(a, b);
        }
      } else copyFileSync(a, b);
    }
  };
  walk(libraryCache, dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The edit: the generator of timeline-render.ts, with the library's track and asset ids.

function makeEdit(tracks: { id: string; name: string; assetId: string }[]): Edit {
  let state = 2026;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo));
  const total = MINUTES * 60 * RATE;
  const perTrack = 125;
  const editTracks = tracks.map((track, t) => {
    const clips: Clip[] = [];
    const slot = Math.floor(total / perTrack);
    for (let i = 0; i < perTrack; i++) {
      const length = int(Math.floor(slot * 0.6), slot + 4800);
      const sourceIn = int(0, assetSeconds * RATE - length);
      const fade = int(0, 4800);
      clips.push({
        id: `c${t}-${i}`,
        assetId: track.assetId,
        sourceIn,
        sourceOut: sourceIn + length,
        timelineStart: i * slot,
        gainDb: int(-6, 3),
        fadeIn: fade,
        fadeOut: fade,
      });
    }
    // An overlap the fades cannot cover as a crossfade is not a legal edit: end the clip earlier.
    for (let i = 0; i + 1 < clips.length; i++) {
      const a = clips[i]!;
      const b = clips[i + 1]!;
      const overlap = clipEnd(a) - b.timelineStart;
      if (overlap > 0 && (overlap > a.fadeOut || overlap > b.fadeIn)) {
        a.sourceOut -= overlap;
        a.fadeIn = Math.min(a.fadeIn, Math.floor((a.sourceOut - a.sourceIn) / 2));
        a.fadeOut = Math.min(a.fadeOut, Math.floor((a.sourceOut - a.sourceIn) / 2));
      }
    }
    return {
      id: track.id,
      name: track.name,
      gainDb: 0,
      pan: [-0.3, 0.3, 0, 0][t]!,
      muted: false,
      solo: false,
      clips,
    };
  });
  const edit: Edit = { version: 1, sampleRate: RATE, tracks: editTracks, markers: [] };
  const problems = editProblems(edit);
  if (problems.length > 0) throw new Error(`The generated edit is not valid: ${problems[0]}`);
  return edit;
}

const dataDir = copyLibrary();
let edit: Edit;
let bigId: string;
let shortId: string;
let showId: string;
let assetPaths: Map<string, string>;
{
  const services: Services = await createServices({ dataDir, transport: 'http', version: 'bench' });
  try {
    const [show] = await call(services.dispatch, 'shows.list', {});
    if (!show) throw new Error('The cached library has no show; delete it and run again');
    showId = show.id;
    const episodes = await call(services.dispatch, 'episodes.list', { showId });
    const byTitle = (title: string) => {
      const found = episodes.find((e) => e.title === title);
      if (!found) throw new Error(`No episode “${title}” in the cached library`);
      return found.id;
    };
    bigId = byTitle(BIG);
    shortId = byTitle(SHORT);
    const detail = await call(services.dispatch, 'episodes.get', { id: bigId });
    const tracks = detail.tracks.map((track) => {
      if (!track.asset) throw new Error(`Track ${track.name} has no asset`);
      return { id: track.id, name: track.name, assetId: track.asset.id };
    });
    if (tracks.length !== 4) throw new Error(`Expected 4 tracks, found ${tracks.length}`);
    edit = makeEdit(tracks);
    await call(services.dispatch, 'edit.save', { episodeId: bigId, edit });
    // The render reads the bench's FLACs: the same bytes as the library's copies of them.
    assetPaths = new Map(
      detail.tracks.map((track, t) => [track.asset!.id, assetFiles[t]!] as [string, string]),
    );
  } finally {
    await services.close();
  }
}
const clipCount = edit.tracks.reduce((n, t) => n + t.clips.length, 0);
const lengthMin = editLength(edit) / RATE / 60;
console.log(
  `Edit: ${edit.tracks.length} tracks, ${clipCount} clips, ${lengthMin.toFixed(1)} min; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
);

// ---------------------------------------------------------------------------------------------
// In the browser host.

if (!existsSync('out/renderer/index.html')) {
  throw new Error('Build the renderer first: npm run build (or npx electron-vite build)');
}

interface OpenTiming {
  /** From navigation start to the editor shown (the edit loaded). */
  editor: number;
  /** From navigation start to the lanes painted with no tile loading. */
  painted: number;
  tiles: number;
}

declare global {
  interface Window {
    __bench: {
      editor: number | null;
      painted: number | null;
      longTasks: number[];
      next?: Promise<number>;
    };
  }
}

/** Records, from navigation start, when the editor appears and the lanes are first painted. */
function installProbes(episode: { showId: string; episodeId: string }): void {
  localStorage.setItem('studio.show', episode.showId);
  // `#list`: the page opens on the show's episode list, and the bench clicks the episode.
  if (location.hash === '#list') localStorage.removeItem('studio.episode');
  else localStorage.setItem('studio.episode', episode.episodeId);
  localStorage.setItem('studio.episodeTab', 'edit');
  window.__bench = { editor: null, painted: null, longTasks: [] };
  window.addEventListener(
    'studio:timeline-painted',
    () => {
      window.__bench.painted ??= performance.now();
    },
    { once: true },
  );
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid=editor]')) {
      window.__bench.editor = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing in this browser
  }
}

async function openEpisode(page: Page, url: string): Promise<OpenTiming> {
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.painted !== null, null, { timeout: 60_000 });
  const timing = await page.evaluate(() => ({
    editor: window.__bench.editor ?? Number.NaN,
    painted: window.__bench.painted ?? Number.NaN,
    tiles: performance.getEntriesByType('resource').filter((e) => e.name.includes('/peaks/'))
      .length,
  }));
  return timing;
}

/** From the click on the episode in the show's list to the lanes painted with no tile loading. */
async function clickEpisode(page: Page, url: string, title: string): Promise<number> {
  await page.goto(`${url}#list`);
  await page.locator('button.item-main', { hasText: title }).waitFor();
  await page.waitForTimeout(300);
  return page.evaluate(
    (name) =>
      new Promise<number>((resolvePainted) => {
        const button = [...document.querySelectorAll<HTMLButtonElement>('button.item-main')].find(
          (b) => b.textContent?.includes(name),
        );
        window.addEventListener(
          'studio:timeline-painted',
          () => resolvePainted(performance.now() - t0),
          { once: true },
        );
        const t0 = performance.now();
        button?.click();
      }),
    title,
  );
}

async function heapMb(page: Page): Promise<{ used: number; total: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) / 2 ** 20;
  return { used: metric('JSHeapUsedSize'), total: metric('JSHeapTotalSize') };
}

interface KeyTiming {
  /** keydown to the lanes painted (includes waiting for the next frame). */
  latency: number;
  /** Main-thread work: the key handler with React's commit, plus the frame's paint. */
  work: number;
  handler: number;
  paint: number;
  /** keydown to the start of the frame after the paint (the painted frame is on screen). */
  presented: number;
}

/**
 * Dispatches a keydown on window (as the app listens) and times it in the page: the handler and
 * React's synchronous commit (up to the microtask after them), then the animation frame that
 * repaints the lanes. Null if nothing was repainted (the key changed nothing).
 */
function pressTimed(
  page: Page,
  key: { key: string; code: string; shiftKey?: boolean; ctrlKey?: boolean },
): Promise<KeyTiming | null> {
  return page.evaluate(
    (init) =>
      new Promise<KeyTiming | null>((resolveKey) => {
        let painted = 0;
        let frameStart = 0;
        let afterSync = 0;
        let done = false;
        const onPaint = () => {
          painted = performance.now();
          requestAnimationFrame((next) => {
            done = true;
            resolveKey({
              latency: painted - t0,
              handler: afterSync - t0,
              paint: frameStart > 0 ? painted - frameStart : Number.NaN,
              work: afterSync - t0 + (frameStart > 0 ? painted - frameStart : Number.NaN),
              presented: next - t0,
            });
          });
        };
        window.addEventListener('studio:timeline-painted', onPaint, { once: true });
        // Registered after the app's own frame callback, so it runs in the same frame, after it:
        // if the lanes were painted by then, this frame's start is where the paint began.
        requestAnimationFrame((start) => {
          if (painted > 0) frameStart = start;
        });
        const t0 = performance.now();
        window.dispatchEvent(
          new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true }),
        );
        queueMicrotask(() => {
          afterSync = performance.now();
        });
        setTimeout(() => {
          if (done || painted > 0) return;
          window.removeEventListener('studio:timeline-painted', onPaint);
          resolveKey(null);
        }, 1000);
      }),
    key,
  );
}

async function clickLane(page: Page, track: number, fraction: number): Promise<void> {
  const box = await page.locator('canvas.lane').nth(track).boundingBox();
  if (!box) throw new Error('No lane');
  const x = box.x + 5 + fraction * (box.width - 10);
  await page.mouse.click(x, box.y + box.height * 0.6);
}

/** Waits for the edit to be saved and the page to go quiet, so edits do not overlap saves. */
async function settle(page: Page): Promise<void> {
  await page.locator('.save-status.saved').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(350);
}

/** Time from just before `run` to the lanes painted with no tile loading, in ms. */
async function waitPainted(page: Page, run: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const t0 = performance.now();
    window.__bench.next = new Promise<number>((resolvePainted) => {
      window.addEventListener(
        'studio:timeline-painted',
        () => resolvePainted(performance.now() - t0),
        { once: true },
      );
    });
  });
  await run();
  return page.evaluate(() => window.__bench.next!);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const max = (values: number[]) => Math.max(...values);
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

const host = await startBrowserHost(dataDir);
let browser: Browser | null = null;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });

  /** Opens an episode OPEN_RUNS times: a fresh context first (cold), then fresh pages in it. */
  const openRuns = async (episodeId: string, title: string) => {
    const context: BrowserContext = await browser!.newContext({ viewport: VIEWPORT });
    // tsx names functions with a `__name` helper that the page does not have.
    await context.addInitScript('globalThis.__name = (f) => f;');
    await context.addInitScript(installProbes, { showId, episodeId });
    const timings: OpenTiming[] = [];
    let page: Page | null = null;
    for (let run = 0; run < OPEN_RUNS; run++) {
      await page?.close();
      page = await context.newPage();
      timings.push(await openEpisode(page, host.url));
      await page.waitForTimeout(500); // the stored undo history is written after a quiet moment
    }
    const clicks: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      await page?.close();
      page = await context.newPage();
      clicks.push(await clickEpisode(page, host.url, title));
      await page.waitForTimeout(500);
    }
    return { context, page: page!, timings, clicks };
  };

  // Reference: the same page opening a one-clip, 10-second episode.
  const reference = await openRuns(shortId, SHORT);
  const referenceHeap = await heapMb(reference.page);
  await reference.context.close();

  const big = await openRuns(bigId, BIG);
  const page = big.page;
  const openHeap = await heapMb(page);

  // Edits at the whole-episode zoom: splits, ripple deletes and undos.
  const lanes = await page.locator('canvas.lane').count();
  await page.evaluate(() => {
    window.__bench.longTasks = [];
  });
  const splits: KeyTiming[] = [];
  const ripples: KeyTiming[] = [];
  const undos: KeyTiming[] = [];
  let misses = 0;
  for (let i = 0; splits.length < EDITS_EACH && i < EDITS_EACH * 3; i++) {
    await clickLane(page, i % lanes, 0.03 + ((i * 0.37) % 0.9));
    await page.waitForTimeout(50);
    const timing = await pressTimed(page, { key: 's', code: 'KeyS' });
    if (timing) splits.push(timing);
    else misses++;
    await settle(page);
  }
  for (let i = 0; ripples.length < EDITS_EACH && i < EDITS_EACH * 3; i++) {
    await clickLane(page, i % lanes, 0.05 + ((i * 0.41) % 0.8));
    await page.waitForTimeout(50);
    const timing = await pressTimed(page, { key: 'Delete', code: 'Delete', shiftKey: true });
    if (timing) ripples.push(timing);
    else misses++;
    await settle(page);
  }
  for (let i = 0; i < EDITS_EACH; i++) {
    const timing = await pressTimed(page, { key: 'z', code: 'KeyZ', ctrlKey: true });
    if (timing) undos.push(timing);
    await settle(page);
  }
  const editLongTasks = await page.evaluate(() => window.__bench.longTasks);
  const editedHeap = await heapMb(page);

  // Zoom in level by level (around the playhead) and scroll, loading finer tiles.
  await page.keyboard.press('Escape');
  const zooms: number[] = [];
  for (let i = 0; i < 12; i++) {
    zooms.push(await waitPainted(page, () => page.keyboard.press('Equal')));
  }
  const scrolls: number[] = [];
  const box = await page.locator('[data-testid=timeline-lanes]').boundingBox();
  await page.mouse.move(box!.x + box!.width / 2, box!.y + 40);
  for (let i = 0; i < 10; i++) {
    scrolls.push(
      await waitPainted(page, async () => {
        await page.keyboard.down('Shift');
        await page.mouse.wheel(0, 700);
        await page.keyboard.up('Shift');
      }),
    );
  }
  const zoomedHeap = await heapMb(page);
  const zoomInfo = await page.evaluate(
    () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/peaks/')).length,
  );
  await big.context.close();

  // ---- print the browser figures
  const refPainted = reference.timings.map((t) => t.painted);
  const bigPainted = big.timings.map((t) => t.painted);
  const warm = (values: number[]) => values.slice(1);
  console.log(
    '\nopen → all visible waveforms painted (navigation start to lanes painted, no tile loading)',
  );
  console.log(
    `  10 s, 1 clip (reference)   cold ${ms(refPainted[0]!)}, warm ${warm(refPainted).map(ms).join(', ')}   (edit shown at ${reference.timings.map((t) => ms(t.editor)).join(', ')}; ${reference.timings[0]!.tiles} tiles)`,
  );
  console.log(
    `  ${lengthMin.toFixed(0)} min, ${clipCount} clips         cold ${ms(bigPainted[0]!)}, warm ${warm(bigPainted).map(ms).join(', ')}   (edit shown at ${big.timings.map((t) => ms(t.editor)).join(', ')}; ${big.timings[0]!.tiles} tiles)`,
  );
  console.log(
    `  ratio to the reference     cold ${(bigPainted[0]! / refPainted[0]!).toFixed(2)}x, warm median ${(median(warm(bigPainted)) / median(warm(refPainted))).toFixed(2)}x   (goal ≤ 1 s)`,
  );

  const refClicks = reference.clicks;
  const bigClicks = big.clicks;
  console.log(
    '\nclick on the episode in the show list → all visible waveforms painted (app loaded)',
  );
  console.log(`  10 s, 1 clip (reference)   ${refClicks.map(ms).join(', ')}`);
  console.log(
    `  ${lengthMin.toFixed(0)} min, ${clipCount} clips         ${bigClicks.map(ms).join(', ')}   ratio (medians) ${(median(bigClicks) / median(refClicks)).toFixed(2)}x   (goal ≤ 1 s)`,
  );

  console.log(
    '\nedit → lanes repainted (whole-episode zoom; dispatched keydown on window, timed in the page)',
  );
  console.log(
    '  kind       n   work median/max (handler+React | paint)        keydown→painted median/max   →next frame median',
  );
  for (const [name, list] of [
    ['split S', splits],
    ['ripple ⇧Del', ripples],
    ['undo ^Z', undos],
  ] as const) {
    const work = list.map((t) => t.work).filter((v) => !Number.isNaN(v));
    console.log(
      `  ${name.padEnd(11)}${String(list.length).padStart(2)}   ${ms(median(work))} / ${ms(max(work))}  (${ms(median(list.map((t) => t.handler)))} | ${ms(median(list.map((t) => t.paint).filter((v) => !Number.isNaN(v))))})            ${ms(median(list.map((t) => t.latency)))} / ${ms(max(list.map((t) => t.latency)))}              ${ms(median(list.map((t) => t.presented)))}`,
    );
  }
  console.log(
    `  (goal ≤ 16 ms; ${misses} clicks left nothing to split or delete and were retried; long tasks during the edits: ${editLongTasks.length}, longest ${ms(Math.max(0, ...editLongTasks))})`,
  );

  console.log('\nrenderer JS heap after a forced GC (CDP Performance.getMetrics JSHeapUsedSize)');
  console.log(`  10 s episode open (reference)   ${referenceHeap.used.toFixed(1)} MB`);
  console.log(
    `  big episode open                ${openHeap.used.toFixed(1)} MB   (${(openHeap.used / referenceHeap.used).toFixed(2)}x the reference; goal ≤ 300 MB)`,
  );
  console.log(
    `  after the ${splits.length + ripples.length + undos.length} edits              ${editedHeap.used.toFixed(1)} MB`,
  );
  console.log(
    `  after 12 zoom-ins + 10 scrolls  ${zoomedHeap.used.toFixed(1)} MB   (${zoomInfo} peak tiles fetched on that page)`,
  );
  console.log(
    `  zoom-in step → painted median ${ms(median(zooms))}, max ${ms(max(zooms))}; scroll step → painted median ${ms(median(scrolls))}, max ${ms(max(scrolls))}`,
  );
} finally {
  await browser?.close();
  await host.stop();
}

// ---------------------------------------------------------------------------------------------
// Mixdown: the same edit (before the browser's edits) with renderEdit, and ffmpeg mixing the four
// whole assets with no edits as the reference.

const out = join(dataDir, 'timeline-mixdown.wav');
let began = performance.now();
const rendered = await renderEdit({
  edit,
  assetPath: (id) => assetPaths.get(id)!,
  out,
  channels: 2,
});
const renderSeconds = (performance.now() - began) / 1000;
const renderFactor = rendered.lengthSamples / RATE / renderSeconds;
rmSync(out, { force: true });

const refOut = join(dataDir, 'reference-mix.wav');
began = performance.now();
execFileSync('ffmpeg', [
  ...['-v', 'error', '-y'],
  ...assetFiles.flatMap((file) => ['-i', file]),
  '-filter_complex',
  'amix=inputs=4:normalize=0,aformat=channel_layouts=stereo',
  ...['-c:a', 'pcm_f32le', refOut],
]);
const refSeconds = (performance.now() - began) / 1000;
const refFactor = assetSeconds / refSeconds;
rmSync(refOut, { force: true });

console.log('\nmixdown to a stereo float WAV');
console.log(
  `  renderEdit, ${lengthMin.toFixed(0)} min, ${clipCount} clips   ${renderSeconds.toFixed(1)} s   ${renderFactor.toFixed(0)}x realtime   (goal ≥ 100x)`,
);
console.log(
  `  ffmpeg amix of the 4 whole 30-min assets, no edits (reference)   ${refSeconds.toFixed(1)} s   ${refFactor.toFixed(0)}x realtime;  ours ${(renderFactor / refFactor).toFixed(2)}x its speed`,
);

console.log(
  `\nload average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} (1, 5, 15 min; ${cpus().length} cores: above that, other work shared the machine)`,
);
rmSync(dataDir, { recursive: true, force: true });
