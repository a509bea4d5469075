import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type RunningHost, removeDir, startBrowserHost } from './support/host';

let host: RunningHost;
const audioDir = mkdtempSync(join(tmpdir(), 'studio-e2e-process-'));
let audioFile: string;

test.beforeAll(async () => {
  host = await startBrowserHost();
  audioFile = join(audioDir, 'interview.wav');
  // 8 s of real speech (espeak-ng), quiet (about -30 LUFS), so processing has work to do.
  const spoken = join(audioDir, 'spoken.wav');
  execFileSync('espeak-ng', [
    ...['-v', 'en-us', '-w', spoken],
    'Welcome back to the show. Today we talk about night trains, ferries and slow travel. ' +
      'My guest has crossed Europe without a single flight.',
  ]);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', spoken, '-af', 'aresample=48000,volume=-9dB'],
    ...['-ac', '1', '-ar', '48000', '-t', '8', '-c:a', 'pcm_s16le', audioFile],
  ]);
});

test.afterAll(async () => {
  await host?.stop();
  if (host) removeDir(host.dataDir);
  removeDir(audioDir);
});

/** The playback position shown beside the waveform, in seconds. */
async function position(page: Page): Promise<number> {
  const text = (await page.getByRole('timer', { name: 'Playback position' }).textContent()) ?? '';
  const [, minutes, seconds] = /^(\d+):(\d+(?:\.\d)?)/.exec(text) ?? [];
  return Number(minutes) * 60 + Number(seconds);
}

test('process a track with the podcast preset, read the report and compare A/B', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.emulateMedia({ colorScheme: 'light' });
  // This spec is about the track list, not the timeline: open episodes on that tab.
  await page.addInitScript(() => localStorage.setItem('studio.episodeTab', 'tracks'));
  await page.goto(host.url);

  await page.getByLabel('New show title').fill('Night Shift Radio');
  await page.getByRole('button', { name: 'Add show' }).click();
  await page.getByLabel('New episode title').fill('Pilot');
  await page.getByRole('button', { name: 'Add episode' }).click();

  // Before any audio: the settings are there, with nothing to run yet.
  const panel = page.getByRole('region', { name: 'Processing', exact: true });
  await expect(panel.getByLabel('Preset')).toHaveValue('podcast');
  await expect(panel.getByText('Import audio, then process it with these settings.')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Process track' })).toBeDisabled();

  await page.getByTestId('import-input').setInputFiles(audioFile);
  await expect(page.getByTestId('track')).toHaveCount(1, { timeout: 30_000 });
  const waveform = page.getByTestId('waveform');
  await expect(waveform).toHaveAttribute('data-painted', 'true');
  const originalId = await waveform.getAttribute('data-asset-id');

  // Change a step: the preset shows it was changed, and the change is saved with the episode.
  await expect(panel.getByLabel('De-esser (softens harsh “s”)')).toBeChecked();
  await panel.getByLabel('De-esser (softens harsh “s”)').uncheck();
  await expect(panel.getByText('Changed', { exact: true })).toBeVisible();
  await panel.getByRole('radio', { name: 'Voice AI' }).check();
  await panel.getByRole('radio', { name: 'Standard' }).check();
  await expect(panel.getByRole('slider', { name: 'Strength' })).toHaveValue('50');

  // Run: progress in the track row and in the jobs panel (open since the import), then the report.
  const jobsButton = page.getByRole('button', { name: /^Jobs/ });
  await expect(jobsButton).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Process interview' }).click();
  await expect(page.getByRole('progressbar', { name: 'Processing interview' })).toBeVisible();
  await page.screenshot({ path: '.scratch/e2e-processing-running.png' });
  const jobs = page.getByRole('complementary', { name: 'Jobs' });
  await expect(jobs.getByText('Process interview')).toBeVisible();
  const report = page.getByRole('region', { name: 'Processing report' });
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(jobs.getByTestId('job').first()).toContainText('done');
  await expect(report.getByRole('rowheader', { name: 'Integrated loudness' })).toBeVisible();
  await expect(report).toContainText('Target: -16 LUFS, true peak at most -1 dBTP');
  await expect(report).toContainText('rumble filter');
  await expect(report).not.toContainText('de-esser');
  const after = await report.getByRole('row', { name: /Integrated loudness/ }).textContent();
  const [, afterLufs] = /(-?\d+\.\d) LUFS$/.exec(after ?? '') ?? [];
  expect(Math.abs(Number(afterLufs) + 16)).toBeLessThanOrEqual(0.5);
  await expect(page.getByText(/^Processed: -1\d\.\d LUFS/)).toBeVisible();
  // Closing the panel widens the waveform, which redraws a moment later.
  const repainted = page.evaluate(
    () =>
      new Promise((resolve) =>
        window.addEventListener('studio:waveform-painted', resolve, { once: true }),
      ),
  );
  await jobsButton.click();
  await repainted;
  // Tall enough for the whole episode: the content area scrolls, so fullPage alone cuts it.
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.screenshot({ path: '.scratch/e2e-processing-light.png', fullPage: true });

  // A/B: play the original, switch to the processed version: same position, still playing.
  const original = page.getByRole('button', { name: 'A · Original' });
  const processed = page.getByRole('button', { name: 'B · Processed' });
  await expect(original).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: /^Play / }).click();
  await expect.poll(() => position(page), { timeout: 10_000 }).toBeGreaterThan(1);
  const before = await position(page);
  await processed.click();
  await expect(processed).toHaveAttribute('aria-pressed', 'true');
  await expect(waveform).not.toHaveAttribute('data-asset-id', originalId ?? '');
  await expect(page.getByRole('button', { name: /^Pause / })).toBeVisible();
  expect(await position(page)).toBeGreaterThanOrEqual(before - 0.2);
  await expect.poll(() => position(page), { timeout: 10_000 }).toBeGreaterThan(before + 0.3);

  // The keyboard: B switches back, still at the same place.
  const beforeKey = await position(page);
  await page.locator('body').press('b');
  await expect(original).toHaveAttribute('aria-pressed', 'true');
  await expect(waveform).toHaveAttribute('data-asset-id', originalId ?? '');
  expect(await position(page)).toBeGreaterThanOrEqual(beforeKey - 0.2);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: /^Play / })).toBeVisible();
  await page.locator('body').press('b');
  await expect(processed).toHaveAttribute('aria-pressed', 'true');

  // Processing again and cancelling keeps the version there is.
  const processedId = await waveform.getAttribute('data-asset-id');
  await page.getByRole('button', { name: 'Process interview again' }).click();
  await page.getByRole('button', { name: 'Cancel processing interview' }).click();
  await expect(page.getByRole('progressbar', { name: 'Processing interview' })).toHaveCount(0);
  await expect(page.getByText(/^Processed: -1\d\.\d LUFS/)).toBeVisible();
  await expect(page.getByText('Processing failed')).toHaveCount(0);
  await expect(waveform).toHaveAttribute('data-asset-id', processedId ?? '');
  await page.getByRole('button', { name: /^Jobs/ }).click();
  await expect(jobs.getByTestId('job').first()).toContainText('cancelled');
  await page.getByRole('button', { name: /^Jobs/ }).click();

  // Dark theme, then a reload: the processed version and the saved settings are still there.
  await page.getByRole('button', { name: /^Theme: system/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(report).toBeVisible();
  await page.screenshot({ path: '.scratch/e2e-processing-dark.png', fullPage: true });

  await page.reload();
  await expect(page.getByText(/^Processed: -1\d\.\d LUFS/)).toBeVisible();
  await expect(panel.getByLabel('De-esser (softens harsh “s”)')).not.toBeChecked();
  await expect(panel.getByText('Changed', { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Process track' })).toBeEnabled();

  // The steps fold away into one line, and stay folded.
  await panel.getByRole('button', { name: 'Hide steps' }).click();
  await expect(panel.getByLabel('De-esser (softens harsh “s”)')).toBeHidden();
  const summary = 'Rumble filter · Hum removal · Noise reduction (Standard, 50%) · Leveler';
  await expect(panel.getByText(summary)).toBeVisible();
  await page.reload();
  await expect(panel.getByText(summary)).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Show steps' })).toHaveAttribute(
    'aria-expanded',
    'false',
  );
  await page.screenshot({ path: '.scratch/e2e-processing-folded.png' });
  expect(pageErrors).toEqual([]);
});
