import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeMedia } from '../../../src/main/services/ffmpeg/probe';
import { analyzeMedia } from '../../../src/main/services/media/analysis/analyze';
import { ffmpegEbur128, generate, speechLike, tempDir } from '../../helpers/audio';

const dir = tempDir();

async function analyze(path: string) {
  const probe = await probeMedia(path);
  return { probe, analysis: await analyzeMedia({ path, ...probe }) };
}

describe('loudness analysis agrees with ffmpeg ebur128', () => {
  const cases: [string, () => string][] = [
    ['48 kHz mono WAV', () => speechLike(join(dir, 'speech.wav'), 30)],
    [
      '44.1 kHz stereo MP3',
      () =>
        generate(join(dir, 'music.mp3'), 'sine=frequency=220:sample_rate=44100:duration=20', [
          '-af',
          "volume='0.3+0.25*sin(2*PI*0.5*t)':eval=frame,aformat=channel_layouts=stereo",
          '-ar',
          '44100',
          '-b:a',
          '128k',
        ]),
    ],
    [
      'clipped input',
      () =>
        speechLike(join(dir, 'clipped.wav'), 20, [
          '-af',
          'volume=18dB,alimiter=limit=1:level=false',
          '-c:a',
          'pcm_s16le',
        ]),
    ],
    ['8 kHz phone audio', () => speechLike(join(dir, 'phone.wav'), 20, ['-ar', '8000'])],
  ];

  for (const [name, make] of cases) {
    it(name, async () => {
      const path = make();
      const reference = ffmpegEbur128(path);
      const { probe, analysis } = await analyze(path);
      expect(analysis.frames).toBeGreaterThan(0);
      expect(
        Math.abs(analysis.loudness.integratedLufs! - reference.integrated),
      ).toBeLessThanOrEqual(0.1);
      expect(Math.abs(analysis.loudness.lra - reference.lra)).toBeLessThanOrEqual(0.3);
      // ffmpeg resamples to 192 kHz, we oversample 4x with BS.1770's filter: close, not identical.
      expect(Math.abs(analysis.loudness.truePeakDbtp! - reference.truePeak)).toBeLessThanOrEqual(
        0.3,
      );
      expect(analysis.frames / probe.sampleRate).toBeCloseTo(probe.durationSec ?? 0, 1);
    });
  }

  it('reports silence as no loudness rather than a number', async () => {
    const path = generate(join(dir, 'silence.wav'), 'anullsrc=r=48000:cl=mono', ['-t', '5']);
    const { analysis } = await analyze(path);
    expect(analysis.loudness.integratedLufs).toBeNull();
    expect(analysis.loudness.truePeakDbtp).toBeNull();
    expect(analysis.loudness.lra).toBe(0);
  });

  it('computes peaks at every level, covering the whole file', async () => {
    const path = generate(
      join(dir, 'sine.wav'),
      'sine=frequency=1000:sample_rate=48000:duration=10',
      ['-af', 'volume=4'],
    );
    const { analysis } = await analyze(path);
    const [finest, ...coarser] = analysis.peaks;
    expect(finest!.samplesPerPair).toBe(256);
    expect(finest!.data.length / 2).toBe(Math.ceil(480_000 / 256));
    for (const level of coarser) {
      expect(level.data.length / 2).toBe(Math.ceil(480_000 / level.samplesPerPair));
    }
    // lavfi's sine is 1/8 full scale; 4x makes 0.5. Each pair spans five periods: -0.5..0.5.
    expect(finest!.data[0]! / 32767).toBeCloseTo(-0.5, 2);
    expect(finest!.data[1]! / 32767).toBeCloseTo(0.5, 2);
  });
});
