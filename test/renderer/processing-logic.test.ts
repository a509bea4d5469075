import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applyPreset,
  changedFromPreset,
  describeProcessing,
  loudnessWhenEnabled,
  reportRows,
  trackProcessingStatus,
} from '../../src/renderer/state/processing';
import { createSaveQueue, type SaveQueue } from '../../src/renderer/state/save-queue';
import type {
  EpisodeProcessing,
  Job,
  ProcessingPreset,
  ProcessingReportValue,
  Track,
} from '../../src/shared/domain';
import type { ProcessingSettings } from '../../src/shared/processing';

// The processing panel's logic, without a browser (the e2e spec covers the components).

const settings: ProcessingSettings = {
  highPass: true,
  humRemoval: true,
  denoise: { method: 'fft', strength: 0.5 },
  deEsser: true,
  leveler: true,
  trimSilence: { enabled: false, maxPauseSeconds: 1.5 },
  loudness: { targetLufs: -16, truePeakDbtp: -1 },
};
const presets: ProcessingPreset[] = [
  { id: 'podcast', name: 'Podcast', description: '', settings },
  {
    id: 'none',
    name: 'None',
    description: '',
    settings: { ...settings, highPass: false, loudness: null },
  },
];
const processing: EpisodeProcessing = { presetId: 'podcast', settings, format: 'mp3' };

describe('presets and changes', () => {
  it('knows when the settings differ from their preset, whatever the key order', () => {
    expect(changedFromPreset(processing, presets)).toBe(false);
    const reordered = { ...processing, settings: JSON.parse(JSON.stringify(settings)) };
    expect(changedFromPreset(reordered, presets)).toBe(false);
    expect(
      changedFromPreset(
        { ...processing, settings: { ...settings, denoise: { method: 'fft', strength: 0.55 } } },
        presets,
      ),
    ).toBe(true);
    expect(changedFromPreset({ ...processing, presetId: null }, presets)).toBe(false);
  });

  it('takes all of a preset’s settings but keeps the episode’s format', () => {
    const changed = { ...processing, settings: { ...settings, leveler: false } };
    expect(applyPreset(changed, presets[1]!)).toEqual({
      presetId: 'none',
      settings: presets[1]!.settings,
      format: 'mp3',
    });
  });

  it('turns loudness back on at the preset’s target, or Apple’s when the preset has none', () => {
    expect(loudnessWhenEnabled(processing, presets)).toEqual({ targetLufs: -16, truePeakDbtp: -1 });
    expect(loudnessWhenEnabled({ ...processing, presetId: 'none' }, presets)).toEqual({
      targetLufs: -16,
      truePeakDbtp: -1,
    });
  });
});

describe('a track’s processing status', () => {
  const asset = {
    id: 'a1',
    episodeId: 'e',
    kind: 'import' as const,
    originalName: 'x.wav',
    format: 'wav/pcm_s16le',
    sampleRate: 48_000,
    channels: 1,
    durationSamples: 48_000,
    sizeBytes: 1,
    hasWorkingCopy: false,
    loudness: { integratedLufs: -20, lra: 1, truePeakDbtp: -3, samplePeakDbfs: -3 },
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  const track: Track = {
    id: 't1',
    episodeId: 'e',
    name: 'Host',
    position: 0,
    asset,
    processed: null,
    createdAt: asset.createdAt,
  };
  const job = (fields: Partial<Job>): Job => ({
    id: 'j',
    kind: 'process',
    status: 'done',
    title: 'Process Host',
    progress: null,
    stage: '',
    episodeId: 'e',
    trackId: 't1',
    error: null,
    createdAt: '2026-01-01T00:01:00.000Z',
    updatedAt: '2026-01-01T00:01:00.000Z',
    ...fields,
  });

  it('shows a running job, else a newer failure, else the processed version', () => {
    expect(trackProcessingStatus(track, [])).toEqual({ kind: 'none' });
    const running = job({ id: 'run', status: 'running', createdAt: '2026-01-01T00:03:00.000Z' });
    const failed = job({
      id: 'fail',
      status: 'failed',
      error: { code: 'media_unreadable', message: 'bad' },
      createdAt: '2026-01-01T00:02:00.000Z',
      updatedAt: '2026-01-01T00:02:00.000Z',
    });
    expect(trackProcessingStatus(track, [failed, running])).toEqual({
      kind: 'active',
      job: running,
    });
    expect(trackProcessingStatus(track, [failed])).toEqual({ kind: 'failed', job: failed });

    const report = {} as ProcessingReportValue;
    const processedLater = {
      ...track,
      processed: {
        asset: {
          ...asset,
          id: 'p',
          kind: 'processed' as const,
          createdAt: '2026-01-01T00:05:00.000Z',
        },
        sourceAssetId: 'a1',
        report,
      },
    };
    expect(trackProcessingStatus(processedLater, [failed])).toEqual({ kind: 'done' });
    // Jobs of other tracks and imports do not count.
    expect(
      trackProcessingStatus(track, [
        job({ status: 'running', trackId: 't2' }),
        job({ kind: 'import', status: 'running', trackId: null }),
      ]),
    ).toEqual({ kind: 'none' });
  });
});

describe('the report table', () => {
  it('puts before and after side by side, silence said as such', () => {
    const report: ProcessingReportValue = {
      input: 'in.wav',
      output: 'out.flac',
      settings,
      durationSeconds: { before: 62.345, after: 58.2 },
      before: { integratedLufs: -27.14, lra: 6.2, truePeakDbtp: -9.5 },
      after: { integratedLufs: null, lra: 0, truePeakDbtp: null },
      noiseFloorDbfs: -62,
      humHz: null,
      silenceRemovedSeconds: 4.1,
      gainDb: 11,
      gainCapped: false,
      passes: 1,
      notes: [],
      timingsMs: {},
    };
    expect(reportRows(report)).toEqual([
      { label: 'Integrated loudness', before: '-27.1 LUFS', after: 'silent' },
      { label: 'True peak', before: '-9.5 dBTP', after: '—' },
      { label: 'Loudness range', before: '6.2 LU', after: '0.0 LU' },
      { label: 'Duration', before: '62.3 s', after: '58.2 s' },
    ]);
  });
});

describe('saving settings as they change', () => {
  afterEach(() => vi.useRealTimers());

  it('saves only the latest of quick changes, after a quiet moment', async () => {
    vi.useFakeTimers();
    const saved: number[] = [];
    const queue = createSaveQueue<number>(
      async (value) => {
        saved.push(value);
      },
      300,
      () => {},
    );
    queue.schedule(1);
    queue.schedule(2);
    await vi.advanceTimersByTimeAsync(200);
    queue.schedule(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(saved).toEqual([3]);
  });

  it('saves one at a time, in order, and flush waits for what is pending', async () => {
    const order: string[] = [];
    const slow = (value: string) =>
      new Promise<void>((resolve) => {
        order.push(`start ${value}`);
        setTimeout(
          () => {
            order.push(`end ${value}`);
            resolve();
          },
          value === 'a' ? 40 : 5,
        );
      });
    const queue = createSaveQueue(slow, 10_000, () => {});
    queue.schedule('a');
    const first = queue.flush();
    queue.schedule('b');
    expect(await queue.flush()).toBe(true);
    await first;
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('reports a failed save, says so to flush, tries it again on the next flush, and keeps saving later changes', async () => {
    const failures: string[] = [];
    let fail = true;
    const saved: string[] = [];
    const queue = createSaveQueue<string>(
      async (value) => {
        if (fail) throw new Error('disk full');
        saved.push(value);
      },
      10_000,
      (error, value) => failures.push(`${value}: ${(error as Error).message}`),
    );
    queue.schedule('x');
    expect(await queue.flush()).toBe(false);
    expect(failures).toEqual(['x: disk full']);
    // The failed value waits again: a Run or a mixdown flushing first must not go ahead over
    // settings the library does not hold.
    expect(await queue.flush()).toBe(false);
    expect(failures).toEqual(['x: disk full', 'x: disk full']);
    // A newer value replaces it rather than both being saved.
    queue.schedule('y');
    fail = false;
    expect(await queue.flush()).toBe(true);
    expect(await queue.flush()).toBe(true);
    expect(saved).toEqual(['y']);
    saved.length = 0;
    // A queue that saves into `saved` unless `fail` is set at the time.
    const failingWhenAsked = () =>
      createSaveQueue<string>(
        async (value) => {
          if (fail) throw new Error('disk full');
          saved.push(value);
        },
        10_000,
        () => {},
      );
    const retried = failingWhenAsked();
    fail = true;
    retried.schedule('z');
    expect(await retried.flush()).toBe(false);
    fail = false;
    expect(await retried.flush()).toBe(true);
    expect(saved).toEqual(['z']);
    // A failed save with a newer value already on its way behind it is not tried again: it would
    // land over the newer one.
    const slowFail = createSaveQueue<string>(
      (value) =>
        new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            if (value === 'old') reject(new Error('disk full'));
            else {
              saved.push(value);
              resolve();
            }
          }, 5),
        ),
      10_000,
      () => {},
    );
    slowFail.schedule('old');
    const first = slowFail.flush();
    slowFail.schedule('new');
    expect(await slowFail.flush()).toBe(true);
    expect(await first).toBe(false);
    expect(await slowFail.flush()).toBe(true);
    expect(saved).toEqual(['z', 'new']);

    // Discarded (the user moved on, or the screen went back to what is stored): never sent.
    const dropped = failingWhenAsked();
    fail = true;
    dropped.schedule('gone');
    expect(await dropped.flush()).toBe(false);
    dropped.discard();
    fail = false;
    expect(await dropped.flush()).toBe(true);
    dropped.schedule('pending');
    dropped.discard();
    expect(await dropped.flush()).toBe(true);
    // Discarded from its own error handler (the processing panel goes back to what is stored).
    const reverting: SaveQueue<string> = createSaveQueue<string>(
      async () => {
        throw new Error('refused');
      },
      10_000,
      () => reverting.discard(),
    );
    reverting.schedule('refused');
    expect(await reverting.flush()).toBe(false);
    expect(await reverting.flush()).toBe(true);
    expect(saved).toEqual(['z', 'new']);
  });
});

describe('the folded panel’s summary', () => {
  it('names the steps that are on, the target and the format', () => {
    expect(describeProcessing(processing)).toEqual([
      'Rumble filter',
      'Hum removal',
      'Noise reduction (Standard, 50%)',
      'De-esser',
      'Leveler',
      '-16 LUFS, peaks ≤ -1 dBTP',
      'MP3',
    ]);
    expect(
      describeProcessing({
        presetId: null,
        format: 'flac',
        settings: {
          ...presets[1]!.settings,
          humRemoval: false,
          denoise: { method: 'off', strength: 0.5 },
          deEsser: false,
          leveler: false,
          trimSilence: { enabled: true, maxPauseSeconds: 0.8 },
        },
      }),
    ).toEqual(['Pauses up to 0.8 s', 'Loudness unchanged', 'FLAC']);
  });
});
