import type { Clip, Edit, EditTrack } from '../../../shared/edit/model';
import { MODEL_RATE } from '../../../shared/time';

/** What the graph needs to know about an asset's file to bring it to the model's format. */
export interface AssetFormat {
  sampleRate: number;
  channels: number;
}

export interface RenderGraph {
  /**
   * ffmpeg inputs in order, each opened with `-ss` at `seekSamples` (timestamps kept: -copyts,
   * -noaccurate_seek): one per clip of a 48 kHz asset, one per asset at any other rate.
   * `readSamples`, when given, bounds how much is read from the seek point on (`-t`): without it
   * ffmpeg decodes each input to its end although the clip ended long before.
   */
  inputs: { assetId: string; path: string; seekSamples: number; readSamples?: number }[];
  /** The -filter_complex script; its output pad is `[out]`. */
  script: string;
  lengthSamples: number;
  /**
   * Ducked tracks in the graph, in the order of the channels of the envelope input: when any, the
   * graph has one more input after `inputs` (index inputs.length), raw f32le at 48 kHz with one
   * channel per track, exactly `lengthSamples` long: each track's duck gain, sample by sample.
   */
  envelopeTracks: string[];
}

/** How far before a clip its input is seeked to (a tenth of a second, far more than a block). */
const SEEK_MARGIN = 4800;

/** Sample formats every branch is held to (never an integer format, which clips at 1.0). */
const FLOAT_FORMATS = 'fltp|flt';

/** The timeline's length: the end of the last clip, muted or not (muting does not move the end). */
export function editLength(edit: Edit): number {
  let end = 0;
  for (const track of edit.tracks) {
    for (const clip of track.clips) {
      end = Math.max(end, clip.timelineStart + clip.sourceOut - clip.sourceIn);
    }
  }
  return end;
}

/** Tracks heard in the mixdown: with any solo only soloed ones; a muted track is never heard. */
export function audibleTracks(edit: Edit): EditTrack[] {
  const anySolo = edit.tracks.some((t) => t.solo);
  return edit.tracks.filter((t) => !t.muted && (!anySolo || t.solo) && t.clips.length > 0);
}

/**
 * Splits a track's clips into lanes whose clips never overlap, first fit in timeline order.
 * Crossfading clips land on different lanes; each lane is then one gapless concat, so the work
 * grows with the timeline's length, not with clips × length as a delay-and-mix per clip would.
 */
export function planLanes(clips: readonly Clip[]): Clip[][] {
  const sorted = [...clips].sort((a, b) => a.timelineStart - b.timelineStart);
  const lanes: Clip[][] = [];
  const laneEnds: number[] = [];
  for (const clip of sorted) {
    let lane = laneEnds.findIndex((end) => end <= clip.timelineStart);
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
      laneEnds.push(0);
    }
    lanes[lane]!.push(clip);
    laneEnds[lane] = clip.timelineStart + clip.sourceOut - clip.sourceIn;
  }
  return lanes;
}

/** dB to a linear factor. */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/**
 * Per-channel factors from a source's channels to the output's, with the track's pan and the clip
 * and track gains folded in (one pan filter per clip instead of volume + pan).
 * Constant-power pan, angle θ = (pan + 1)·π/4: a mono source goes out as (cos θ, sin θ), so −3 dB
 * a side in the middle; a stereo source is balanced as (L·√2·cos θ, R·√2·sin θ), so it passes
 * unchanged in the middle. A mono output ignores pan and averages a stereo source.
 */
export function panFilter(sourceChannels: number, outChannels: 1 | 2, pan: number, gain: number) {
  const n = (x: number) => {
    // cos(π/2) is 6e-17, not 0: print a clean zero.
    const value = Math.abs(x) < 1e-12 ? 0 : x;
    return String(value);
  };
  if (outChannels === 1) {
    return sourceChannels === 1
      ? `pan=mono|c0=${n(gain)}*c0`
      : `pan=mono|c0=${n(gain / 2)}*c0+${n(gain / 2)}*c1`;
  }
  const theta = ((Math.min(1, Math.max(-1, pan)) + 1) * Math.PI) / 4;
  if (sourceChannels === 1) {
    return `pan=stereo|c0=${n(gain * Math.cos(theta))}*c0|c1=${n(gain * Math.sin(theta))}*c0`;
  }
  const left = gain * Math.SQRT2 * Math.cos(theta);
  const right = gain * Math.SQRT2 * Math.sin(theta);
  return `pan=stereo|c0=${n(left)}*c0|c1=${n(right)}*c1`;
}

/**
 * Builds the ffmpeg filter graph that mixes `edit` sample-accurately. Everything is counted in
 * samples: atrim by start/end sample, timestamps rebuilt as N/SR/TB, fades by start sample and
 * sample count, gaps as padding to a whole length in samples, the lead-in as a delay in samples
 * (never milliseconds, which round). amix runs with normalize=0 so a sum stays a sum.
 */
export function buildRenderGraph(
  edit: Edit,
  assets: ReadonlyMap<string, AssetFormat & { path: string }>,
  channels: 1 | 2,
  /** The output's length; default the edit's (a time chunk of a longer edit passes its own). */
  lengthSamples: number = editLength(edit),
  /** Tracks multiplied by a duck envelope (see RenderGraph.envelopeTracks). */
  ducked: ReadonlySet<string> = new Set(),
): RenderGraph {
  const layout = channels === 1 ? 'mono' : 'stereo';
  const tracks = audibleTracks(edit);
  const lines: string[] = [];

  const inputs: RenderGraph['inputs'] = [];
  const clipSource = new Map<Clip, string>();
  // Start of each clip's samples in the stream it reads: absolute source positions (-copyts) for
  // a clip with its own seeking input, counted from 0 for a branch of a resampled asset.
  const trimBy = new Map<Clip, 'pts' | 'sample'>();

  // A file at 48 kHz gets one input per clip, seeked to just before the clip: each clip decodes
  // only its own range, and ffmpeg reads an input only when the mix needs it. Splitting one input
  // into hundreds of branches instead costs every decoded frame a visit to every branch, and
  // lavfi's scheduler scans all filters per visit (measured 14x realtime for 500 clips).
  const resampled = new Map<string, Clip[]>();
  for (const track of tracks) {
    for (const clip of track.clips) {
      const asset = assets.get(clip.assetId);
      if (!asset) throw new Error(`No format for asset ${clip.assetId}`);
      if (asset.sampleRate !== MODEL_RATE) {
        resampled.set(clip.assetId, [...(resampled.get(clip.assetId) ?? []), clip]);
        continue;
      }
      const index = inputs.length;
      // Seek a little early: the demuxer lands on a block at or before the target, and atrim
      // then cuts at the exact sample by timestamp.
      const seekSamples = Math.max(0, clip.sourceIn - SEEK_MARGIN);
      inputs.push({
        assetId: clip.assetId,
        path: asset.path,
        seekSamples,
        readSamples: clip.sourceOut + SEEK_MARGIN - seekSamples,
      });
      // Float from the start: otherwise lavfi may negotiate a lane to the integer format of a
      // FLAC source (s32), which clips a louder-than-full-scale sum of gains at 1.0.
      const prep = `aformat=sample_fmts=${FLOAT_FORMATS}${asset.channels > 2 ? ':channel_layouts=stereo' : ''}`;
      lines.push(`[${index}:a]${prep}[a${index}]`);
      clipSource.set(clip, `a${index}`);
      trimBy.set(clip, 'pts');
    }
  }
  // A file at another rate is resampled to 48 kHz once (model positions are 48 kHz samples) and
  // split between its clips, which count samples from the start of the resampled stream.
  for (const [assetId, clips] of resampled) {
    const asset = assets.get(assetId)!;
    const index = inputs.length;
    inputs.push({ assetId, path: asset.path, seekSamples: 0 });
    const chain = [
      `aresample=${MODEL_RATE}:resampler=soxr`,
      `aformat=sample_fmts=${FLOAT_FORMATS}${asset.channels > 2 ? ':channel_layouts=stereo' : ''}`,
    ];
    const labels = clips.map((_, k) => `a${index}_${k}`);
    clips.forEach((clip, k) => {
      clipSource.set(clip, labels[k]!);
      trimBy.set(clip, 'sample');
    });
    chain.push(clips.length > 1 ? `asplit=${clips.length}` : 'anull');
    lines.push(`[${index}:a]${chain.join(',')}${labels.map((l) => `[${l}]`).join('')}`);
  }

  // The envelope input comes after the assets': one channel per ducked track, each copied to the
  // output's channels so amultiply scales every channel of the track's bus by the same gain.
  const envelopeTracks = tracks.filter((t) => ducked.has(t.id)).map((t) => t.id);
  const envelopeLabels = new Map<string, string>();
  if (envelopeTracks.length > 0) {
    const index = inputs.length;
    const split = envelopeTracks.map((_, k) => `e${k}`);
    lines.push(
      `[${index}:a]${envelopeTracks.length > 1 ? `asplit=${envelopeTracks.length}` : 'anull'}${split.map((l) => `[${l}]`).join('')}`,
    );
    envelopeTracks.forEach((trackId, k) => {
      const spread = channels === 1 ? `pan=mono|c0=c${k}` : `pan=stereo|c0=c${k}|c1=c${k}`;
      lines.push(`[e${k}]${spread}[e${k}x]`);
      envelopeLabels.set(trackId, `e${k}x`);
    });
  }

  const trackOuts: string[] = [];
  tracks.forEach((track, t) => {
    const laneOuts: string[] = [];
    planLanes(track.clips).forEach((lane, l) => {
      const segments: string[] = [];
      lane.forEach((clip, c) => {
        const asset = assets.get(clip.assetId)!;
        const length = clip.sourceOut - clip.sourceIn;
        const next = lane[c + 1];
        const gap = next ? next.timelineStart - (clip.timelineStart + length) : 0;
        const f = [
          trimBy.get(clip) === 'pts'
            ? `atrim=start_pts=${clip.sourceIn}:end_pts=${clip.sourceOut}`
            : `atrim=start_sample=${clip.sourceIn}:end_sample=${clip.sourceOut}`,
          'asetpts=N/SR/TB',
          panFilter(
            Math.min(2, asset.channels),
            channels,
            track.pan,
            dbToGain(clip.gainDb + track.gainDb),
          ),
        ];
        // Linear ('tri'): gain k/n over n samples in, (n-k)/n out, so a crossfade sums to 1.
        if (clip.fadeIn > 0) f.push(`afade=t=in:ss=0:ns=${clip.fadeIn}:curve=tri`);
        if (clip.fadeOut > 0)
          f.push(`afade=t=out:ss=${length - clip.fadeOut}:ns=${clip.fadeOut}:curve=tri`);
        // Padding to a whole length also fills a source that ends before sourceOut, so the clips
        // after it on the lane stay where they belong.
        f.push(`apad=whole_len=${length + gap}`);
        if (c === 0 && clip.timelineStart > 0) f.push(`adelay=delays=${clip.timelineStart}S:all=1`);
        const label = `t${t}l${l}c${c}`;
        lines.push(`[${clipSource.get(clip)}]${f.join(',')}[${label}]`);
        segments.push(label);
      });
      const laneLabel = `t${t}l${l}`;
      lines.push(
        segments.length > 1
          ? `${segments.map((s) => `[${s}]`).join('')}concat=n=${segments.length}:v=0:a=1[${laneLabel}]`
          : `[${segments[0]}]anull[${laneLabel}]`,
      );
      laneOuts.push(laneLabel);
    });
    const bus = mix(lines, laneOuts, `t${t}`);
    const envelope = envelopeLabels.get(track.id);
    if (!envelope) {
      trackOuts.push(bus);
      return;
    }
    // Ducked: the bus, exactly as long as the envelope, times the envelope, sample by sample.
    lines.push(
      `[${bus}]apad=whole_len=${lengthSamples},atrim=end_sample=${lengthSamples}[t${t}p]`,
      `[t${t}p][${envelope}]amultiply[t${t}d]`,
    );
    trackOuts.push(`t${t}d`);
  });

  if (trackOuts.length === 0) {
    // Nothing audible: silence of the timeline's length.
    lines.push(`anullsrc=r=${MODEL_RATE}:cl=${layout},atrim=end_sample=${lengthSamples}[silence]`);
    trackOuts.push('silence');
  }
  const mixed = mix(lines, trackOuts, 'mix');
  // Exactly the timeline's length, and float all the way to the encoder.
  lines.push(
    `[${mixed}]apad=whole_len=${lengthSamples},atrim=end_sample=${lengthSamples},aformat=sample_fmts=flt:channel_layouts=${layout}[out]`,
  );
  return { inputs, script: `${lines.join(';\n')}\n`, lengthSamples, envelopeTracks };
}

/** Sums labelled streams (a plain sum: normalize=0), returning the label of the result. */
function mix(lines: string[], labels: string[], out: string): string {
  if (labels.length === 1) return labels[0]!;
  lines.push(
    `${labels.map((l) => `[${l}]`).join('')}amix=inputs=${labels.length}:normalize=0:duration=longest[${out}]`,
  );
  return out;
}
