import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type RunningHost, removeDir, startBrowserHost } from './support/host';

let host: RunningHost;
let audioFile: string;

test.beforeAll(async () => {
  host = await startBrowserHost();
  const dir = mkdtempSync(join(tmpdir(), 'studio-e2e-audio-'));
  audioFile = join(dir, 'interview.mp3');
  // 12 s of a tone with a rhythm: something to see in the waveform and to hear.
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:sample_rate=44100:duration=12',
    '-af',
    "volume='0.2+0.8*abs(sin(2*PI*0.5*t))':eval=frame",
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    audioFile,
  ]);
});

test.afterAll(async () => {
  await host?.stop();
  if (host) removeDir(host.dataDir);
});

test('create a show and an episode, import audio, see and play it, and find it all after a reload', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // This spec is about the track list, not the timeline: open episodes on that tab.
  await page.addInitScript(() => localStorage.setItem('studio.episodeTab', 'tracks'));
  await page.goto(host.url);

  await expect(page.getByText('No shows yet')).toBeVisible();
  await page.getByLabel('New show title').fill('The Long Table');
  await page.getByRole('button', { name: 'Add show' }).click();
  await expect(page.getByRole('button', { name: /^The Long Table \d+ episodes?/ })).toBeVisible();

  await page.getByLabel('New episode title').fill('Pilot');
  await page.getByRole('button', { name: 'Add episode' }).click();
  await expect(page.getByRole('region', { name: 'Episode', exact: true })).toBeVisible();

  await page.getByTestId('import-input').setInputFiles(audioFile);
  const track = page.getByTestId('track');
  await expect(track).toHaveCount(1, { timeout: 30_000 });
  await expect(track).toContainText('interview');
  await expect(track).toContainText('44.1 kHz · mono');
  const waveform = page.getByTestId('waveform');
  await expect(waveform).toHaveAttribute('data-painted', 'true');

  await page.screenshot({ path: '.scratch/e2e-episode.png', fullPage: true });

  // Play: the playback position moves forward.
  await page.getByRole('button', { name: /^Play / }).click();
  await expect(page.getByRole('button', { name: /^Pause / })).toBeVisible();
  await expect
    .poll(async () => page.getByRole('timer', { name: 'Playback position' }).textContent(), {
      timeout: 10_000,
    })
    .not.toMatch(/^0:00\.0/);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: /^Play / })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('button', { name: /^The Long Table \d+ episodes?/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Pilot \d+ tracks?/ })).toBeVisible();
  await expect(page.getByTestId('track')).toHaveCount(1);
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-painted', 'true');
  expect(pageErrors).toEqual([]);
});
