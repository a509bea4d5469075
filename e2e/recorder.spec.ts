import { expect, test } from '@playwright/test';
import { type RunningHost, removeDir, startBrowserHost } from './support/host';

let host: RunningHost;

test.beforeAll(async () => {
  host = await startBrowserHost();
});

test.afterAll(async () => {
  await host?.stop();
  if (host) removeDir(host.dataDir);
});

test('record two test tones into an episode, with a marker', async ({ page }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 1000 });
  // This spec is about the track list, not the timeline: open episodes on that tab.
  await page.addInitScript(() => localStorage.setItem('studio.episodeTab', 'tracks'));
  await page.goto(host.url);

  await page.getByLabel('New show title').fill('Night Shift Radio');
  await page.getByRole('button', { name: 'Add show' }).click();
  await page.getByLabel('New episode title').fill('Live pilot');
  await page.getByRole('button', { name: 'Add episode' }).click();
  await expect(page.getByRole('heading', { name: 'Live pilot' })).toBeVisible();

  // R opens the recorder when no field has focus.
  await page.locator('body').click({ position: { x: 640, y: 5 } });
  await page.keyboard.press('r');
  const recorder = page.getByRole('region', { name: 'Recorder' });
  await expect(recorder).toBeVisible();
  await expect(page.getByRole('button', { name: 'Recorder', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // Two tracks on the test tones. There is no audio system here: the page says so, and the new
  // show's setup starts without a track (it would start with one on the default input).
  await expect(recorder.getByText('Audio devices could not be listed.')).toBeVisible();
  await expect(recorder.getByText('Test signals still work.')).toBeVisible();
  const rows = recorder.getByTestId('recorder-track-setup');
  await expect(rows).toHaveCount(0);
  await recorder.getByRole('button', { name: 'Add track' }).click();
  await recorder.getByRole('button', { name: 'Add track' }).click();
  await expect(rows).toHaveCount(2);
  await recorder.getByLabel('Track 1 name').fill('host');
  await recorder.getByLabel('Track 1 source').selectOption({ label: 'Test tone 440 Hz' });
  await recorder.getByLabel('Track 2 name').fill('guest');
  await recorder.getByLabel('Track 2 source').selectOption({ label: 'Test tone 1 kHz' });
  await recorder.getByLabel('Count-in').selectOption('1');
  // A repeated name is refused before arming.
  await recorder.getByLabel('Track 2 name').fill('Host');
  await expect(recorder.getByText('Another track is called Host')).toBeVisible();
  await expect(recorder.getByRole('button', { name: 'Arm tracks' })).toBeDisabled();
  await recorder.getByLabel('Track 2 name').fill('guest');
  await expect(recorder.getByRole('button', { name: 'Arm tracks' })).toBeEnabled();
  await page.screenshot({ path: '.scratch/e2e-recorder-setup.png' });

  // Arm: meters go live before anything is written.
  await recorder.getByRole('button', { name: 'Arm tracks' }).click();
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Armed');
  await expect(recorder.getByTestId('recorder-lane')).toHaveCount(2);
  const hostMeter = recorder.getByRole('meter', { name: 'host level' });
  // A sine at ffmpeg's default amplitude (1/8) peaks at about -18 dBFS.
  await expect
    .poll(async () => Number(await hostMeter.getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeGreaterThan(-30);
  // Test tones have no OS input level: each lane's gain control says so, and so does monitoring.
  const hostGain = recorder.getByRole('slider', { name: 'host input gain' });
  await expect(hostGain).toBeDisabled();
  await expect(hostGain).toHaveAttribute('title', 'A test signal has no input level to set.');
  await expect(hostGain).toHaveAttribute('aria-valuetext', 'not available');
  await expect(recorder.getByRole('slider', { name: 'guest input gain' })).toBeDisabled();
  const monitor = recorder.getByRole('slider', { name: 'Monitor (headphones)' });
  await expect(monitor).toBeDisabled();
  await expect(monitor).toHaveAttribute('aria-valuetext', 'not available');

  // Record with a one-second count-in.
  await recorder.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(recorder.getByRole('timer', { name: 'Count-in' })).toBeVisible();
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Recording', {
    timeout: 10_000,
  });
  await expect(page.getByRole('button', { name: /^Recording, / })).toBeVisible();
  await page.waitForTimeout(2000);
  await expect(recorder.getByRole('timer', { name: 'Take length' })).not.toHaveText('0:00:00');
  await page.screenshot({ path: '.scratch/e2e-recorder-recording.png' });

  // M drops a marker while recording.
  await page.locator('body').click({ position: { x: 640, y: 5 } });
  await page.keyboard.press('m');
  const takeMarkers = recorder.getByRole('region', { name: 'Markers in this take' });
  await expect(takeMarkers.getByRole('listitem')).toHaveCount(1);

  // Space pauses and resumes the take (not the players).
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Paused');
  await expect(recorder.getByRole('button', { name: 'Resume' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Recording');

  // On a focused button other than the main one, Space still pauses: it does not drop a marker.
  await recorder.getByRole('button', { name: 'Marker' }).focus();
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Paused');
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Recording');
  await expect(takeMarkers.getByRole('listitem')).toHaveCount(1);
  // On the main button, Space is the button's own press: Pause, then Resume.
  await recorder.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Paused');
  await expect(recorder.getByRole('button', { name: 'Resume' })).toBeEnabled();
  await recorder.getByRole('button', { name: 'Resume' }).focus();
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Recording');

  // A focused slider keeps its arrows but not the shortcuts. Test tones leave the sliders
  // disabled (no OS input level), so this one is enabled as a microphone's would be.
  await monitor.evaluate((element) => {
    (element as HTMLInputElement).disabled = false;
    (element as HTMLInputElement).focus();
  });
  await expect(monitor).toBeFocused();
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Paused');
  await page.keyboard.press('Space');
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Recording');
  await expect(monitor).toBeFocused();

  // Dark mode, mid-take.
  await page.getByRole('button', { name: /^Theme: system/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: '.scratch/e2e-recorder-dark.png' });
  await page.getByRole('button', { name: /^Theme: dark/ }).click();

  // Stop: the take is saved, the recorder is back at setup, the tracks are in the episode.
  await recorder.getByRole('button', { name: 'Stop' }).click();
  // Back at setup as soon as the take is closed; Arm need not wait for the take to be imported.
  await expect(recorder.getByTestId('recorder-state')).toHaveText('Setup', { timeout: 30_000 });
  await expect(recorder.getByRole('button', { name: 'Arm tracks' })).toBeEnabled();
  await expect(
    page.getByRole('status').filter({ hasText: /Saved 2 tracks .* and 1 marker/ }),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expect(recorder.getByTestId('recorder-outcome')).toContainText(
    /Saved 2 tracks .* and 1 marker/,
  );
  await expect(recorder.getByLabel('Track 1 name')).toHaveValue('host');

  const tracks = page.getByTestId('track');
  await expect(tracks).toHaveCount(2, { timeout: 30_000 });
  await expect(tracks.nth(0).getByRole('heading', { name: 'host' })).toBeVisible();
  await expect(tracks.nth(1).getByRole('heading', { name: 'guest' })).toBeVisible();
  for (const waveform of await page.getByTestId('waveform').all())
    await expect(waveform).toHaveAttribute('data-painted', 'true', { timeout: 30_000 });
  const markers = page.getByRole('region', { name: 'Markers', exact: true });
  await expect(markers.getByTestId('marker')).toHaveCount(1);
  await expect(markers.getByTestId('marker')).toContainText(/0:0[2-4]\.\d{3}/);
  await page.screenshot({ path: '.scratch/e2e-recorder-saved.png', fullPage: true });

  // After a reload the take is still there, and so is the setup for this show.
  await page.reload();
  await expect(tracks).toHaveCount(2);
  await expect(tracks.nth(0).getByRole('heading', { name: 'host' })).toBeVisible();
  await expect(tracks.nth(1).getByRole('heading', { name: 'guest' })).toBeVisible();
  await expect(markers.getByTestId('marker')).toHaveCount(1);
  await page.getByRole('button', { name: 'Recorder', exact: true }).click();
  await expect(recorder.getByLabel('Track 2 name')).toHaveValue('guest');
  await expect(recorder.getByLabel('Count-in')).toHaveValue('1');
  expect(pageErrors).toEqual([]);
});

test('a take saved by a disarm elsewhere is reported; shortcuts on other keyboard layouts', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 1000 });
  // This spec is about the track list, not the timeline: open episodes on that tab.
  await page.addInitScript(() => localStorage.setItem('studio.episodeTab', 'tracks'));
  await page.goto(host.url);

  await page.getByLabel('New show title').fill('Morning Notes');
  await page.getByRole('button', { name: 'Add show' }).click();
  await page.getByLabel('New episode title').fill('Disarmed elsewhere');
  await page.getByRole('button', { name: 'Add episode' }).click();
  await expect(page.getByRole('heading', { name: 'Disarmed elsewhere' })).toBeVisible();

  await page.getByRole('button', { name: 'Recorder', exact: true }).click();
  const recorder = page.getByRole('region', { name: 'Recorder' });
  const state = recorder.getByTestId('recorder-state');
  await recorder.getByRole('button', { name: 'Add track' }).click();
  await recorder.getByLabel('Track 1 name').fill('host');
  await recorder.getByLabel('Track 1 source').selectOption({ label: 'Test tone 440 Hz' });
  await recorder.getByLabel('Count-in').selectOption('0');
  await recorder.getByRole('button', { name: 'Arm track' }).click();
  await expect(state).toHaveText('Armed');
  await recorder.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(state).toHaveText('Recording', { timeout: 10_000 });

  // A Russian layout: the M key types ь, Shift+S types Ы. The keys' positions still count.
  const body = page.locator('body');
  await body.click({ position: { x: 640, y: 5 } });
  await body.dispatchEvent('keydown', { key: 'ь', code: 'KeyM' });
  const takeMarkers = recorder.getByRole('region', { name: 'Markers in this take' });
  await expect(takeMarkers.getByRole('listitem')).toHaveCount(1);

  // Disarmed from another window: no request of this one answers, so the status's notice says
  // what was saved, in the notices and in the recorder until the next arm.
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/request/recorder.disarm', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    return (await response.json()) as { ok: boolean };
  });
  expect(answer.ok).toBe(true);
  await expect(state).toHaveText('Setup', { timeout: 30_000 });
  await expect(
    page.getByRole('status').filter({ hasText: /Saved 1 track .* and 1 marker/ }),
  ).toBeVisible({ timeout: 30_000 });
  const outcome = recorder.getByTestId('recorder-outcome');
  await expect(outcome).toContainText(/Saved 1 track .* and 1 marker/);
  await expect(page.getByTestId('track')).toHaveCount(1, { timeout: 30_000 });

  // Arming clears it; Shift+S on the Russian layout stops the next take.
  await recorder.getByRole('button', { name: 'Arm track' }).click();
  await expect(state).toHaveText('Armed');
  await expect(outcome).toHaveCount(0);
  await recorder.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(state).toHaveText('Recording', { timeout: 10_000 });
  await page.waitForTimeout(1000);
  await body.dispatchEvent('keydown', { key: 'Ы', code: 'KeyS', shiftKey: true });
  await expect(state).toHaveText('Setup', { timeout: 30_000 });
  await expect(page.getByTestId('track')).toHaveCount(2, { timeout: 30_000 });
  expect(pageErrors).toEqual([]);
});
