import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type RunningHost, removeDir, startBrowserHost } from './support/host';

// A music bed in the editor: made a ducking bed with its ♪ toggle, its depth set in the
// inspector, then the episode rendered and mastered from the mixdown panel. The rendered file is
// measured: the bed (alone on the right, the voice panned hard left) is lower by the depth while
// the voice speaks and back to its level after.

const RATE = 48_000;
const BED_SECONDS = 12;

let host: RunningHost | undefined;
let episodeId: string;
const workDir = mkdtempSync(join(tmpdir(), 'studio-e2e-mixdown-'));
const dataDir = join(workDir, 'data');

function studio(...args: string[]): string {
  return execFileSync(process.execPath, ['bin/studio.js', '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
  });
}

/** RMS level (dBFS) of the right channel of `file` over [from, to) seconds. */
function rightRmsDb(file: string, from: number, to: number): number {
  const run = spawnSync('ffmpeg', [
    ...['-v', 'info', '-nostats', '-i', file, '-af'],
    `atrim=${from}:${to},pan=mono|c0=c1,astats=measure_perchannel=none:measure_overall=RMS_level`,
    ...['-f', 'null', '-'],
  ]);
  const match = /RMS level dB: (-?[\d.]+|-inf)/.exec(run.stderr.toString());
  if (!match) throw new Error(`No level measured: ${run.stderr.toString().slice(-500)}`);
  return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1]);
}

test.beforeAll(async () => {
  // About 4 s of speech at 0 s, and a 12 s tone as the bed under it (lavfi's sine is at 1/8, so
  // -21 dBFS RMS; -24 in each channel panned to the centre).
  const spoken = join(workDir, 'spoken.wav');
  execFileSync('espeak-ng', [
    ...['-v', 'en-us', '-w', spoken],
    'Welcome to the show. Today we talk about night trains and slow travel.',
  ]);
  const voice = join(workDir, 'voice.wav');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', spoken, '-af', 'aresample=48000'],
    ...['-ac', '1', '-ar', String(RATE), '-c:a', 'pcm_s16le', voice],
  ]);
  const theme = join(workDir, 'theme.wav');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `sine=frequency=330:sample_rate=${RATE}:duration=${BED_SECONDS}`],
    ...['-c:a', 'pcm_s16le', theme],
  ]);
  const show = JSON.parse(studio('shows', 'add', 'Bed Tests', '--json')) as { id: string };
  const episode = JSON.parse(
    studio('episodes', 'add', '--show', show.id, 'With Music', '--json'),
  ) as { id: string };
  episodeId = episode.id;
  studio('import', '--episode', episodeId, voice, theme, '--json');
  host = await startBrowserHost(dataDir);
});

test.afterAll(async () => {
  await host?.stop();
  removeDir(workDir);
});

/** The episode's mixdown as the library describes it (mixdown.get, as the panel asks). */
async function mixdownOf(page: Page): Promise<{ path: string; durationSamples: number }> {
  const value = await page.evaluate(async (id) => {
    const response = await fetch('/api/request/mixdown.get', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ episodeId: id }),
    });
    const body = (await response.json()) as {
      ok: boolean;
      value: { mixdown: { id: string; durationSamples: number } | null };
    };
    if (!body.ok || !body.value.mixdown) throw new Error(JSON.stringify(body));
    return body.value.mixdown;
  }, episodeId);
  return { path: join(dataDir, 'media', value.id, 'source.flac'), ...value };
}

test('a ducking music bed, rendered and mastered from the editor', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host!.url);
  await page.getByRole('button', { name: /^Bed Tests/ }).click();
  await page.getByRole('button', { name: /^With Music/ }).click();
  await expect(page.getByTestId('timeline-lanes')).toHaveAttribute('data-painted', /\d+/);

  // The voice hard left, so the right channel of the mix is the bed alone.
  const voicePan = page.getByRole('slider', { name: 'Pan of voice' });
  await voicePan.focus();
  await page.keyboard.press('Home');
  await expect(voicePan).toHaveValue('-1');

  // ♪ makes the theme a bed that ducks at the default depth.
  const music = page.getByRole('button', { name: 'Music bed theme' });
  await expect(music).toHaveAttribute('aria-pressed', 'false');
  await music.click();
  await expect(music).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'theme', exact: true }).click();
  const inspector = page.getByRole('region', { name: 'Selected track' });
  await expect(inspector.getByLabel('Carries')).toHaveValue('music');
  await expect(inspector.getByLabel('Duck under speech')).toBeChecked();
  const depth = inspector.getByRole('slider', { name: 'Ducking depth of theme' });
  await expect(depth).toHaveValue('-15');
  // Five steps down: -20 dB, one undo step for the whole slide.
  await depth.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect(depth).toHaveValue('-20');
  await expect(inspector).toContainText('−20 dB');
  // The bed's lane is drawn as it will sound: its waveform lowered under the voice.
  const bedLane = page.getByRole('img', { name: /^Lane of theme:/ });
  const waveHeight = (seconds: number) =>
    bedLane.evaluate((canvas: HTMLCanvasElement, at) => {
      const probe = document.createElement('span');
      canvas.parentElement!.append(probe);
      probe.style.color = 'var(--wave)';
      const wave = getComputedStyle(probe).color;
      probe.remove();
      const samplesPerPixel = (12 * 48_000 * 1.05) / canvas.clientWidth;
      const dpr = window.devicePixelRatio || 1;
      const x = Math.round(((at * 48_000) / samplesPerPixel) * dpr);
      const column = canvas.getContext('2d')!.getImageData(x, 0, 1, canvas.height).data;
      let painted = 0;
      for (let i = 0; i < column.length; i += 4) {
        if (`rgb(${column[i]}, ${column[i + 1]}, ${column[i + 2]})` === wave) painted++;
      }
      return painted / dpr;
    }, seconds);
  await expect.poll(() => waveHeight(9)).toBeGreaterThan(8);
  await expect.poll(() => waveHeight(2)).toBeLessThan(3);
  await page.screenshot({ path: '.scratch/e2e-music-bed.png' });

  // Render and master: progress, then both versions with their figures.
  const panel = page.getByRole('region', { name: 'Mixdown' });
  await expect(panel).toContainText('Renders the whole edit to one file');
  await panel.getByRole('button', { name: 'Render and master' }).click();
  await expect(panel.getByRole('progressbar', { name: 'Mixdown progress' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Master' })).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByRole('progressbar')).toHaveCount(0);
  // The Podcast preset's target, met within 1 LU (the panel says how far off it is otherwise).
  await expect(panel).toContainText(
    /Mastered to −1\d\.\d LUFS.*The target is −16\.0 LUFS.*: on target\./,
  );
  await expect(panel.getByLabel('Play the mixdown')).toBeVisible();
  await expect(panel.getByLabel('Play the master')).toBeVisible();
  await expect(panel.getByRole('note')).toHaveCount(0);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '.scratch/e2e-mixdown.png', fullPage: true });

  // The mixdown is as long as the edit, and the bed is 20 dB down under the voice only.
  const mixdown = await mixdownOf(page);
  expect(mixdown.durationSamples).toBe(BED_SECONDS * RATE);
  const under = rightRmsDb(mixdown.path, 1, 2.5);
  const after = rightRmsDb(mixdown.path, 9, 11);
  expect(after).toBeCloseTo(-24.1, 0);
  expect(after - under).toBeGreaterThan(19);
  expect(after - under).toBeLessThan(21);

  // A change to the edit marks the mixdown as out of date.
  await depth.focus();
  await page.keyboard.press('ArrowRight');
  await expect(panel.getByRole('note')).toHaveText('The edit changed since this mixdown.');
  expect(pageErrors).toEqual([]);
});
