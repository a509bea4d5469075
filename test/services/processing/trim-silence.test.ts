// Silence shortening end to end: four spoken sentences with 4 s pauses between them, over a faint
// 97 Hz tone (a room's hum, 50 dB under full scale; not a divisor of the 50 ms grid the cuts lie
// on, so the two sides of a cut are not in phase) that runs through the pauses, so a cut that
// joined two points of the tone without a fade would jump.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PauseMap } from '../../../src/main/services/processing/pause-map';
import { processFile } from '../../../src/main/services/processing/process-file';
import { surveyInput } from '../../../src/main/services/processing/survey';
import { tempDir } from '../../helpers/audio';
import { RATE, readMonoFloat } from '../../helpers/speech';
import { espeak, maxJump, only, rmsDb, writeWav } from './step-fixtures';

const dir = tempDir('studio-trim-');
const PAUSE_SECONDS = 4;
const MAX_PAUSE_SECONDS = 1;
const TONE_AMPLITUDE = 0.0045; // RMS -50 dBFS
const TONE_HZ = 97;

const sentences = [
  'Welcome back to the show, it is good to have you here again.',
  'Today we are talking about recording at home.',
  'The room you record in matters more than the microphone.',
  'That is all for today, thanks for listening.',
].map((text) => espeak(text));

/** Speech and pauses laid out in order; returns the file and where each pause lies, in frames. */
function build(path: string): { path: string; pauses: Array<[number, number]>; frames: number } {
  const lead = RATE / 2;
  const pause = PAUSE_SECONDS * RATE;
  const frames =
    2 * lead + sentences.reduce((n, s) => n + s.length, 0) + (sentences.length - 1) * pause;
  const out = new Float32Array(frames);
  const pauses: Array<[number, number]> = [];
  let at = lead;
  sentences.forEach((sentence, i) => {
    out.set(sentence, at);
    at += sentence.length;
    if (i < sentences.length - 1) {
      pauses.push([at, at + pause]);
      at += pause;
    }
  });
  for (let i = 0; i < frames; i++)
    out[i]! += TONE_AMPLITUDE * Math.sin((2 * Math.PI * TONE_HZ * i) / RATE);
  return { path: writeWav(path, out), pauses, frames };
}

/** Longest run of 50 ms windows quieter than `thresholdDb`, in seconds. */
function longestQuietRun(x: Float32Array, thresholdDb: number): number {
  const window = RATE / 20;
  let longest = 0;
  let run = 0;
  for (let i = 0; i + window <= x.length; i += window) {
    run = rmsDb(x, i, i + window) < thresholdDb ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return (longest * window) / RATE;
}

describe('silence shortening: 4 s pauses, at most 1 s kept', () => {
  const input = build(join(dir, 'pauses.wav'));
  const output = join(dir, 'trimmed.wav');
  const settings = only({ trimSilence: true, maxPauseSeconds: MAX_PAUSE_SECONDS });

  it('cuts each pause down to the maximum, and only the pauses', async () => {
    const survey = await surveyInput(input.path, 1, null);
    const map = PauseMap.fromQuiet(input.frames, survey.quiet, MAX_PAUSE_SECONDS * RATE);
    expect(map.cuts).toHaveLength(input.pauses.length);
    map.cuts.forEach(([start, end], i) => {
      const [pauseStart, pauseEnd] = input.pauses[i]!;
      // Inside its pause, leaving speech alone; about 3 s of the 4 s, ± 0.2 s for the edges of words.
      expect(start).toBeGreaterThan(pauseStart);
      expect(end).toBeLessThan(pauseEnd);
      expect(Math.abs((end - start) / RATE - (PAUSE_SECONDS - MAX_PAUSE_SECONDS))).toBeLessThan(
        0.2,
      );
    });

    const report = await processFile({ input: input.path, output, settings });
    const trimmed = readMonoFloat(output);
    const expected = input.pauses.length * (PAUSE_SECONDS - MAX_PAUSE_SECONDS);
    // What the run says it removed is what it removed, and what was expected (± 0.2 s a pause).
    expect(trimmed.length).toBe(map.outputFrames);
    expect(report.silenceRemovedSeconds).toBeCloseTo(map.removedFrames / RATE, 2);
    expect(Math.abs(report.silenceRemovedSeconds - expected)).toBeLessThan(
      0.2 * input.pauses.length,
    );
    expect(report.durationSeconds.before - report.durationSeconds.after).toBeCloseTo(
      report.silenceRemovedSeconds,
      1,
    );
    expect((input.frames - trimmed.length) / RATE).toBeCloseTo(report.silenceRemovedSeconds, 2);

    // No pause left longer than the maximum (plus one 50 ms window of measuring grid); the input
    // had 4 s ones by the same measure.
    expect(longestQuietRun(readMonoFloat(input.path), -44)).toBeGreaterThanOrEqual(
      PAUSE_SECONDS - 0.1,
    );
    expect(longestQuietRun(trimmed, -44)).toBeLessThanOrEqual(MAX_PAUSE_SECONDS + 0.1);

    // No click where a cut was made: around each join, the steps between samples stay within
    // 1.5x of the tone's own. Joined without the fades, the two sides would step by far more.
    const own = (2 * Math.PI * TONE_HZ * TONE_AMPLITUDE) / RATE;
    const source = readMonoFloat(input.path);
    const hardSteps = map.cuts.map(([start, end]) => Math.abs(source[end]! - source[start - 1]!));
    expect(Math.max(...hardSteps)).toBeGreaterThan(10 * own);
    for (const segment of map.segments.slice(1)) {
      const at = segment.outputStart;
      const jump = maxJump(trimmed, at - RATE / 100, at + RATE / 100);
      expect(jump, `join at ${(at / RATE).toFixed(2)} s`).toBeLessThan(1.5 * own);
    }
  });

  it('keeps the speech itself sample for sample', async () => {
    const trimmed = readMonoFloat(output);
    const source = readMonoFloat(input.path);
    const survey = await surveyInput(input.path, 1, null);
    const map = PauseMap.fromQuiet(input.frames, survey.quiet, MAX_PAUSE_SECONDS * RATE);
    // Each kept segment, away from its faded edges, is the input moved to its output position
    // (within 24-bit rounding).
    for (const segment of map.segments) {
      let worst = 0;
      for (let f = segment.start + 240; f < segment.end - 240; f++)
        worst = Math.max(
          worst,
          Math.abs(trimmed[segment.outputStart + f - segment.start]! - source[f]!),
        );
      expect(worst).toBeLessThan(1e-6);
    }
  });
});
