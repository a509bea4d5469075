import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresets, presetById } from '../../../src/main/services/processing/presets';
import { processFile } from '../../../src/main/services/processing/process-file';
import { ffmpegEbur128, generate, speechLike, tempDir } from '../../helpers/audio';

const dir = tempDir();
const source = speechLike(join(dir, 'speech.wav'), 40);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const noPartials = (folder: string) =>
  readdirSync(folder).filter((n) => n.endsWith('.partial') || n.includes('.work-'));

describe('mastering presets, measured by ffmpeg ebur128', () => {
  const before = sha(source);
  for (const preset of loadPresets().filter((p) => p.settings.loudness)) {
    for (const extension of ['mp3', 'wav']) {
      it(`${preset.name} → .${extension} lands within 0.5 LU with true peak under the ceiling`, async () => {
        const output = join(dir, `${preset.id}.${extension}`);
        const report = await processFile({ input: source, output, settings: preset.settings });
        const measured = ffmpegEbur128(output);
        const target = preset.settings.loudness!;
        expect(Math.abs(measured.integrated - target.targetLufs)).toBeLessThanOrEqual(0.5);
        expect(measured.truePeak).toBeLessThanOrEqual(target.truePeakDbtp);
        expect(report.after.integratedLufs).toBeCloseTo(measured.integrated, 0);
        expect(report.passes).toBeLessThanOrEqual(5);
      });
    }
  }

  it('"None" only encodes: loudness stays where it was', async () => {
    const output = join(dir, 'none.flac');
    await processFile({ input: source, output, settings: presetById('none').settings });
    expect(
      Math.abs(ffmpegEbur128(output).integrated - ffmpegEbur128(source).integrated),
    ).toBeLessThanOrEqual(0.2);
  });

  it('never touches the source and leaves no temporary file', () => {
    expect(sha(source)).toBe(before);
    expect(noPartials(dir)).toEqual([]);
  });
});

describe('inputs that need care', () => {
  it('gives silence no gain and says so', async () => {
    const silent = generate(join(dir, 'silent.wav'), 'anullsrc=r=48000:cl=mono', ['-t', '5']);
    const report = await processFile({
      input: silent,
      output: join(dir, 'silent.mp3'),
      settings: presetById('podcast').settings,
    });
    expect(report.gainDb).toBe(0);
    expect(report.notes.join(' ')).toMatch(/silent/);
  });

  it('caps the gain for near-silence and says the target was not reached', async () => {
    const quiet = generate(join(dir, 'quiet.wav'), `amovie=${source}`, ['-af', 'volume=-35dB']);
    const report = await processFile({
      input: quiet,
      output: join(dir, 'quiet.mp3'),
      settings: presetById('podcast').settings,
    });
    expect(report.gainCapped).toBe(true);
    expect(report.gainDb).toBe(24);
    expect(report.notes.join(' ')).toMatch(/capped/);
  });

  it('handles short, 8 kHz phone, clipped and 44.1 kHz stereo MP3 inputs, and says so', async () => {
    for (const [name, args, note] of [
      ['short.wav', ['-t', '2'], /shorter than 3 s/],
      ['phone.wav', ['-ar', '8000'], /8 kHz phone-quality/],
      [
        'clipped.wav',
        ['-af', 'volume=30dB,alimiter=limit=1:level=false', '-c:a', 'pcm_s16le'],
        /clipped/,
      ],
      ['stereo.mp3', ['-ac', '2', '-ar', '44100', '-b:a', '128k'], null],
    ] as const) {
      const input = generate(join(dir, name), `amovie=${source}`, [...args]);
      const output = join(dir, `out-${name}.m4a`);
      const report = await processFile({ input, output, settings: presetById('podcast').settings });
      expect(existsSync(output)).toBe(true);
      expect(report.after.truePeakDbtp ?? -99).toBeLessThanOrEqual(-1);
      expect(Math.abs((report.after.integratedLufs ?? 0) + 16)).toBeLessThanOrEqual(0.5);
      if (note) expect(report.notes.join(' ')).toMatch(note);
    }
  });
});

describe('bad input and bad output', () => {
  const settings = presetById('podcast').settings;
  const refuse = (input: string, output: string) =>
    processFile({ input, output, settings }).catch((error: unknown) => error);

  it('refuses empty, corrupt and folder inputs, naming the file', async () => {
    const empty = join(dir, 'empty.wav');
    writeFileSync(empty, '');
    const corrupt = join(dir, 'corrupt.wav');
    writeFileSync(corrupt, 'not audio at all '.repeat(100));
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    expect(await refuse(empty, join(dir, 'x1.mp3'))).toMatchObject({
      code: 'file_empty',
      message: expect.stringMatching(/empty\.wav/),
    });
    expect(await refuse(corrupt, join(dir, 'x2.mp3'))).toMatchObject({
      message: expect.stringMatching(/corrupt\.wav/),
    });
    expect(await refuse(folder, join(dir, 'x3.mp3'))).toMatchObject({
      message: expect.stringMatching(/a-folder is a folder/),
    });
    for (const name of ['x1.mp3', 'x2.mp3', 'x3.mp3'])
      expect(existsSync(join(dir, name))).toBe(false);
  });

  it('refuses a file with no audio in it (video only), naming the file', async () => {
    const video = generate(join(dir, 'video-only.mp4'), 'testsrc=size=64x64:rate=5', [
      ...['-t', '1', '-pix_fmt', 'yuv420p'],
    ]);
    expect(await refuse(video, join(dir, 'x4.mp3'))).toMatchObject({
      code: 'media_no_audio',
      message: expect.stringMatching(/video-only\.mp4/),
    });
    expect(existsSync(join(dir, 'x4.mp3'))).toBe(false);
  });

  it('refuses unknown formats, overwriting the source, and outputs that cannot be written', async () => {
    expect(await refuse(source, join(dir, 'out.xyz'))).toMatchObject({ code: 'invalid_input' });
    expect(await refuse(source, source)).toMatchObject({ code: 'invalid_input' });
    // The same file by another name (a link; on macOS and Windows, another letter case).
    const alias = join(dir, 'alias.wav');
    linkSync(source, alias);
    expect(await refuse(source, alias)).toMatchObject({ code: 'invalid_input' });
    expect(sha(alias)).toBe(sha(source));
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where a folder should be');
    const error = await refuse(source, join(blocked, 'out.mp3'));
    expect(error).toMatchObject({ message: expect.stringMatching(/out\.mp3|blocked/) });
    expect(sha(source)).toBe(sha(source));
  });

  // MP3 limits and encodes in one step; WAV limits, then encodes.
  const stages: Array<[stage: string, extension: string]> = [
    ['Listening', 'mp3'],
    ['Cleaning up', 'mp3'],
    ['Estimating gain', 'mp3'],
    ['Setting loudness and encoding', 'mp3'],
    ['Verifying', 'mp3'],
    ['Setting loudness', 'wav'],
    ['Encoding', 'wav'],
  ];
  for (const [stage, extension] of stages) {
    it(`stops when cancelled while ${stage.toLowerCase()} (.${extension}), leaving no output and no work files`, async () => {
      const long = existsSync(join(dir, 'long.wav'))
        ? join(dir, 'long.wav')
        : speechLike(join(dir, 'long.wav'), 300);
      const controller = new AbortController();
      const output = join(dir, `cancelled.${extension}`);
      const run = processFile({
        input: long,
        output,
        settings,
        signal: controller.signal,
        onProgress: (_fraction, current) => {
          if (current === stage) controller.abort();
        },
      }).catch((error: unknown) => error);
      expect(await run).toMatchObject({ code: 'cancelled' });
      expect(existsSync(output)).toBe(false);
      expect(noPartials(dir)).toEqual([]);
    });
  }
});
