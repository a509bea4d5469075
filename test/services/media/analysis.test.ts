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
        // Speech pushed 18 dB into a limiter at full scale: flat-topped, with inter-sample peaks.
        generate(join(dir, 'clipped.wav'), `amovie=${speechLike(join(dir, 'to-clip.wav'), 20)}`, [
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

describe('PCM WAV measured in parallel segments', () => {
  it('joins segments into exactly what one streaming pass measures', async () => {
    // 150 s: long enough for two worker segments (each at least 60 s).
    const path = speechLike(join(dir, 'long.wav'), 150, ['-c:a', 'pcm_s24le']);
    const probe = await probeMedia(path);
    const parallel = await analyzeMedia({ path, ...probe });
    const streamed = await analyzeMedia({ path, ...probe, container: 'streamed' });
    expect(parallel.frames).toBe(150 * 48_000);
    expect(parallel.frames).toBe(streamed.frames);
    expect(parallel.loudness.integratedLufs).toBeCloseTo(streamed.loudness.integratedLufs!, 2);
    expect(parallel.loudness.lra).toBeCloseTo(streamed.loudness.lra, 2);
    expect(parallel.loudness.truePeakDbtp).toBe(streamed.loudness.truePeakDbtp);
    expect(parallel.loudness.samplePeakDbfs).toBe(streamed.loudness.samplePeakDbfs);
    for (const [i, level] of parallel.peaks.entries()) {
      expect(level.frames).toBe(streamed.peaks[i]!.frames);
      expect(Array.from(level.data)).toEqual(Array.from(streamed.peaks[i]!.data));
    }
  });

  it('reads 16-, 24-, 32-bit integer and 32-bit float WAV alike', async () => {
    // One signal (anoisesrc is random per run), stored at each depth.
    const source = speechLike(join(dir, 'depth-source.wav'), 8, ['-c:a', 'pcm_f32le']);
    const results = await Promise.all(
      ['pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le'].map(async (codec) => {
        const path = join(dir, `depth-${codec}.wav`);
        generate(path, `amovie=${source}`, ['-c:a', codec]);
        return (await analyze(path)).analysis.loudness;
      }),
    );
    const reference = ffmpegEbur128(source);
    for (const loudness of results) {
      expect(Math.abs(loudness.integratedLufs! - reference.integrated)).toBeLessThanOrEqual(0.1);
      // The same signal at every depth: the same true peak, to quantisation.
      expect(Math.abs(loudness.truePeakDbtp! - results[3]!.truePeakDbtp!)).toBeLessThanOrEqual(
        0.01,
      );
    }
  });
});
