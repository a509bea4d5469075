/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// `npm run bench -- import`: a 60-minute mono 48 kHz speech-like WAV through the real import
// (copy + EBU R128 + true peak + peaks), and the time from opening that episode in the browser
// host to the first waveform painted. Reference figures from ffmpeg come from the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { startBrowserHost } from '../../e2e/support/host';
import { call } from '../../src/main/services/app/dispatch';
import { createServices } from '../../src/main/services/app/services';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const benchDir = resolve('.bench');
mkdirSync(benchDir, { recursive: true });
const source = join(benchDir, `speech-${MINUTES}min-48k-mono.wav`);

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

if (!existsSync(source)) {
  console.log(`Generating ${source} …`);
  // Pink noise shaped into syllables (3.3 Hz) and phrases with pauses, low-passed like a voice.
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=color=pink:sample_rate=48000:amplitude=0.5:duration=${MINUTES * 60}:seed=7`,
    '-af',
    "volume='0.05+0.95*pow(abs(sin(2*PI*3.3*t)),3)*gt(sin(2*PI*0.21*t),-0.4)':eval=frame,lowpass=f=5000",
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    source,
  ]);
}
const sizeMb = statSync(source).size / 1e6;
console.log(
  `Input: ${MINUTES} min mono 48 kHz 16-bit WAV, ${sizeMb.toFixed(0)} MB; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
);

// Reference: ffmpeg decoding the file and discarding it, and ffmpeg's own R128 + true-peak meter.
let start = process.hrtime.bigint();
spawnSync('ffmpeg', ['-v', 'error', '-i', source, '-f', 'null', '-']);
const decodeOnly = seconds(start);
start = process.hrtime.bigint();
spawnSync('ffmpeg', [
  '-nostats',
  '-v',
  'error',
  '-i',
  source,
  '-af',
  'ebur128=peak=true',
  '-f',
  'null',
  '-',
]);
const ffmpegR128 = seconds(start);

// Ours: the real import job on a fresh data dir, from request to job done.
const dataDir = mkdtempSync(join(tmpdir(), 'studio-bench-'));
const services = await createServices({ dataDir, transport: 'http', version: 'bench' });
const show = await call(services.dispatch, 'shows.create', { title: 'Bench' });
const episode = await call(services.dispatch, 'episodes.create', {
  showId: show.id,
  title: `${MINUTES}-minute episode`,
});
start = process.hrtime.bigint();
await call(services.dispatch, 'media.importPaths', { episodeId: episode.id, paths: [source] });
await services.jobs.whenIdle();
const importSeconds = seconds(start);
const [job] = await call(services.dispatch, 'jobs.list', {});
if (job?.status !== 'done') throw new Error(`Import did not finish: ${JSON.stringify(job)}`);
const detail = await call(services.dispatch, 'episodes.get', { id: episode.id });
const loudness = detail.tracks[0]?.asset?.loudness;
await services.close();

console.log('\nimport (copy + loudness + true peak + peaks)');
console.log(`  ours                      ${importSeconds.toFixed(2)} s   (goal ≤ 3 s)`);
console.log(
  `  ffmpeg decode only        ${decodeOnly.toFixed(2)} s   ratio ${(importSeconds / decodeOnly).toFixed(2)}x`,
);
console.log(
  `  ffmpeg ebur128=peak=true  ${ffmpegR128.toFixed(2)} s   ours is ${(ffmpegR128 / importSeconds).toFixed(1)}x faster`,
);
console.log(
  `  measured: ${loudness?.integratedLufs} LUFS, LRA ${loudness?.lra} LU, ${loudness?.truePeakDbtp} dBTP`,
);

// First waveform paint in the browser host, opening the episode from the episode list.
const host = await startBrowserHost(dataDir);
const { url } = host;
const paints: number[] = [];
try {
  if (!existsSync('out/renderer/index.html'))
    throw new Error('Build the renderer first: npm run build');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Every load starts with the show selected and no episode open.
  await page.addInitScript(() => localStorage.removeItem('studio.episode'));
  for (let run = 0; run < 6; run++) {
    await page.goto(url);
    await page.locator('button.item-main', { hasText: 'minute episode' }).waitFor();
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolvePaint) => {
          const button = [...document.querySelectorAll<HTMLButtonElement>('button.item-main')].find(
            (b) => b.textContent?.includes('minute episode'),
          );
          const t0 = performance.now();
          window.addEventListener(
            'studio:waveform-painted',
            () => requestAnimationFrame(() => resolvePaint(performance.now() - t0)),
            { once: true },
          );
          button?.click();
        }),
    );
    if (run > 0) paints.push(ms); // the first run warms the caches and the JIT
  }
  await browser.close();
} finally {
  await host.stop();
}
paints.sort((a, b) => a - b);
console.log('\nfirst waveform paint after opening the episode (browser host, cached peaks)');
console.log(
  `  median ${paints[Math.floor(paints.length / 2)]?.toFixed(0)} ms, worst ${paints.at(-1)?.toFixed(0)} ms over ${paints.length} runs   (goal ≤ 300 ms)`,
);
rmSync(dataDir, { recursive: true, force: true });
