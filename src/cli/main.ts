import { readFileSync } from 'node:fs';
import { access, constants, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { addTakeToEpisode, type TakeAdded } from '../main/services/app/add-take';
import { defaultDataDir } from '../main/services/app/data-dir';
import { call } from '../main/services/app/dispatch';
import { enqueueImports } from '../main/services/app/import-job';
import { createServices, type Services } from '../main/services/app/services';
import { probeMedia } from '../main/services/ffmpeg/probe';
import { getAssetRow } from '../main/services/library/assets';
import { getEpisodeEdit, saveEpisodeEdit } from '../main/services/library/edit';
import { getEpisode } from '../main/services/library/episodes';
import { analyzeMedia } from '../main/services/media/analysis/analyze';
import { playbackPath } from '../main/services/media/asset-files';
import { checkSource } from '../main/services/media/import-media';
import { episodeSpeechActivity } from '../main/services/mixdown/episode-speech';
import { presetById, withOverrides } from '../main/services/processing/presets';
import { processFile, writeReport } from '../main/services/processing/process-file';
import { listDevices } from '../main/services/recording/devices';
import { recordTake } from '../main/services/recording/record';
import { recoverTake } from '../main/services/recording/recover';
import { renderEdit } from '../main/services/render/render-edit';
import {
  chaptersFromAudacityLabels,
  chaptersFromPodcastingJson,
  chaptersToAudacityLabels,
  chaptersToPodcastingJson,
  editLength,
  replaceChapters,
} from '../shared/edit';
import { StudioError, toErrorValue } from '../shared/errors';
import { countOf } from '../shared/plural';
import { OutputEncoding } from '../shared/processing';
import { summarizeReport } from '../shared/processing-summary';
import { type AudioDevice, DRIFT_CORRECTION_PPM, type TakeTrack } from '../shared/recording';
import { formatDuration, MODEL_RATE, samplesToSeconds } from '../shared/time';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const onOff = ['on', 'off'] as const;
type OnOff = (typeof onOff)[number];
const onOffValue = (value: OnOff | undefined) => (value === undefined ? undefined : value === 'on');

const program = new Command()
  .name('studio')
  .description('Podcast Studio on the command line: the same services as the app.')
  .version(version)
  .addOption(
    new Option(
      '--data-dir <dir>',
      'library location (default: STUDIO_DATA_DIR or the app’s data directory)',
    ),
  )
  .showHelpAfterError();

/** A path as the user typed it: `npm run` changes to the package root, INIT_CWD is where they were. */
function fromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

function dataDir(): string {
  const opts = program.opts<{ dataDir?: string }>();
  return opts.dataDir ? fromCaller(opts.dataDir) : defaultDataDir('app');
}

async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const services = await createServices({ dataDir: dataDir(), transport: 'http', version });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

function print(value: unknown, json: boolean, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

program
  .command('analyze')
  .description('Measure a file: duration, rate, channels, EBU R128 loudness, range and true peak')
  .argument('<file>', 'any audio or video file ffmpeg can decode')
  .option('--json', 'print JSON')
  .action(async (file: string, opts: { json?: boolean }) => {
    const path = fromCaller(file);
    await checkSource(path, basename(path), `Analyzing ${basename(path)}`);
    const probe = await probeMedia(path);
    const analysis = await analyzeMedia({ path, ...probe });
    const report = {
      durationSec: Math.round((analysis.frames / probe.sampleRate) * 1000) / 1000,
      sampleRate: probe.sampleRate,
      channels: probe.channels,
      integratedLufs: analysis.loudness.integratedLufs,
      truePeakDbtp: analysis.loudness.truePeakDbtp,
      lra: analysis.loudness.lra,
    };
    print(report, Boolean(opts.json), () =>
      [
        `${file}`,
        `  duration     ${formatDuration(report.durationSec, true)} (${report.durationSec} s)`,
        `  format       ${probe.sampleRate} Hz, ${probe.channels} channel(s), ${probe.codec}`,
        `  loudness     ${report.integratedLufs ?? '-inf'} LUFS integrated, LRA ${report.lra} LU`,
        `  true peak    ${report.truePeakDbtp ?? '-inf'} dBTP`,
      ].join('\n'),
    );
  });

program
  .command('process')
  .description(
    'Master a file: cleanup, loudness to a platform target with a true-peak limit, then encode (.wav, .flac, .mp3, .m4a)',
  )
  .argument('<in>', 'any audio or video file ffmpeg can decode (never modified)')
  .requiredOption('-o, --output <file>', 'the file to write; its extension picks the format')
  .option('--preset <id>', 'podcast, spotify, broadcast, audiobook or none', 'podcast')
  .option('--target-lufs <n>', 'integrated loudness to reach, overriding the preset', Number)
  .option('--true-peak <n>', 'true-peak ceiling in dBTP, overriding the preset', Number)
  .addOption(
    new Option(
      '--denoise <method>',
      'noise reduction: off, fft (Standard) or rnn (Voice AI)',
    ).choices(['off', 'fft', 'rnn']),
  )
  .option('--denoise-strength <0-1>', 'how much noise to take away', Number)
  .addOption(new Option('--leveler <on|off>', 'even out loud and quiet speakers').choices(onOff))
  .addOption(new Option('--high-pass <on|off>', 'remove rumble below 80 Hz').choices(onOff))
  .addOption(new Option('--hum <on|off>', 'notch out 50/60 Hz hum when detected').choices(onOff))
  .addOption(new Option('--de-esser <on|off>', 'soften harsh "s" sounds').choices(onOff))
  .option('--trim-silence', 'shorten long pauses (to --max-pause seconds)')
  .option('--max-pause <seconds>', 'longest pause kept when trimming silence', Number)
  .option('--bitrate <kbps>', 'MP3 (CBR) or M4A bit rate', Number)
  .option('--vbr <0-9>', 'MP3 VBR quality instead of CBR (0 best)', Number)
  .addOption(new Option('--bits <16|24>', 'WAV sample size').choices(['16', '24']))
  .option('--json', 'print the report as JSON')
  .action(
    async (
      file: string,
      opts: {
        output: string;
        preset: string;
        targetLufs?: number;
        truePeak?: number;
        denoise?: 'off' | 'fft' | 'rnn';
        denoiseStrength?: number;
        leveler?: OnOff;
        highPass?: OnOff;
        hum?: OnOff;
        deEsser?: OnOff;
        trimSilence?: boolean;
        maxPause?: number;
        bitrate?: number;
        vbr?: number;
        bits?: '16' | '24';
        json?: boolean;
      },
    ) => {
      const preset = presetById(opts.preset);
      const settings = withOverrides(preset.settings, {
        targetLufs: opts.targetLufs,
        truePeakDbtp: opts.truePeak,
        denoise: opts.denoise,
        denoiseStrength: opts.denoiseStrength,
        leveler: onOffValue(opts.leveler),
        highPass: onOffValue(opts.highPass),
        humRemoval: onOffValue(opts.hum),
        deEsser: onOffValue(opts.deEsser),
        trimSilence: opts.trimSilence,
        maxPauseSeconds: opts.maxPause,
      });
      const encoding = OutputEncoding.safeParse({
        ...(opts.bits ? { wavBits: Number(opts.bits) } : {}),
        ...(opts.vbr !== undefined
          ? { mp3: { mode: 'vbr', quality: opts.vbr } }
          : opts.bitrate !== undefined
            ? { mp3: { mode: 'cbr', kbps: opts.bitrate } }
            : {}),
        ...(opts.bitrate !== undefined ? { aacKbps: opts.bitrate } : {}),
      });
      if (!encoding.success)
        throw new StudioError(
          'invalid_input',
          `Invalid encoding: ${encoding.error.issues[0]?.path.join('.')} ${encoding.error.issues[0]?.message}`,
        );
      const showProgress = !opts.json && process.stderr.isTTY;
      const report = await processFile({
        input: fromCaller(file),
        output: fromCaller(opts.output),
        settings,
        encoding: encoding.data,
        onProgress: showProgress
          ? (fraction, stage) =>
              process.stderr.write(`\r${stage.padEnd(20)} ${Math.round(fraction * 100)}%   `)
          : undefined,
      });
      if (showProgress) process.stderr.write('\n');
      const reportPath = await writeReport(report);
      print(report, Boolean(opts.json), () =>
        [
          report.output,
          ...summarizeReport(report).map((line) => `  ${line}`),
          `  report: ${reportPath}`,
        ].join('\n'),
      );
    },
  );

program
  .command('import')
  .description(
    'Import files into an episode as new tracks (copied; the originals are never changed)',
  )
  .argument('<files...>', 'audio or video files')
  .requiredOption('--episode <id>', 'episode to add the tracks to (see `studio episodes`)')
  .option('--json', 'print JSON')
  .action(async (files: string[], opts: { episode: string; json?: boolean }) => {
    await withServices(async (services) => {
      const jobIds = enqueueImports(
        services,
        opts.episode,
        files.map((file) => ({ path: fromCaller(file) })),
      );
      await services.jobs.whenIdle();
      const jobs = jobIds.map((id) => services.jobs.get(id));
      const detail = await call(services.dispatch, 'episodes.get', { id: opts.episode });
      const done = jobs.filter((job) => job.status === 'done');
      const failed = jobs.filter((job) => job.status !== 'done');
      // Results on stdout, failures on stderr: a script reading stdout never mistakes one for the other.
      if (opts.json) print({ jobs, tracks: detail.tracks }, true, () => '');
      else if (done.length > 0) {
        print(null, false, () =>
          done.map((job) => `imported  ${job.title.replace(/^Import /, '')}`).join('\n'),
        );
      }
      for (const job of failed) {
        process.stderr.write(`studio: ${job.error?.message ?? `${job.title}: ${job.status}`}\n`);
      }
      if (failed.length > 0) process.exitCode = 1;
    });
  });

/** Devices as aligned columns; `*` marks the default input. */
function deviceTable(devices: AudioDevice[]): string {
  if (devices.length === 0) return 'No audio devices found.';
  const rows = [
    ['', 'KIND', 'CH', 'RATE', 'BACKEND', 'ID', 'NAME'],
    ...devices.map((d) => [
      d.isDefault ? '*' : '',
      d.kind,
      d.channels === null ? '-' : String(d.channels),
      d.defaultRate === null ? '-' : String(d.defaultRate),
      d.backend,
      d.id,
      d.name,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

program
  .command('devices')
  .description(
    'List the audio devices a recording can use: inputs and system audio (PulseAudio/PipeWire or ALSA on Linux, avfoundation on macOS, DirectShow on Windows)',
  )
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const devices = await listDevices();
    print(devices, Boolean(opts.json), () => deviceTable(devices));
  });

/** The lines saying what became of each track of a take added to an episode. */
function takeAddedLines(added: TakeAdded): string[] {
  return [
    `added to episode ${added.episodeId}:`,
    ...added.tracks.map((track) =>
      track.status === 'added'
        ? `  ${track.name}  ${track.durationSec.toFixed(3)} s  ${track.integratedLufs ?? '-inf'} LUFS${track.note ? `  (${track.note})` : ''}`
        : `  ${track.name}  ${track.status.toUpperCase()}: ${track.error}`,
    ),
  ];
}

/**
 * Adds a take to an episode for `record`/`recover --episode`; a track that could not be added
 * makes the exit code 1 and says where the take is kept.
 */
async function addTake(dir: string, episodeId: string): Promise<TakeAdded> {
  const added = await withServices((services) => addTakeToEpisode(services, dir, episodeId)).catch(
    (error: unknown) => {
      if (error instanceof StudioError)
        throw new StudioError(
          error.code,
          `${error.message} The take is kept in ${dir}; add it later with: studio recover ${dir} --episode ${episodeId}`,
          error.details,
        );
      throw error;
    },
  );
  if (added.tracks.some((track) => track.status !== 'added')) process.exitCode = 1;
  return added;
}

program
  .command('record')
  .description(
    'Record a take: one 48 kHz 32-bit float WAV per source in <dir>, synced to disk every 0.5 s; stops after --duration or on Ctrl-C',
  )
  .requiredOption(
    '--source <[name=]spec>',
    'lavfi:<filter>, file:<path>, pulse:<id>, alsa:<id>, avfoundation:<name> or dshow:<id>, optionally named (host=pulse:<id>; default track-1, track-2, …); repeat for more tracks',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .requiredOption('--out <dir>', 'the take folder (created; must not hold a take)')
  .option('--duration <seconds>', 'stop after this many seconds', Number)
  .option(
    '--episode <id>',
    'after stopping, add the take to this episode: one track per source, named after it',
  )
  .option('--json', 'print JSON')
  .action(
    async (opts: {
      source: string[];
      out: string;
      duration?: number;
      episode?: string;
      json?: boolean;
    }) => {
      // Checked before anything is recorded; the library is not held during the take.
      if (opts.episode) {
        const episodeId = opts.episode;
        await withServices(async (services) => getEpisode(services.db, episodeId));
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const out = fromCaller(opts.out);
        const take = await recordTake({
          sources: opts.source,
          out,
          durationSec: opts.duration,
          signal: stop.signal,
          cwd: process.env.INIT_CWD ?? process.cwd(),
          // Said once the take exists, so a bad source's error is the only line printed.
          onStarted: () => {
            if (!opts.json)
              process.stderr.write(
                `Recording into ${out}${opts.duration ? '' : ' (Ctrl-C stops)'}…\n`,
              );
          },
        });
        const failed = take.tracks.some((track) => track.error);
        const episode = opts.episode ? await addTake(take.dir, opts.episode) : undefined;
        print(episode ? { ...take, episode } : take, Boolean(opts.json), () =>
          [
            take.dir,
            ...take.tracks.map(
              (track, i) =>
                `  ${track.file}  ${track.name ?? ''}  ${take.durations[i]!.toFixed(3)} s  ${track.channels} ch  ${track.source}  ${syncWords(track.sync)}${track.error ? `  FAILED: ${track.error}` : ''}`,
            ),
            ...(episode ? takeAddedLines(episode) : []),
          ].join('\n'),
        );
        if (failed) process.exitCode = 1;
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    },
  );

/** A track's sync figures as the CLI prints them: its start against the take's, and its drift. */
function syncWords(sync: TakeTrack['sync']): string {
  if (!sync) return '';
  const offset = `offset ${((sync.offsetFrames / MODEL_RATE) * 1000).toFixed(2)} ms`;
  const drift =
    sync.driftPpm === null
      ? 'drift not measured (under 2 minutes)'
      : `drift ${sync.driftPpm > 0 ? '+' : ''}${sync.driftPpm} ppm${Math.abs(sync.driftPpm) > DRIFT_CORRECTION_PPM ? ' (corrected when added to an episode)' : ''}`;
  return `${offset}, ${drift}`;
}

program
  .command('recover')
  .description(
    'Repair a take whose recording was interrupted (crash, power loss): every track is kept up to the last second written',
  )
  .argument('<dir>', 'the take folder (holds take.json)')
  .option(
    '--episode <id>',
    'then add the take to this episode: one track per source (also for a take that was stopped properly)',
  )
  .option('--json', 'print JSON')
  .action(async (dir: string, opts: { episode?: string; json?: boolean }) => {
    if (opts.episode) {
      const episodeId = opts.episode;
      await withServices(async (services) => getEpisode(services.db, episodeId));
    }
    const result = await recoverTake(fromCaller(dir));
    const episode = opts.episode ? await addTake(result.dir, opts.episode) : undefined;
    print(episode ? { ...result, episode } : result, Boolean(opts.json), () =>
      [
        result.statusBefore === 'stopped'
          ? `${result.dir}: the take was stopped properly; nothing to recover.`
          : `${result.dir}: recovered`,
        ...result.tracks.map(
          (track) =>
            `  ${track.file}  ${track.name}  ${track.durationSec.toFixed(3)} s  ${track.source}${track.problem ? `  (${track.problem})` : ''}`,
        ),
        ...(episode ? takeAddedLines(episode) : []),
      ].join('\n'),
    );
  });

/** h:mm:ss.mmm for a length in samples: exact enough to compare with a sample count. */
function clockTime(samples: number): string {
  const ms = Math.round((samples * 1000) / MODEL_RATE);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2) => n.toString().padStart(width, '0');
  return `${h}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** Refuses an output the render could not write before spending minutes rendering it. */
async function checkWritableOutput(out: string, doing = 'Rendering'): Promise<void> {
  const dir = dirname(out);
  const what = `${doing} to ${basename(out)}`;
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory())
    throw new StudioError('file_missing', `${what}: the folder ${dir} does not exist.`, {
      path: out,
    });
  const existing = await stat(out).catch(() => null);
  if (existing?.isDirectory())
    throw new StudioError('invalid_input', `${what}: ${out} is a folder; name a file.`, {
      path: out,
    });
  await access(dir, constants.W_OK).catch(() => {
    throw new StudioError('permission_denied', `${what}: no permission to write in ${dir}.`, {
      path: out,
    });
  });
}

program
  .command('render')
  .description(
    'Render an episode’s edit to a 48 kHz mixdown, sample-accurately (.wav 32-bit float or .flac 24-bit)',
  )
  .argument('<episode-id>', 'the episode (see `studio episodes`)')
  .requiredOption('-o, --output <file>', 'the mixdown to write: .wav or .flac')
  .option('--json', 'print JSON')
  .action(async (episodeId: string, opts: { output: string; json?: boolean }) => {
    const out = fromCaller(opts.output);
    await withServices(async (services) => {
      const { edit, restored } = getEpisodeEdit(services.db, episodeId);
      if (restored) process.stderr.write(`studio: ${restored}\n`);
      if (editLength(edit) === 0)
        throw new StudioError(
          'invalid_input',
          'Nothing to render: the episode has no clips. Import or record a track first.',
          { episodeId },
        );
      await checkWritableOutput(out);
      const showProgress = !opts.json && process.stderr.isTTY;
      let lastProgress = 0;
      const started = performance.now();
      // Music tracks that duck need to know where the speech is: from the stored waveforms.
      const activity = await episodeSpeechActivity(services, edit, {
        onRedraw: (name) => process.stderr.write(`studio: drawing the waveform of ${name} again\n`),
      });
      const result = await renderEdit({
        edit,
        out,
        activity,
        assetPath: (assetId) => playbackPath(services.dataDir, getAssetRow(services.db, assetId)),
        onProgress: showProgress
          ? (progress) => {
              // Once a second is enough to see it move without flooding a log.
              const time = performance.now();
              if (time - lastProgress < 1000 && progress.fraction < 1) return;
              lastProgress = time;
              const speed = progress.speed === null ? '' : `  ${progress.speed.toFixed(0)}x`;
              process.stderr.write(
                `\rRendering ${Math.round(progress.fraction * 100)}%  ${clockTime(progress.doneSamples)}${speed}   `,
              );
            }
          : undefined,
      });
      if (showProgress) process.stderr.write('\n');
      const elapsedSec = (performance.now() - started) / 1000;
      const report = {
        path: result.path,
        lengthSamples: result.lengthSamples,
        lengthSec: samplesToSeconds(result.lengthSamples),
        elapsedSec: Math.round(elapsedSec * 1000) / 1000,
        realtimeFactor:
          Math.round((samplesToSeconds(result.lengthSamples) / Math.max(elapsedSec, 1e-3)) * 10) /
          10,
        restored,
      };
      print(report, Boolean(opts.json), () =>
        [
          report.path,
          `  length   ${clockTime(report.lengthSamples)} (${report.lengthSamples} samples at ${MODEL_RATE} Hz)`,
          `  render   ${report.elapsedSec.toFixed(1)} s, ${report.realtimeFactor}x realtime`,
        ].join('\n'),
      );
    });
  });

type ChaptersFormat = 'podcasting-json' | 'audacity-labels';

/** The format by extension: .json is Podcasting 2.0 chapters, .txt (Audacity's default) labels. */
function chaptersFormat(path: string): ChaptersFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'podcasting-json';
  if (lower.endsWith('.txt')) return 'audacity-labels';
  throw new StudioError(
    'invalid_input',
    `${basename(path)}: name a .json file (Podcasting 2.0 chapters) or a .txt file (Audacity labels).`,
    { path },
  );
}

const chapters = program
  .command('chapters')
  .description('Export or import an episode’s chapters (Podcasting 2.0 JSON or Audacity labels)');
chapters
  .command('export')
  .description('Write the chapter markers of an episode’s edit to a .json or .txt file')
  .argument('<episode-id>', 'the episode (see `studio episodes`)')
  .requiredOption(
    '-o, --output <file>',
    '.json (Podcasting 2.0 chapters) or .txt (Audacity labels)',
  )
  .option('--json', 'print JSON')
  .action(async (episodeId: string, opts: { output: string; json?: boolean }) => {
    const out = fromCaller(opts.output);
    const format = chaptersFormat(out);
    await withServices(async (services) => {
      const { edit, restored } = getEpisodeEdit(services.db, episodeId);
      if (restored) process.stderr.write(`studio: ${restored}\n`);
      await checkWritableOutput(out, 'Writing chapters');
      const text =
        format === 'podcasting-json'
          ? `${JSON.stringify(chaptersToPodcastingJson(edit), null, 2)}\n`
          : chaptersToAudacityLabels(edit);
      await writeFile(out, text, 'utf8');
      const count = edit.markers.filter((marker) => marker.kind === 'chapter').length;
      print(
        { path: out, format, chapters: count },
        Boolean(opts.json),
        () => `${out}  ${countOf(count, 'chapter')}`,
      );
    });
  });
chapters
  .command('import')
  .description('Replace the chapters of an episode’s edit with those in a .json or .txt file')
  .argument('<episode-id>', 'the episode (see `studio episodes`)')
  .argument('<file>', '.json (Podcasting 2.0 chapters) or .txt (Audacity labels)')
  .option('--json', 'print JSON')
  .action(async (episodeId: string, file: string, opts: { json?: boolean }) => {
    const path = fromCaller(file);
    const format = chaptersFormat(path);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT'
        ? new StudioError('file_missing', `${path} does not exist.`, { path })
        : error;
    });
    // Parse before opening the library, so a bad file changes nothing.
    const imported =
      format === 'podcasting-json'
        ? chaptersFromPodcastingJson(text)
        : chaptersFromAudacityLabels(text);
    await withServices(async (services) => {
      const { edit, restored } = getEpisodeEdit(services.db, episodeId);
      if (restored) process.stderr.write(`studio: ${restored}\n`);
      const saved = saveEpisodeEdit(services.db, episodeId, replaceChapters(edit, imported));
      const list = saved.markers
        .filter((marker) => marker.kind === 'chapter')
        .map((marker) => ({ position: marker.position, title: marker.title }));
      print({ episodeId, chapters: list }, Boolean(opts.json), () =>
        [
          `${countOf(list.length, 'chapter')} imported`,
          ...list.map((c) => `  ${clockTime(c.position)}  ${c.title}`),
        ].join('\n'),
      );
    });
  });

const shows = program.command('shows').description('List shows, or add one');
shows
  .command('list', { isDefault: true })
  .description('List shows')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    await withServices(async (services) => {
      const list = await call(services.dispatch, 'shows.list', {});
      print(list, Boolean(opts.json), () =>
        list.length === 0
          ? 'No shows yet. Add one with: studio shows add "My Show"'
          : list
              .map((s) => `${s.id}  ${s.title}  (${countOf(s.episodeCount, 'episode')})`)
              .join('\n'),
      );
    });
  });
shows
  .command('add')
  .description('Add a show')
  .argument('<title>')
  .option('--author <name>', 'author', '')
  .option('--json', 'print JSON')
  .action(async (title: string, opts: { author: string; json?: boolean }) => {
    await withServices(async (services) => {
      const show = await call(services.dispatch, 'shows.create', { title, author: opts.author });
      print(show, Boolean(opts.json), () => `${show.id}  ${show.title}`);
    });
  });

const episodes = program.command('episodes').description('List a show’s episodes, or add one');
episodes
  .command('list', { isDefault: true })
  .description('List episodes of a show')
  .requiredOption('--show <id>', 'show id (see `studio shows`)')
  .option('--json', 'print JSON')
  .action(async (opts: { show: string; json?: boolean }) => {
    await withServices(async (services) => {
      const list = await call(services.dispatch, 'episodes.list', { showId: opts.show });
      print(list, Boolean(opts.json), () =>
        list.length === 0
          ? 'No episodes yet. Add one with: studio episodes add --show <id> "Title"'
          : list
              .map(
                (e) =>
                  `${e.id}  ${e.title}  ${countOf(e.trackCount, 'track')}  ${formatDuration(samplesToSeconds(e.durationSamples))}`,
              )
              .join('\n'),
      );
    });
  });
episodes
  .command('add')
  .description('Add an episode to a show')
  .argument('<title>')
  .requiredOption('--show <id>', 'show id')
  .option('--json', 'print JSON')
  .action(async (title: string, opts: { show: string; json?: boolean }) => {
    await withServices(async (services) => {
      const episode = await call(services.dispatch, 'episodes.create', {
        showId: opts.show,
        title,
      });
      print(episode, Boolean(opts.json), () => `${episode.id}  ${episode.title}`);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const value = toErrorValue(error);
  process.stderr.write(`studio: ${value.message}\n`);
  process.exitCode = error instanceof StudioError && error.code === 'invalid_input' ? 2 : 1;
}
