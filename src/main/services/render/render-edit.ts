import { randomUUID } from 'node:crypto';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { Clip, Edit, EditTrack } from '../../../shared/edit/model';
import { StudioError } from '../../../shared/errors';
import { MODEL_RATE } from '../../../shared/time';
import { probeMedia } from '../ffmpeg/probe';
import { runFfmpeg } from '../ffmpeg/run';
import { writeAtomically } from '../files/atomic';
import { type AssetFormat, audibleTracks, buildRenderGraph, editLength } from './filter-graph';

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
}

export interface RenderEditResult {
  lengthSamples: number;
  path: string;
}

const WHAT = 'Rendering the edit';

/** How many assets are probed at once: each is a short ffprobe run. */
const PROBE_CONCURRENCY = 4;

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
  const graph = buildRenderGraph(edit, assets, channels);

  // The script goes through a file: hundreds of clips would overflow a command line (Windows
  // allows 32 K characters).
  const scriptPath = join(tmpdir(), `studio-render-${randomUUID()}.filtergraph`);
  await writeFile(scriptPath, graph.script, 'utf8');
  try {
    await writeAtomically(
      out,
      async (temp) => {
        await runFfmpeg({
          what: WHAT,
          signal,
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
            // Inputs keep their own timestamps (-copyts) so atrim cuts at exact source samples;
            // -noaccurate_seek stops ffmpeg trimming at the seek point in rounded seconds.
            '-copyts',
            ...graph.inputs.flatMap((input) => [
              ...(input.seekSamples > 0
                ? ['-noaccurate_seek', '-ss', (input.seekSamples / MODEL_RATE).toFixed(6)]
                : []),
              '-i',
              input.path,
            ]),
            ...['-filter_complex_script', scriptPath, '-map', '[out]'],
            ...output.args,
            temp,
          ],
        });
      },
      WHAT,
    );
  } finally {
    await unlink(scriptPath).catch(() => {});
  }
  return { lengthSamples, path: out };
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
