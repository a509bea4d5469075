import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import {
  type DuckPoint,
  duckEnvelopes,
  type Interval,
  sampleDuckEnvelope,
} from '../../../shared/edit/ducking';
import type { Clip, Edit, EditTrack } from '../../../shared/edit/model';
import { StudioError } from '../../../shared/errors';
import { MODEL_RATE } from '../../../shared/time';
import { probeMedia } from '../ffmpeg/probe';
import { runFfmpeg } from '../ffmpeg/run';
import { writeAtomically } from '../files/atomic';
import { stopTogether } from '../jobs/stop-together';
import {
  type AssetFormat,
  audibleTracks,
  buildRenderGraph,
  editLength,
  type RenderGraph,
} from './filter-graph';
import { chunkEdit, planTimeChunks, type TimeChunk } from './time-chunks';

export interface RenderProgress {
  /** Samples of the mixdown written so far. */
  doneSamples: number;
  totalSamples: number;
  /** 0..1 */
  fraction: number;
  /** Realtime factor, e.g. 120 for 120x; null while unknown. */
  speed: number | null;
}

export interface RenderEditOptions {
  edit: Edit;
  /** The file an asset's audio is read from (its 48 kHz working copy when it has one). */
  assetPath: (assetId: string) => string;
  /** The mixdown: `.wav` (32-bit float) or `.flac` (24-bit). */
  out: string;
  channels?: 1 | 2;
  signal?: AbortSignal;
  onProgress?: (progress: RenderProgress) => void;
  /**
   * Where each speech asset has speech (speechActivity, 48 kHz source samples), for music tracks
   * that duck; loadSpeechActivity in speech-activity.ts reads it from the peaks files. Missing:
   * no speech, so nothing ducks.
   */
  activity?: ReadonlyMap<string, readonly Interval[]>;
}

export interface RenderEditResult {
  lengthSamples: number;
  path: string;
}

const WHAT = 'Rendering the edit';

/** How many assets are probed at once: each is a short ffprobe run. */
const PROBE_CONCURRENCY = 4;

/** Chunks rendered at once: one ffmpeg per core. */
const PARALLEL = Math.max(1, Math.min(4, availableParallelism()));
/** Chunks rendered ahead of the one being written, at most (each waits in memory). */
const MAX_AHEAD = PARALLEL + 1;

/**
 * Renders the edit's mixdown with ffmpeg, sample-accurately: a clip's source sample
 * `sourceIn + k` lands at output sample `timelineStart + k`. The output is 48 kHz, as long as the
 * timeline (the end of its last clip), written under a temporary name and renamed when complete.
 */
export async function renderEdit(options: RenderEditOptions): Promise<RenderEditResult> {
  const { edit, out, signal } = options;
  const channels = options.channels ?? 2;
  validateEdit(edit);
  const output = outputFormat(out);
  const lengthSamples = editLength(edit);
  if (lengthSamples === 0) {
    throw new StudioError(
      'invalid_input',
      `${WHAT}: the edit has no clips, so there is nothing to render.`,
    );
  }
  throwIfCancelled(signal);

  const assets = await readAssets(edit, options.assetPath, signal);
  const envelopes = duckEnvelopes(edit, options.activity ?? new Map());
  const chunks = planTimeChunks(edit, lengthSamples, PARALLEL);
  if (chunks.length === 1) {
    await renderWhole(options, assets, channels, output, lengthSamples, envelopes);
  } else {
    await renderInChunks(options, assets, channels, output, lengthSamples, chunks, envelopes);
  }
  return { lengthSamples, path: out };
}

type Assets = Map<string, AssetFormat & { path: string }>;
/** Duck envelopes of the ducking music tracks, by track id (none: nothing is ducked). */
type Envelopes = ReadonlyMap<string, DuckPoint[]>;

/** Frames of envelope written to ffmpeg at a time. */
const ENVELOPE_BLOCK = 48_000;

/**
 * Feeds the graph's envelope input (RenderGraph.envelopeTracks): the gains of timeline samples
 * [from, from + lengthSamples), one channel per ducked track, f32le; undefined when none.
 */
function envelopeFeed(
  graph: RenderGraph,
  envelopes: Envelopes,
  from: number,
): ((stdin: Writable) => Promise<void>) | undefined {
  const tracks = graph.envelopeTracks.map((id) => envelopes.get(id)!);
  if (tracks.length === 0) return undefined;
  return async (stdin) => {
    const n = tracks.length;
    for (let done = 0; done < graph.lengthSamples; done += ENVELOPE_BLOCK) {
      const frames = Math.min(ENVELOPE_BLOCK, graph.lengthSamples - done);
      const block = new Float32Array(frames * n);
      tracks.forEach((points, k) => {
        sampleDuckEnvelope(points, from + done, frames, block, k, n);
      });
      if (stdin.destroyed) return;
      if (!stdin.write(new Uint8Array(block.buffer))) {
        // ffmpeg may stop reading (it failed): its exit is what gets reported.
        await new Promise<void>((resolve) => {
          const done = () => {
            stdin.off('drain', done);
            stdin.off('close', done);
            resolve();
          };
          stdin.on('drain', done);
          stdin.on('close', done);
        });
      }
    }
  };
}

/** The ffmpeg input options for a graph's envelope input, after its asset inputs. */
function envelopeInputArgs(graph: RenderGraph): string[] {
  if (graph.envelopeTracks.length === 0) return [];
  const layout = ['-ar', String(MODEL_RATE), '-ac', String(graph.envelopeTracks.length)];
  return ['-f', 'f32le', ...layout, '-i', 'pipe:0'];
}

/** The ffmpeg input options for a render graph's inputs. */
function inputArgs(graph: RenderGraph): string[] {
  return [
    // Inputs keep their own timestamps (-copyts) so atrim cuts at exact source samples;
    // -noaccurate_seek stops ffmpeg trimming at the seek point in rounded seconds.
    '-copyts',
    ...graph.inputs.flatMap((input) => [
      ...(input.seekSamples > 0
        ? ['-noaccurate_seek', '-ss', (input.seekSamples / MODEL_RATE).toFixed(6)]
        : []),
      ...(input.readSamples ? ['-t', (input.readSamples / MODEL_RATE).toFixed(6)] : []),
      '-i',
      input.path,
    ]),
    ...envelopeInputArgs(graph),
  ];
}

/**
 * Writes the graph's script to a temporary file for the run: hundreds of clips would overflow a
 * command line (Windows allows 32 K characters).
 */
async function withScript<T>(graph: RenderGraph, run: (path: string) => Promise<T>): Promise<T> {
  const scriptPath = join(tmpdir(), `studio-render-${randomUUID()}.filtergraph`);
  await writeFile(scriptPath, graph.script, 'utf8');
  try {
    return await run(scriptPath);
  } finally {
    await unlink(scriptPath).catch(() => {});
  }
}

/** A short edit: one ffmpeg renders the whole graph straight into the output. */
async function renderWhole(
  options: RenderEditOptions,
  assets: Assets,
  channels: 1 | 2,
  output: { args: string[] },
  lengthSamples: number,
  envelopes: Envelopes,
): Promise<void> {
  const graph = buildRenderGraph(
    options.edit,
    assets,
    channels,
    lengthSamples,
    new Set(envelopes.keys()),
  );
  await withScript(graph, (scriptPath) =>
    writeAtomically(
      options.out,
      async (temp) => {
        await runFfmpeg({
          what: WHAT,
          signal: options.signal,
          feedStdin: envelopeFeed(graph, envelopes, 0),
          onProgress: options.onProgress
            ? (progress) => {
                const done = Math.min(lengthSamples, Math.round(progress.outTimeSec * MODEL_RATE));
                options.onProgress?.({
                  doneSamples: progress.done ? lengthSamples : done,
                  totalSamples: lengthSamples,
                  fraction: progress.done ? 1 : done / lengthSamples,
                  speed: progress.speed,
                });
              }
            : undefined,
          args: [
            ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
            ...inputArgs(graph),
            ...['-filter_complex_script', scriptPath, '-map', '[out]'],
            ...output.args,
            temp,
          ],
        });
      },
      WHAT,
    ),
  );
}

/**
 * A long edit: time chunks (planTimeChunks) rendered by one ffmpeg each, PARALLEL at a time, to
 * raw float; each opens only the clips it touches, so its graph stays small (one graph of
 * hundreds of inputs is slow: lavfi's scheduler cost grows with filters × activations). The
 * chunks are fed in timeline order to one encoder ffmpeg that writes the output, so the file is
 * exactly the joined chunks, written atomically.
 */
async function renderInChunks(
  options: RenderEditOptions,
  assets: Assets,
  channels: 1 | 2,
  output: { args: string[] },
  lengthSamples: number,
  chunks: TimeChunk[],
  envelopes: Envelopes,
): Promise<void> {
  const began = performance.now();
  const all = stopTogether(options.signal);
  const results: (Buffer[] | undefined)[] = chunks.map(() => undefined);
  let written = 0;
  let taken = 0;
  // Workers and the writer wait on each other: anything that changes wakes all waiting.
  const waiting: (() => void)[] = [];
  const changed = () => new Promise<void>((resolve) => waiting.push(resolve));
  const wakeUp = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  const report = (doneSamples: number) => {
    const elapsed = (performance.now() - began) / 1000;
    options.onProgress?.({
      doneSamples,
      totalSamples: lengthSamples,
      fraction: doneSamples / lengthSamples,
      speed: elapsed > 0 && doneSamples > 0 ? doneSamples / MODEL_RATE / elapsed : null,
    });
  };

  const worker = async () => {
    for (;;) {
      // Finished chunks wait in memory for the ones before them: stay a few chunks ahead at most.
      while (taken < chunks.length && taken - written >= MAX_AHEAD) {
        await changed();
        if (all.signal.aborted) return;
      }
      if (taken >= chunks.length || all.signal.aborted) return;
      const index = taken++;
      const chunk = chunks[index]!;
      results[index] = await renderChunk(
        chunkEdit(options.edit, chunk),
        assets,
        channels,
        chunk,
        all.signal,
        envelopes,
      );
      wakeUp();
    }
  };

  const feed = async (stdin: Writable) => {
    const pool = Promise.all(Array.from({ length: PARALLEL }, worker)).catch((error: unknown) => {
      all.stop();
      wakeUp();
      throw error;
    });
    const drained = (async () => {
      while (written < chunks.length) {
        const ready = results[written];
        if (!ready) {
          await Promise.race([pool, changed()]);
          if (all.signal.aborted) throw new StudioError('cancelled', `${WHAT}: cancelled`);
          continue;
        }
        results[written] = undefined;
        for (const buffer of ready) {
          if (!stdin.write(buffer)) await once(stdin, 'drain', { signal: all.signal });
        }
        written += 1;
        wakeUp();
        report(chunks[written - 1]!.end);
      }
    })();
    await Promise.all([pool, drained]);
  };

  try {
    await writeAtomically(
      options.out,
      async (temp) => {
        await runFfmpeg({
          what: WHAT,
          signal: all.signal,
          feedStdin: feed,
          args: [
            ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
            ...['-f', 'f32le', '-ar', String(MODEL_RATE), '-ac', String(channels), '-i', 'pipe:0'],
            ...output.args,
            temp,
          ],
        });
      },
      WHAT,
    );
  } catch (error) {
    if (options.signal?.aborted) throw new StudioError('cancelled', `${WHAT}: cancelled`);
    throw error;
  } finally {
    all.stop();
    wakeUp();
  }
  report(lengthSamples);
}

/** Renders one chunk of the timeline to raw interleaved float, exactly its length. */
async function renderChunk(
  edit: Edit,
  assets: Assets,
  channels: 1 | 2,
  chunk: TimeChunk,
  signal: AbortSignal,
  envelopes: Envelopes,
): Promise<Buffer[]> {
  const length = chunk.end - chunk.start;
  const graph = buildRenderGraph(edit, assets, channels, length, new Set(envelopes.keys()));
  const buffers: Buffer[] = [];
  let bytes = 0;
  await withScript(graph, (scriptPath) =>
    runFfmpeg({
      what: WHAT,
      signal,
      feedStdin: envelopeFeed(graph, envelopes, chunk.start),
      consumeStdout: async (stdout) => {
        for await (const data of stdout as AsyncIterable<Buffer>) {
          buffers.push(data);
          bytes += data.length;
        }
      },
      args: [
        ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
        ...inputArgs(graph),
        ...['-filter_complex_script', scriptPath, '-map', '[out]'],
        ...['-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'],
      ],
    }),
  );
  if (bytes !== length * channels * 4) {
    throw new StudioError(
      'internal',
      `${WHAT}: ffmpeg returned ${bytes / (channels * 4)} of ${length} samples for ${(chunk.start / MODEL_RATE).toFixed(3)} s onwards.`,
    );
  }
  return buffers;
}

function outputFormat(out: string): { args: string[] } {
  const ext = extname(out).toLowerCase();
  // The temp name ends in .partial, so the format is always named.
  if (ext === '.wav') return { args: ['-c:a', 'pcm_f32le', '-rf64', 'auto', '-f', 'wav'] };
  if (ext === '.flac') {
    return {
      args: ['-c:a', 'flac', '-sample_fmt', 's32', '-bits_per_raw_sample', '24', '-f', 'flac'],
    };
  }
  throw new StudioError(
    'invalid_input',
    `${WHAT}: ${basename(out)} has an extension the render cannot write; use .wav or .flac.`,
    { path: out },
  );
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('cancelled', `${WHAT}: cancelled`);
}

/** Refuses what cannot be rendered, naming the clip and track. */
function validateEdit(edit: Edit): void {
  if (edit.version !== 1 || edit.sampleRate !== MODEL_RATE) {
    throw new StudioError(
      'invalid_input',
      `${WHAT}: this edit is version ${String(edit.version)} at ${String(edit.sampleRate)} Hz; only version 1 at 48000 Hz can be rendered.`,
    );
  }
  const sample = (n: number) => Number.isSafeInteger(n) && n >= 0;
  for (const track of edit.tracks) {
    if (!Number.isFinite(track.gainDb) || !Number.isFinite(track.pan)) {
      throw new StudioError(
        'invalid_input',
        `${WHAT}: track "${track.name}" has a gain or pan that is not a number.`,
        { trackId: track.id },
      );
    }
    for (const clip of track.clips) {
      const refuse = (reason: string) =>
        new StudioError(
          'invalid_input',
          `${WHAT}: clip ${clip.id} on track "${track.name}" ${reason}.`,
          {
            trackId: track.id,
            clipId: clip.id,
          },
        );
      const positions = [
        clip.sourceIn,
        clip.sourceOut,
        clip.timelineStart,
        clip.fadeIn,
        clip.fadeOut,
      ];
      if (!positions.every(sample))
        throw refuse('has a position that is not a whole, non-negative sample');
      const length = clip.sourceOut - clip.sourceIn;
      if (length <= 0) throw refuse('ends before it starts (source out is not after source in)');
      if (clip.fadeIn > length || clip.fadeOut > length)
        throw refuse('has a fade longer than the clip');
      if (!Number.isFinite(clip.gainDb)) throw refuse('has a gain that is not a number');
    }
  }
}

interface ClipRef {
  clip: Clip;
  track: EditTrack;
}

/**
 * Finds and probes every asset an audible clip uses. A missing or unreadable file is reported
 * with the clip that needs it, before anything is written.
 */
async function readAssets(
  edit: Edit,
  assetPath: (assetId: string) => string,
  signal: AbortSignal | undefined,
): Promise<Map<string, AssetFormat & { path: string }>> {
  const firstUse = new Map<string, ClipRef>();
  for (const track of audibleTracks(edit)) {
    for (const clip of track.clips) {
      if (!firstUse.has(clip.assetId)) firstUse.set(clip.assetId, { clip, track });
    }
  }
  const located = [...firstUse].map(([assetId, ref]) => ({
    assetId,
    ref,
    path: locate(assetId, ref, assetPath),
  }));

  const missing: { assetId: string; path: string; ref: ClipRef }[] = [];
  await Promise.all(
    located.map(async (entry) => {
      const found = await stat(entry.path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!found) missing.push(entry);
    }),
  );
  if (missing.length > 0) {
    const first = missing[0]!;
    const others =
      missing.length > 1
        ? ` (${missing.length - 1} more asset${missing.length > 2 ? 's are' : ' is'} missing too)`
        : '';
    throw new StudioError(
      'file_missing',
      `${WHAT}: clip ${first.ref.clip.id} on track "${first.ref.track.name}" uses asset ${first.assetId}, whose file ${basename(first.path)} was not found (moved or deleted?)${others}.`,
      {
        clipId: first.ref.clip.id,
        trackId: first.ref.track.id,
        assetId: first.assetId,
        path: first.path,
        missing: missing.map((m) => ({ assetId: m.assetId, path: m.path, clipId: m.ref.clip.id })),
      },
    );
  }

  const assets = new Map<string, AssetFormat & { path: string }>();
  const queue = [...located];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      throwIfCancelled(signal);
      const probe = await probeMedia(entry.path, signal).catch((error: unknown) => {
        if (error instanceof StudioError && error.code !== 'cancelled') {
          throw new StudioError(
            error.code,
            `${WHAT}: clip ${entry.ref.clip.id} on track "${entry.ref.track.name}" uses asset ${entry.assetId}, which cannot be read: ${error.message}`,
            {
              clipId: entry.ref.clip.id,
              trackId: entry.ref.track.id,
              assetId: entry.assetId,
              ...error.details,
            },
          );
        }
        throw error;
      });
      assets.set(entry.assetId, {
        path: entry.path,
        sampleRate: probe.sampleRate,
        channels: probe.channels,
      });
    }
  };
  await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, worker));
  return assets;
}

function locate(assetId: string, ref: ClipRef, assetPath: (assetId: string) => string): string {
  try {
    return assetPath(assetId);
  } catch (error) {
    throw new StudioError(
      'not_found',
      `${WHAT}: clip ${ref.clip.id} on track "${ref.track.name}" uses asset ${assetId}, which is not in the library${error instanceof Error ? ` (${error.message})` : ''}.`,
      { clipId: ref.clip.id, trackId: ref.track.id, assetId },
    );
  }
}
