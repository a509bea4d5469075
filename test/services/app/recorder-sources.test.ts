// What the app's recorder opens is limited to the devices the listing gives and the test signals it
// offers: a renderer that could name any ffmpeg source could write, empty or read any file (lavfi's
// ametadata and amovie) or run a shell command (ALSA's file plugin pipes to `sh`). Each attempt goes
// through the request gate as the UI's would, and nothing on disk changes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/app/services';
import { StudioError } from '../../../src/shared/errors';
import { appSourceProblem, testSignalProblem } from '../../../src/shared/recording';
import { tempDir } from '../../helpers/audio';
import { pulseForThisFile } from '../../helpers/pulse';
import { request } from '../../helpers/services';

const dir = tempDir('studio-recorder-sources-');
const pulse = pulseForThisFile();
let services: Services;

beforeAll(async () => {
  pulse.current.loadNullSink('desk');
  services = await createServices({
    dataDir: join(dir, 'data'),
    transport: 'http',
    version: 'test',
    env: pulse.current.env,
  });
});
afterAll(() => services?.close());

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StudioError)) throw new Error(`Expected a StudioError, got ${error}`);
  return error;
}

async function newEpisode(title: string) {
  const show = await request(services, 'shows.create', { title: `Show of ${title}` });
  return { show, episode: await request(services, 'episodes.create', { showId: show.id, title }) };
}

describe('sources the app may record', () => {
  it('offers sine and anoisesrc with plain numbers only', () => {
    for (const ok of [
      'sine',
      'sine=frequency=440:sample_rate=48000',
      'sine=f=1000:d=1.5',
      'anoisesrc=color=pink:amplitude=0.3',
    ])
      expect(testSignalProblem(ok)).toBeNull();
    for (const bad of [
      'ametadata=mode=print:file=/tmp/x',
      'amovie=/etc/passwd',
      'sine=frequency=440,ametadata=mode=print:file=/tmp/x',
      'sine=frequency=440;amovie=/etc/passwd',
      'sine=frequency=1+1',
      'sine=frequency=440:sample_rate=48000:file=/tmp/x',
      'sine=frequency',
      'anoisesrc=color=pink=1',
      'constructor',
      'aevalsrc=exprs=0',
    ])
      expect(testSignalProblem(bad), bad).toMatch(/not/);
    expect(appSourceProblem('file:/etc/passwd')).toMatch(/import the file/);
    expect(appSourceProblem('pulse:desk.monitor')).toBeNull();
    expect(appSourceProblem('alsa:hw:1,0\n')).toMatch(/not a device id/);
    expect(appSourceProblem('nope:x')).toMatch(/Unknown source/);
  });

  it('refuses a filter graph that writes a file, and leaves the file as it was', async () => {
    const { episode } = await newEpisode('Write');
    const victim = join(dir, 'precious.txt');
    writeFileSync(victim, 'keep me');
    for (const source of [
      `lavfi:ametadata=mode=print:file=${victim}`,
      `lavfi:sine=frequency=440,ametadata=mode=print:file=${victim}`,
      `lavfi:amovie=${victim}`,
    ]) {
      const error = await rejection(
        request(services, 'recorder.arm', {
          episodeId: episode.id,
          tracks: [{ name: 'Host', source }],
        }),
      );
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(/not a test signal the recorder offers|is not allowed/);
    }
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect((await request(services, 'recorder.status')).state).toBe('idle');
  });

  it('refuses a device name that is not in the device list: ALSA’s file plugin runs no command', async () => {
    const { episode } = await newEpisode('Shell');
    const mark = join(dir, 'ran');
    const error = await rejection(
      request(services, 'recorder.arm', {
        episodeId: episode.id,
        tracks: [{ name: 'Host', source: `alsa:file:'|touch ${mark}',raw` }],
      }),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/“Host” is set to a device that is not connected/);
    expect(existsSync(mark)).toBe(false);
    expect((await request(services, 'recorder.status')).state).toBe('idle');
  });

  it('refuses a file source from the app', async () => {
    const { episode } = await newEpisode('File');
    const error = await rejection(
      request(services, 'recorder.arm', {
        episodeId: episode.id,
        tracks: [{ name: 'Host', source: `file:${join(dir, 'x.wav')}` }],
      }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/import the file instead/);
  });

  it('arms a listed device and an offered test signal', async () => {
    const { episode } = await newEpisode('Listed');
    const armed = await request(services, 'recorder.arm', {
      episodeId: episode.id,
      tracks: [
        { name: 'Desk', source: 'pulse:desk.monitor' },
        { name: 'Tone', source: 'lavfi:sine=frequency=440:sample_rate=48000' },
      ],
    });
    expect(armed.state).toBe('armed');
    await request(services, 'recorder.disarm');
  });

  it('saving a setup refuses what arming refuses, but keeps a device saved before and unplugged since', async () => {
    const { show } = await newEpisode('Saved');
    const save = (source: string) =>
      request(services, 'recorder.saveSettings', {
        showId: show.id,
        settings: { tracks: [{ name: 'Host', source }], countInSec: 0 },
      });
    const mark = join(dir, 'ran-from-saved');
    for (const source of [
      `lavfi:ametadata=mode=print:file=${join(dir, 'x')}`,
      `alsa:file:'|touch ${mark}',raw`,
      'file:/etc/passwd',
    ])
      expect((await rejection(save(source))).message).toMatch(
        /not a test signal|not connected|import the file/,
      );
    expect(existsSync(mark)).toBe(false);

    const module = pulse.current.loadNullSink('usb');
    await save('pulse:usb.monitor');
    pulse.current.unloadModule(module);
    // Renaming the track of a setup whose device is unplugged still saves.
    await request(services, 'recorder.saveSettings', {
      showId: show.id,
      settings: { tracks: [{ name: 'Guest', source: 'pulse:usb.monitor' }], countInSec: 3 },
    });
    expect(await request(services, 'recorder.settings', { showId: show.id })).toEqual({
      tracks: [{ name: 'Guest', source: 'pulse:usb.monitor' }],
      countInSec: 3,
    });
    // A device never listed is refused even with one saved before it.
    expect((await rejection(save('pulse:never.here'))).code).toBe('not_found');
  });
});
