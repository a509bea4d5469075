import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type RunningHost, removeDir, startBrowserHost } from './support/host';

let host: RunningHost;
const audioDir = mkdtempSync(join(tmpdir(), 'studio-e2e-edit-'));

function tone(name: string, frequency: number, seconds: number): string {
  const path = join(audioDir, name);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`],
    path,
  ]);
  return path;
}

/** Drops a file on the episode the way a desktop drag does: a drop event carrying a File. */
async function dropFile(page: Page, path: string): Promise<void> {
  const base64 = readFileSync(path).toString('base64');
  const name = path.split('/').pop() as string;
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'audio/wav' }));
      return transfer;
    },
    { base64, name },
  );
  const episode = page.getByRole('region', { name: 'Episode', exact: true });
  await episode.dispatchEvent('dragover', { dataTransfer });
  await episode.dispatchEvent('drop', { dataTransfer });
}

test.beforeAll(async () => {
  host = await startBrowserHost();
});

test.afterAll(async () => {
  await host?.stop();
  if (host) removeDir(host.dataDir);
  removeDir(audioDir);
});

test('edit show and episode details, drop files, rename and reorder tracks, trash and undo', async ({
  page,
}) => {
  // This spec is about the track list, not the timeline: open episodes on that tab.
  await page.addInitScript(() => localStorage.setItem('studio.episodeTab', 'tracks'));
  await page.goto(host.url);
  await page.getByLabel('New show title').fill('Working Title');
  await page.getByRole('button', { name: 'Add show' }).click();

  // The show's page: details saved as each field is left.
  const details = page.getByRole('region', { name: 'Show details' });
  await details.getByLabel('Title').fill('Night Shift Radio');
  await details.getByLabel('Author').fill('Ada & Lin');
  await details.getByLabel('Explicit content').check();
  await details.getByLabel('Author').press('Tab');
  await expect(page.getByRole('button', { name: /^Night Shift Radio 0 episodes/ })).toBeVisible();

  await page.getByLabel('New episode title').fill('Pilot');
  await page.getByRole('button', { name: 'Add episode' }).click();
  await page.getByText('Episode details').click();
  await page.getByLabel('Number').fill('1');
  await page.getByLabel('Status').selectOption('editing');
  await page.getByLabel('Number').press('Tab');

  // Two files dropped onto the episode become two tracks, in order.
  await dropFile(page, tone('host.wav', 220, 3));
  await expect(page.getByTestId('track')).toHaveCount(1, { timeout: 30_000 });
  await dropFile(page, tone('guest.wav', 440, 2));
  await expect(page.getByTestId('track')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('track').nth(0)).toContainText('host');
  await expect(page.getByTestId('waveform').nth(1)).toHaveAttribute('data-painted', 'true');

  // Rename the first track, then move it below the second.
  await page.getByRole('button', { name: 'host', exact: true }).click();
  await page.getByLabel('track title').fill('Ada (host)');
  await page.getByLabel('track title').press('Enter');
  await page.getByRole('button', { name: 'Move track Ada (host) down' }).click();
  await expect(page.getByTestId('track').nth(0)).toContainText('guest');
  await expect(page.getByTestId('track').nth(1)).toContainText('Ada (host)');

  // Trash the guest track, then undo with the keyboard.
  await page.getByRole('button', { name: 'Move track guest to trash' }).click();
  await expect(page.getByTestId('track')).toHaveCount(1);
  await page.locator('body').press('Control+z');
  await expect(page.getByTestId('track')).toHaveCount(2);

  // Dark theme, and everything still there after a reload.
  await page.getByRole('button', { name: /^Theme: system/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('track').nth(1)).toContainText('Ada (host)');
  await expect(page.getByTestId('waveform').nth(0)).toHaveAttribute('data-painted', 'true');
  await page.screenshot({ path: '.scratch/e2e-dark.png', fullPage: true });

  await page.getByText('Episode details').click();
  await expect(page.getByLabel('Number')).toHaveValue('1');
  await expect(page.getByLabel('Status')).toHaveValue('editing');
  await page.locator('button.crumb').click();
  const reloaded = page.getByRole('region', { name: 'Show details' });
  await expect(reloaded.getByLabel('Author')).toHaveValue('Ada & Lin');
  await expect(reloaded.getByLabel('Explicit content')).toBeChecked();
});
