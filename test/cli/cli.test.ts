import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_RATE } from '../../src/shared/time';
import { ffmpegEbur128, generate, speechLike, tempDir } from '../helpers/audio';
import { repoRoot, runStudio } from '../helpers/cli';

const dir = tempDir('studio-cli-');
let dataDirs = 0;
const freshDataDir = () => join(dir, `data-${dataDirs++}`);

const studio = (args: string[], dataDir?: string) => runStudio(args, { dataDir });

/** Runs a command that must succeed and returns its parsed --json output. */
async function json<T = Record<string, unknown>>(args: string[], dataDir: string): Promise<T> {
  const run = await studio([...args, '--json'], dataDir);
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('studio --help', () => {
  const commands: [string[], RegExp[]][] = [
    [
      [],
      [
        /--data-dir <dir>/,
        /analyze/,
        /import/,
        /shows/,
        /episodes/,
        /devices/,
        /record/,
        /recover/,
        /render/,
      ],
    ],
    [['analyze'], [/<file>/, /--json/]],
    [['devices'], [/--json/]],
    [
      ['record'],
      [
        /--source <\[name=\]spec>/,
        /--out <dir>/,
        /--duration <seconds>/,
        /--episode <id>/,
        /--json/,
      ],
    ],
    [['recover'], [/<dir>/, /--episode <id>/, /--json/]],
    [['render'], [/<episode-id>/, /-o, --output <file>/, /--json/]],
    [['import'], [/<files\.\.\.>/, /--episode <id>/, /--json/]],
    [['shows'], [/list/, /add/]],
    [['shows', 'list'], [/--json/]],
    [
      ['shows', 'add'],
      [/<title>/, /--author <name>/],
    ],
    [['episodes'], [/list/, /add/]],
    [['episodes', 'list'], [/--show <id>/]],
    [
      ['episodes', 'add'],
      [/<title>/, /--show <id>/],
    ],
  ];

  it('prints usage and exits 0 at the top level and for every command', async () => {
    const dataDir = freshDataDir();
    const runs = await Promise.all(commands.map(([path]) => studio([...path, '--help'], dataDir)));
    commands.forEach(([path, expected], i) => {
      const run = runs[i]!;
      expect(run.code, path.join(' ')).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^Usage: studio${path.map((p) => ` ${p}`).join('')} `));
      for (const pattern of expected) expect(run.stdout).toMatch(pattern);
    });
  });

  it('prints the version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(await studio(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('studio analyze', () => {
  it('reports duration, rate, channels and loudness as JSON', async () => {
    const path = generate(
      join(dir, 'stereo tone.wav'),
      'sine=frequency=440:sample_rate=44100:duration=2.5',
      ['-af', 'volume=-12dB', '-ac', '2'],
    );
    const report = await json(['analyze', path], freshDataDir());
    expect(Object.keys(report).sort()).toEqual(
      ['channels', 'durationSec', 'integratedLufs', 'lra', 'sampleRate', 'truePeakDbtp'].sort(),
    );
    expect(report).toMatchObject({ sampleRate: 44_100, channels: 2 });
    expect(report.durationSec).toBeCloseTo(2.5, 2);
    const reference = ffmpegEbur128(path);
    expect(Math.abs((report.integratedLufs as number) - reference.integrated)).toBeLessThan(0.2);
    expect(Math.abs((report.truePeakDbtp as number) - reference.truePeak)).toBeLessThan(0.3);
    expect(report.lra).toEqual(expect.any(Number));
  });

  it('prints a readable summary without --json', async () => {
    const path = speechLike(join(dir, 'speech.wav'), 3);
    const run = await studio(['analyze', path]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(path);
    expect(run.stdout).toMatch(/48000 Hz, 1 channel\(s\), pcm_s16le/);
    expect(run.stdout).toMatch(/-?\d+(\.\d+)? LUFS integrated/);
  });
});

describe('studio shows, episodes and import', () => {
  it('builds a library that the next command sees, and imports a file as a track', async () => {
    const dataDir = freshDataDir();
    const show = await json(['shows', 'add', 'CLI Show', '--author', 'Terminal'], dataDir);
    expect(show).toMatchObject({ title: 'CLI Show', author: 'Terminal', episodeCount: 0 });

    const list = await studio(['shows', 'list'], dataDir);
    const listed = await json(['shows', 'list'], dataDir);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toContain(`${show.id}  CLI Show  (0 episodes)`);
    expect(listed).toEqual([show]);

    const episode = await json(['episodes', 'add', '--show', show.id as string, 'Pilot'], dataDir);
    expect(episode).toMatchObject({ showId: show.id, title: 'Pilot', trackCount: 0 });
    expect(await json(['episodes', 'list', '--show', show.id as string], dataDir)).toEqual([
      episode,
    ]);

    const source = speechLike(join(dir, 'Interview Take 1.wav'), 2);
    const hash = sha256(source);
    const imported = await json<{
      jobs: { status: string; title: string }[];
      tracks: { name: string; asset: { sampleRate: number; durationSamples: number } }[];
    }>(['import', source, '--episode', episode.id as string], dataDir);
    expect(imported.jobs).toEqual([
      expect.objectContaining({ status: 'done', title: 'Import Interview Take 1.wav' }),
    ]);
    expect(imported.tracks).toHaveLength(1);
    expect(imported.tracks[0]).toMatchObject({
      name: 'Interview Take 1',
      asset: { sampleRate: 48_000, durationSamples: 2 * MODEL_RATE },
    });
    // The original is copied, never changed.
    expect(sha256(source)).toBe(hash);

    const second = speechLike(join(dir, 'guest.wav'), 1);
    const text = await studio(['import', second, '--episode', episode.id as string], dataDir);
    expect(text).toEqual({ code: 0, stdout: 'imported  guest.wav\n', stderr: '' });

    // One process at a time owns a data directory, so these run one after another.
    const [after] = await json<{ trackCount: number; durationSamples: number }[]>(
      ['episodes', 'list', '--show', show.id as string],
      dataDir,
    );
    const episodes = await studio(['episodes', 'list', '--show', show.id as string], dataDir);
    const shows = await studio(['shows'], dataDir);
    expect(after).toMatchObject({ trackCount: 2, durationSamples: 2 * MODEL_RATE });
    expect(episodes.stdout).toContain(`${episode.id}  Pilot  2 tracks  0:02`);
    expect(shows.stdout).toContain('(1 episode)');
  });
});

describe('studio errors', () => {
  const notAudio = join(dir, 'notes.txt');
  const empty = join(dir, 'empty.wav');
  const missing = join(dir, 'missing.wav');
  writeFileSync(notAudio, 'These are show notes, not audio.\n'.repeat(20));
  writeFileSync(empty, '');
  // ffprobe reads a text file either as garbage or as its "tty" (ANSI art) video format.
  const NOT_AUDIO = /notes\.txt (could not be read as audio: Invalid data|has no audio stream)/;

  it('analyze: a missing, empty or non-audio file is named on stderr with the reason', async () => {
    const [gone, blank, text] = await Promise.all([
      studio(['analyze', missing, '--json']),
      studio(['analyze', empty, '--json']),
      studio(['analyze', notAudio, '--json']),
    ]);
    for (const run of [gone, blank, text]) {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^studio: /);
    }
    expect(gone.stderr).toBe(
      'studio: Analyzing missing.wav: missing.wav was not found (moved or deleted?).\n',
    );
    expect(blank.stderr).toMatch(/empty\.wav is empty/);
    expect(text.stderr).toMatch(NOT_AUDIO);
  });

  it('import: bad files fail on stderr, name the file, and add no track', async () => {
    const dataDir = freshDataDir();
    const show = await json(['shows', 'add', 'Errors'], dataDir);
    const episode = await json(['episodes', 'add', '--show', show.id as string, 'E'], dataDir);
    const episodeId = episode.id as string;

    const gone = await studio(['import', missing, '--episode', episodeId], dataDir);
    expect(gone).toMatchObject({ code: 1, stdout: '' });
    expect(gone.stderr).toMatch(/missing\.wav.*was not found/);

    const text = await studio(['import', notAudio, '--episode', episodeId], dataDir);
    expect(text).toMatchObject({ code: 1, stdout: '' });
    expect(text.stderr).toMatch(NOT_AUDIO);

    // One good file and one bad: the good one is imported and reported, the bad one named.
    const good = speechLike(join(dir, 'good.wav'), 1);
    const mixed = await studio(['import', good, notAudio, '--episode', episodeId], dataDir);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toBe('imported  good.wav\n');
    expect(mixed.stderr).toMatch(NOT_AUDIO);
    expect(mixed.stderr).not.toContain('good.wav');

    // With --json the result still goes to stdout, for scripts; the reason to stderr as well.
    const asJson = await studio(['import', empty, '--episode', episodeId, '--json'], dataDir);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout).jobs).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ code: 'file_empty' }),
      }),
    ]);
    expect(asJson.stderr).toMatch(/empty\.wav is empty/);

    const [after] = await json<{ trackCount: number }[]>(
      ['episodes', 'list', '--show', show.id as string],
      dataDir,
    );
    expect(after?.trackCount).toBe(1);
  });

  it('unknown ids, blank titles and missing options are refused on stderr', async () => {
    const dataDir = freshDataDir();
    const source = speechLike(join(dir, 'orphan.wav'), 1);
    const noEpisode = await studio(['import', source, '--episode', 'no-such-episode'], dataDir);
    const noShow = await studio(['episodes', 'list', '--show', 'no-such-show'], dataDir);
    const blank = await studio(['shows', 'add', '   '], dataDir);
    const noOption = await studio(['episodes', 'add', 'Title only'], dataDir);
    const unknown = await studio(['frobnicate'], dataDir);
    for (const run of [noEpisode, noShow, blank, noOption, unknown]) {
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
    }
    expect(noEpisode).toMatchObject({ code: 1 });
    expect(noEpisode.stderr).toBe(
      'studio: Episode no-such-episode does not exist (it may have been deleted).\n',
    );
    expect(noShow.stderr).toMatch(/Show no-such-show does not exist/);
    expect(blank).toMatchObject({ code: 2, stderr: 'studio: A show needs a title (title)\n' });
    expect(noOption.stderr).toMatch(/required option '--show <id>' not specified/);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(await json(['shows', 'list'], dataDir)).toEqual([]);
  });
});

describe('paths as the user typed them', () => {
  it('resolves relative paths against where `npm run studio` was started (INIT_CWD)', async () => {
    const path = speechLike(join(dir, 'relative.wav'), 1);
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['bin/studio.js', 'analyze', 'relative.wav', '--json'],
        {
          cwd: repoRoot,
          env: { ...process.env, INIT_CWD: dirname(path) },
        },
      );
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ durationSec: 1 });
  });
});

describe('studio process', () => {
  it('masters a file to a preset, prints the report as JSON and writes it beside the output', async () => {
    const input = speechLike(join(dir, 'to-master.wav'), 20);
    const output = join(dir, 'mastered.mp3');
    const run = await studio(['process', input, '-o', output, '--preset', 'spotify', '--json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.settings).toMatchObject({
      loudness: { targetLufs: -14, truePeakDbtp: -1 },
      denoise: { method: 'fft' },
      leveler: true,
    });
    expect(Math.abs(report.after.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(report.timingsMs).toMatchObject({
      listen: expect.any(Number),
      clean: expect.any(Number),
      encode: expect.any(Number),
    });
    expect(JSON.parse(readFileSync(`${output}.report.json`, 'utf8'))).toEqual(report);
  });

  it('takes loudness and step flags over the preset, and refuses an unknown preset', async () => {
    const input = speechLike(join(dir, 'to-master-2.wav'), 10);
    const run = await studio([
      ...['process', input, '-o', join(dir, 'custom.wav')],
      ...['--target-lufs', '-19', '--true-peak', '-2', '--denoise', 'off', '--leveler', 'off'],
      ...['--trim-silence', '--max-pause', '0.5', '--json'],
    ]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).settings).toMatchObject({
      loudness: { targetLufs: -19, truePeakDbtp: -2 },
      denoise: { method: 'off' },
      leveler: false,
      trimSilence: { enabled: true, maxPauseSeconds: 0.5 },
    });
    const unknown = await studio(['process', input, '-o', join(dir, 'x.wav'), '--preset', 'loud']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no preset “loud”.*podcast/);
    const badFlag = await studio(['process', input, '-o', join(dir, 'y.wav'), '--denoise', 'max']);
    expect(badFlag.code).not.toBe(0);
    expect(badFlag.stderr).toMatch(/max.*off, fft, rnn|Allowed choices/);
  });

  it('prints the report in plain words without --json', async () => {
    const input = speechLike(join(dir, 'to-master-3.wav'), 10);
    const run = await studio(['process', input, '-o', join(dir, 'plain.flac')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Before: .*LUFS/);
    expect(run.stdout).toMatch(/After: .*LUFS/);
    expect(run.stdout).toMatch(/Steps: rumble filter/);
  });
});
