import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia } from '../../../src/main/services/media/analysis/analyze';
import { type Interval, SPEECH_LEVEL_SPP, speechActivity } from '../../../src/shared/edit/ducking';
import type { PeaksLevel } from '../../../src/shared/peaks';
import { tempDir } from '../../helpers/audio';
import { cleanSpeech, readMonoFloat } from '../../helpers/speech';

// Speech activity of real speech (espeak-ng), measured on the peaks level the import's analysis
// stores, at 44.1 kHz so the positions are converted to the model's 48 kHz.

const S = 48_000;
const dir = tempDir('studio-activity-');
let level: PeaksLevel;
let samples: Float32Array;

beforeAll(async () => {
  const spoken = cleanSpeech(join(dir, 'spoken.wav'), 12, { seed: 3 });
  // 2 s of silence, the speech, 3 s of silence; at 44.1 kHz.
  const path = join(dir, 'padded.wav');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', spoken],
    ...['-af', 'adelay=2000:all=1,apad=pad_dur=3', '-ar', '44100', '-c:a', 'pcm_s16le', path],
  ]);
  const analysis = await analyzeMedia({
    path,
    sampleRate: 44_100,
    channels: 1,
    durationSec: 17,
    container: 'wav',
  });
  level = analysis.peaks.find((l) => l.samplesPerPair === SPEECH_LEVEL_SPP)!;
  samples = readMonoFloat(path);
}, 60_000);

const covered = (intervals: Interval[], n: number) =>
  intervals.some((i) => n >= i.start && n < i.end);

describe('speech activity of real speech', () => {
  it('covers the words and leaves the silence before and after', () => {
    expect(level.sampleRate).toBe(44_100);
    const activity = speechActivity(level);
    expect(activity.length).toBeGreaterThan(1);
    // Sorted and disjoint, gaps at least the hold, runs at least 100 ms.
    for (let i = 0; i < activity.length; i++) {
      expect(activity[i]!.end - activity[i]!.start).toBeGreaterThanOrEqual(0.1 * S);
      if (i > 0) expect(activity[i]!.start - activity[i - 1]!.end).toBeGreaterThanOrEqual(0.4 * S);
    }
    // Starts with the speech (within a pair, 93 ms at 44.1 kHz) and ends by its end.
    const firstLoud = samples.findIndex((v) => Math.abs(v) >= 10 ** (-35 / 20));
    expect(firstLoud).toBeGreaterThan(2 * S - 10);
    expect(Math.abs(activity[0]!.start - firstLoud)).toBeLessThan(0.1 * S);
    expect(activity.at(-1)!.end).toBeLessThanOrEqual(14 * S + 0.1 * S);

    // Every 10 ms of the file whose peak is above -30 dBFS (clearly speech) is covered; and
    // nothing of the silences around the speech is.
    let loud = 0;
    let missed = 0;
    const step = 480;
    for (let n = 0; n + step <= samples.length; n += step) {
      let peak = 0;
      for (let k = n; k < n + step; k++) peak = Math.max(peak, Math.abs(samples[k]!));
      if (peak < 10 ** (-30 / 20)) continue;
      loud++;
      if (!covered(activity, n + step / 2)) missed++;
    }
    expect(loud).toBeGreaterThan(300);
    expect(missed).toBe(0);
    expect(covered(activity, 1.9 * S)).toBe(false);
    expect(covered(activity, 14.5 * S)).toBe(false);
    // Speech is talk with pauses, not one block: most of the pauses between sentences stay out.
    const speechSpan = activity.at(-1)!.end - activity[0]!.start;
    const inside = activity.reduce((sum, i) => sum + i.end - i.start, 0);
    expect(inside / speechSpan).toBeLessThan(0.97);
  });
});
