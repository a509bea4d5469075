import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { type RunningHost, removeDir, startBrowserHost } from './support/host';

// The timeline editor in a real browser: split, delete, ripple delete, undo and redo with the
// keyboard, the edit saved to the library and its undo history kept across a reload, and the
// render of the result exactly as long as the edit.

const RATE = 48_000;
const HOST_SECONDS = 8;
const GUEST_SECONDS = 10;

let host: RunningHost | undefined;
let episodeId: string;
const workDir = mkdtempSync(join(tmpdir(), 'studio-e2e-timeline-'));
const dataDir = join(workDir, 'data');

interface Clip {
  id: string;
  sourceIn: number;
  sourceOut: number;
  timelineStart: number;
}
interface Edit {
  tracks: { id: string; name: string; clips: Clip[] }[];
}

function studio(...args: string[]): string {
  return execFileSync(process.execPath, ['bin/studio.js', '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
  });
}

/** A tone of an exact length in samples (48 kHz mono). */
function tone(name: string, frequency: number, seconds: number): string {
  const path = join(workDir, name);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `sine=frequency=${frequency}:sample_rate=${RATE}:duration=${seconds}`],
    ...['-c:a', 'pcm_s16le', path],
  ]);
  return path;
}

function lengthOf(edit: Edit): number {
  let end = 0;
  for (const track of edit.tracks)
    for (const clip of track.clips)
      end = Math.max(end, clip.timelineStart + clip.sourceOut - clip.sourceIn);
  return end;
}

/** As the toolbar shows it: m:ss.mmm. */
function timecode(samples: number): string {
  const totalMs = Math.round((samples / RATE) * 1000);
  const seconds = Math.floor(totalMs / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}.${String(totalMs % 1000).padStart(3, '0')}`;
}

/** The edit the library holds, through the host's HTTP API from the page (as the UI asks). */
async function libraryEdit(page: Page): Promise<Edit> {
  return page.evaluate(async (id) => {
    const response = await fetch('/api/request/edit.get', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ episodeId: id }),
    });
    const body = (await response.json()) as { ok: boolean; value: { edit: Edit } };
    if (!body.ok) throw new Error(JSON.stringify(body));
    return body.value.edit;
  }, episodeId);
}

/** The undo history kept in IndexedDB (idb-keyval's default store): its steps and present. */
async function storedHistory(page: Page): Promise<{ steps: number; present: number } | null> {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('keyval')) return resolve(null);
          const get = db.transaction('keyval').objectStore('keyval').get(key);
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            const value = get.result as
              | { history: { steps: unknown[]; presentIndex: number } }
              | undefined;
            db.close();
            resolve(
              value
                ? { steps: value.history.steps.length, present: value.history.presentIndex }
                : null,
            );
          };
        };
      }),
    `studio.editing.${episodeId}`,
  );
}

test.beforeAll(async () => {
  const hostFile = tone('host.wav', 220, HOST_SECONDS);
  const guestFile = tone('guest.wav', 330, GUEST_SECONDS);
  const show = JSON.parse(studio('shows', 'add', 'Timeline Tests', '--json')) as { id: string };
  const episode = JSON.parse(
    studio('episodes', 'add', '--show', show.id, 'Cut Night', '--json'),
  ) as { id: string };
  episodeId = episode.id;
  studio('import', '--episode', episodeId, hostFile, guestFile, '--json');
  host = await startBrowserHost(dataDir);
});

async function stopHost(): Promise<void> {
  const running = host;
  host = undefined;
  await running?.stop();
}

test.afterAll(async () => {
  await stopHost();
  removeDir(workDir);
});

test('split, delete, ripple delete, undo and redo on the timeline; kept across a reload; rendered to length', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host!.url);
  await page.getByRole('button', { name: /^Timeline Tests/ }).click();
  await page.getByRole('button', { name: /^Cut Night/ }).click();
  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');

  const lanes = page.getByTestId('timeline-lanes');
  const hostLane = page.getByRole('img', { name: /^Lane of host:/ });
  const guestLane = page.getByRole('img', { name: /^Lane of guest:/ });
  const clipCount = (lane: Locator, n: number) =>
    expect(lane).toHaveAttribute('aria-label', new RegExp(`: ${n} clips?$`));
  const total = page.getByRole('timer', { name: 'Playhead position' });
  const saveStatus = page.getByRole('toolbar', { name: 'Editing tools' }).getByRole('status');
  await expect(lanes).toHaveAttribute('data-painted', /\d+/);
  await clipCount(hostLane, 1);
  await clipCount(guestLane, 1);
  await expect(total).toContainText(`/ ${timecode(GUEST_SECONDS * RATE)}`);

  // Zoomed to fit: 10 s (the shortest fit) and 5 % after it, across the lane.
  const box = (await hostLane.boundingBox())!;
  const samplesPerPixel = (GUEST_SECONDS * RATE * 1.05) / box.width;
  const xOf = (seconds: number) => box.x + (seconds * RATE) / samplesPerPixel;
  /** The colour painted in a lane at a time (in the fitted view), below the waveform. */
  const colourAt = (lane: Locator, seconds: number) =>
    lane.evaluate(
      (canvas: HTMLCanvasElement, x) => {
        const dpr = window.devicePixelRatio || 1;
        const pixel = canvas
          .getContext('2d')!
          .getImageData(Math.round(x * dpr), Math.round(85 * dpr), 1, 1).data;
        return `rgb(${pixel[0]}, ${pixel[1]}, ${pixel[2]})`;
      },
      (seconds * RATE) / samplesPerPixel,
    );
  /** A CSS colour variable as the lanes resolve it. */
  const themeColour = (variable: string) =>
    lanes.evaluate((element, name) => {
      const probe = document.createElement('span');
      element.append(probe);
      probe.style.color = `var(${name})`;
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    }, variable);
  const clipFill = await themeColour('--surface-2');
  expect(await colourAt(guestLane, 5)).toBe(clipFill);
  // An episode opens zoomed to fit the lanes: past the guest's end (10 s) there is no clip.
  await expect.soft.poll(() => colourAt(guestLane, 10.2), { timeout: 1500 }).not.toBe(clipFill);
  await page.keyboard.press('0');
  await expect.poll(() => colourAt(guestLane, 10.2)).not.toBe(clipFill);
  await expect.poll(() => colourAt(guestLane, 9.8)).toBe(clipFill);
  const laneY = (lane: Locator) => lane.boundingBox().then((b) => b!.y + b!.height / 2 + 10);

  // Click at 3 s on the host: the playhead goes there and the clip is selected; S splits it.
  await page.mouse.click(xOf(3), await laneY(hostLane));
  await expect(total).toContainText(/^0:0(2\.9|3\.0)\d\d /);
  await page.keyboard.press('s');
  await clipCount(hostLane, 2);
  await clipCount(guestLane, 1);

  // The right half: selected by a click, deleted with a gap left (the guest still ends at 10 s).
  await page.mouse.click(xOf(6), await laneY(hostLane));
  await page.keyboard.press('Delete');
  await clipCount(hostLane, 1);
  await expect(total).toContainText(`/ ${timecode(GUEST_SECONDS * RATE)}`);
  await expect(saveStatus).toHaveText('Saved');
  const afterDelete = await libraryEdit(page);
  const cut = afterDelete.tracks[0]!.clips[0]!.sourceOut;
  expect(Math.abs(cut - 3 * RATE)).toBeLessThan(samplesPerPixel * 2);
  expect(afterDelete.tracks[0]!.clips).toEqual([
    expect.objectContaining({ sourceIn: 0, sourceOut: cut, timelineStart: 0 }),
  ]);

  // A range dragged across the empty host lane from 5 s to 6 s, cut out of every track.
  const y = await laneY(hostLane);
  await page.mouse.move(xOf(5), y);
  await page.mouse.down();
  await page.mouse.move(xOf(5.5), y, { steps: 4 });
  await page.mouse.move(xOf(6), y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.press('Shift+Delete');
  await clipCount(guestLane, 2);
  await clipCount(hostLane, 1);
  await expect(saveStatus).toHaveText('Saved');
  const rippled = await libraryEdit(page);
  const [left, right] = rippled.tracks[1]!.clips;
  const removed = right!.sourceIn - left!.sourceOut;
  expect(Math.abs(removed - RATE)).toBeLessThan(samplesPerPixel * 2);
  expect(Math.abs(left!.sourceOut - 5 * RATE)).toBeLessThan(samplesPerPixel * 2);
  expect(right!.timelineStart).toBe(left!.sourceOut);
  expect(right!.sourceOut).toBe(GUEST_SECONDS * RATE);
  // The host's clip lies before the range: untouched.
  expect(rippled.tracks[0]!.clips).toEqual(afterDelete.tracks[0]!.clips);
  const finalLength = GUEST_SECONDS * RATE - removed;
  expect(lengthOf(rippled)).toBe(finalLength);
  await expect(total).toContainText(`/ ${timecode(finalLength)}`);

  // Undo twice (the ripple, then the delete) and redo both.
  await page.keyboard.press('Control+z');
  await clipCount(guestLane, 1);
  await expect(total).toContainText(`/ ${timecode(GUEST_SECONDS * RATE)}`);
  await page.keyboard.press('Control+z');
  await clipCount(hostLane, 2);
  await page.keyboard.press('Shift+Z');
  await clipCount(hostLane, 1);
  await clipCount(guestLane, 1);
  await page.keyboard.press('Shift+Z');
  await clipCount(guestLane, 2);
  await expect(total).toContainText(`/ ${timecode(finalLength)}`);
  await expect(saveStatus).toHaveText('Saved');
  // Four steps (opened, split, delete, ripple), the last one present, kept for the next session.
  await expect.poll(() => storedHistory(page)).toEqual({ steps: 4, present: 3 });

  // The shortcut help lists ripple delete.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Ripple delete');
  await expect(help).toContainText('Shift+Delete');
  await page.screenshot({ path: '.scratch/e2e-timeline-help.png' });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // After a reload: the same edit, and undo still reaches the steps before it.
  await page.reload();
  await expect(lanes).toHaveAttribute('data-painted', /\d+/);
  await clipCount(hostLane, 1);
  await clipCount(guestLane, 2);
  await expect(total).toContainText(`/ ${timecode(finalLength)}`);
  await page.keyboard.press('Control+z');
  await clipCount(guestLane, 1);
  await expect(total).toContainText(`/ ${timecode(GUEST_SECONDS * RATE)}`);
  await expect(saveStatus).toHaveText('Saved');
  expect(lengthOf(await libraryEdit(page))).toBe(GUEST_SECONDS * RATE);
  await page.keyboard.press('Shift+Z');
  await clipCount(guestLane, 2);
  await expect(saveStatus).toHaveText('Saved');
  expect(await libraryEdit(page)).toEqual(rippled);

  // The themes (the top bar's button goes system → dark → light): the lanes are painted again in
  // the new theme's colours, without waiting for the next change to the edit.
  const clipColour = () => colourAt(hostLane, 1);
  expect(await clipColour()).toBe(await themeColour('--surface-2'));
  for (const [from, to] of [
    ['system', 'dark'],
    ['dark', 'light'],
  ]) {
    await page.getByRole('button', { name: new RegExp(`^Theme: ${from}`) }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', to!);
    const expected = await themeColour('--surface-2');
    await expect.soft.poll(clipColour, { timeout: 1500 }).toBe(expected);
    await page.screenshot({ path: `.scratch/e2e-timeline-${to}.png` });
  }

  // The render is exactly as long as the edit (the CLI refuses a library the host has open).
  await stopHost();
  const output = join(workDir, 'out.wav');
  const rendered = JSON.parse(studio('render', episodeId, '-o', output, '--json')) as {
    lengthSamples: number;
  };
  expect(rendered.lengthSamples).toBe(finalLength);
  const probed = execFileSync('ffprobe', [
    ...['-v', 'error', '-show_entries', 'stream=duration_ts,sample_rate'],
    ...['-of', 'csv=p=0', output],
  ])
    .toString()
    .trim();
  expect(probed).toBe(`${RATE},${finalLength}`);
  expect(pageErrors).toEqual([]);
});
