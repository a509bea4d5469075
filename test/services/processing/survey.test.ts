// The listen on its own, on material whose answers are known: the noise floor under speech, the
// quietest second, the quiet stretches and a dead stereo channel. (Hum detection is tested with
// its removal in steps-quality.test.ts.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { surveyInput } from '../../../src/main/services/processing/survey';
import { tempDir } from '../../helpers/audio';
import { cleanSpeech, pinkNoise, RATE, readMonoFloat } from '../../helpers/speech';
import { writeWav } from './step-fixtures';

const dir = tempDir('studio-survey-');
const speech = readMonoFloat(cleanSpeech(join(dir, 'speech.wav'), 24, { seed: 8 }));
const noise = pinkNoise(speech.length + 10 * RATE, 9);

/** Pink noise at `db` dBFS RMS (over its full band), frames [from, to) of the seeded noise. */
function noiseAt(db: number, from: number, to: number): Float32Array {
  const gain = 10 ** (db / 20);
  return noise.slice(from, to).map((v) => v * gain);
}

describe('noise floor', () => {
  // Measured: -41.3, -56.3, -71.3 dBFS for noise at -40, -55, -70 (a little low: the listen
  // hears up to 4 kHz). With the quietest tenth as the floor: -40.4, -53.4, -66.8 (this speech
  // leaves pauses in barely a tenth of the 50 ms windows).
  for (const level of [-40, -55, -70]) {
    it(`speech over pink noise at ${level} dBFS: the floor reads within 2 dB`, async () => {
      const mix = noiseAt(level, 0, speech.length).map((v, i) => v + speech[i]!);
      const survey = await surveyInput(writeWav(join(dir, `floor${level}.wav`), mix), 1, null);
      expect(Math.abs(survey.noiseFloorDbfs! - level)).toBeLessThanOrEqual(2);
      // Speech is well above it.
      expect(survey.activeLevelDbfs!).toBeGreaterThan(-25);
      expect(survey.frames).toBe(speech.length);
    });
  }
});

describe('quietest second, quiet stretches', () => {
  // 8 s of speech, 2.5 s of quieter room tone (-62 dBFS) with no speech, 6 s of speech, 2 s of
  // digital silence, 6 s of speech; -50 dBFS room tone under all the speech.
  const parts: Array<{ kind: 'speech' | 'quiet' | 'silence'; seconds: number }> = [
    { kind: 'speech', seconds: 8 },
    { kind: 'quiet', seconds: 2.5 },
    { kind: 'speech', seconds: 6 },
    { kind: 'silence', seconds: 2 },
    { kind: 'speech', seconds: 6 },
  ];
  const frames = parts.reduce((n, p) => n + p.seconds * RATE, 0);
  const x = new Float32Array(frames);
  const where: Record<string, [number, number]> = {};
  let at = 0;
  let spoken = 0;
  for (const part of parts) {
    const length = part.seconds * RATE;
    if (part.kind === 'speech') {
      const bed = noiseAt(-50, at, at + length);
      for (let i = 0; i < length; i++) x[at + i] = speech[spoken + i]! + bed[i]!;
      spoken += length;
    } else {
      where[part.kind] = [at, at + length];
      if (part.kind === 'quiet') x.set(noiseAt(-62, at, at + length), at);
    }
    at += length;
  }
  const path = writeWav(join(dir, 'regions.wav'), x);

  it('the quietest second lies in the quiet room tone, not in digital silence', async () => {
    const survey = await surveyInput(path, 1, null);
    const [quietStart, quietEnd] = where.quiet!;
    expect(survey.quietest).not.toBeNull();
    const { start, frames: length } = survey.quietest!;
    expect(length).toBe(RATE);
    expect(start).toBeGreaterThanOrEqual(quietStart);
    expect(start + length).toBeLessThanOrEqual(quietEnd);
  });

  it('both gaps are quiet stretches, found to within 100 ms', async () => {
    const survey = await surveyInput(path, 1, null);
    for (const kind of ['quiet', 'silence'] as const) {
      const [start, end] = where[kind]!;
      const found = survey.quiet.find(([s, e]) => s < end && e > start);
      expect(found, kind).toBeDefined();
      expect(Math.abs(found![0] - start) / RATE, `${kind} start`).toBeLessThanOrEqual(0.1);
      expect(Math.abs(found![1] - end) / RATE, `${kind} end`).toBeLessThanOrEqual(0.1);
    }
    // Sorted, apart, inside the file.
    survey.quiet.forEach(([s, e], i) => {
      expect(e).toBeGreaterThan(s);
      expect(e).toBeLessThanOrEqual(frames);
      if (i > 0) expect(s).toBeGreaterThan(survey.quiet[i - 1]![1]);
    });
  });

  it('digital silence does not pull the noise floor down', async () => {
    const survey = await surveyInput(path, 1, null);
    // The quietest tenth of the rest is the -62 dBFS room tone and the -50 dBFS bed.
    expect(survey.noiseFloorDbfs!).toBeGreaterThan(-66);
  });
});

describe('dead channel', () => {
  const mono = writeWav(
    join(dir, 'mono.wav'),
    speech.slice(0, 6 * RATE).map((v, i) => v + 0.001 * (noise[i] ?? 0)),
  );
  const stereo = (name: string, pan: string) => {
    const path = join(dir, name);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', mono, '-af', `pan=${pan}`, path]);
    return path;
  };

  it('finds a silent left or right channel, and not a quiet but live one', async () => {
    expect((await surveyInput(stereo('l.wav', 'stereo|c0=0*c0|c1=c0'), 2, null)).deadChannel).toBe(
      0,
    );
    expect((await surveyInput(stereo('r.wav', 'stereo|c0=c0|c1=0*c0'), 2, null)).deadChannel).toBe(
      1,
    );
    // 30 dB down is a distant microphone, not a dead one.
    const quiet = await surveyInput(stereo('q.wav', 'stereo|c0=c0|c1=0.0316*c0'), 2, null);
    expect(quiet.deadChannel).toBeNull();
    const mono1 = await surveyInput(mono, 1, null);
    expect(mono1.deadChannel).toBeNull();
    expect(mono1.channels).toBe(1);
  });

  it('finds an unplugged input (preamp hiss around -95 dBFS) whatever the length of the file', async () => {
    for (const seconds of [2, 120]) {
      const path = join(dir, `hiss-${seconds}.wav`);
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
        `anoisesrc=c=white:r=${RATE}:a=0.00002:d=${seconds}:seed=2`,
        ...['-f', 'lavfi', '-i', `anoisesrc=c=pink:r=${RATE}:a=0.1:d=${seconds}:seed=3`],
        ...['-filter_complex', '[0][1]amerge=inputs=2', '-c:a', 'pcm_f32le', path],
      ]);
      expect((await surveyInput(path, 2, seconds)).deadChannel, `${seconds} s`).toBe(0);
    }
  });
});
