// `npm run bench -- timeline-render`: the full mixdown of a generated 3-hour (BENCH_MINUTES),
// 4-track, 500-clip edit to a stereo float WAV, with renderEdit. Assets (speech-like noise, one
// 30-minute FLAC per track at 48 kHz) are made once in .bench/. Prints the realtime factor (the
// issue's goal: at least 100x), then the same edit with one track a ducking music bed, and for
// reference ffmpeg alone mixing the four whole assets with no edits.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderEdit } from '../../src/main/services/render/render-edit';
import type { Interval } from '../../src/shared/edit/ducking';
import { editLength } from '../../src/shared/edit/geometry';
import type { Clip, Edit } from '../../src/shared/edit/model';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 180);
const RATE = 48000;
const benchDir = resolve('.bench');
mkdirSync(benchDir, { recursive: true });

const assetSeconds = 30 * 60;
const assets = [0, 1, 2, 3].map((t) => {
  const path = join(benchDir, `timeline-track${t}-30min-48k.flac`);
  if (!existsSync(path)) {
    console.log(`Generating ${path} …`);
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
      `anoisesrc=color=pink:sample_rate=${RATE}:amplitude=0.5:duration=${assetSeconds}:seed=${t + 1}`,
      '-af',
      "volume='0.05+0.95*pow(abs(sin(2*PI*3.3*t)),3)*gt(sin(2*PI*0.21*t),-0.4)':eval=frame,lowpass=f=5000",
      ...['-ac', '1', '-c:a', 'flac', path],
    ]);
  }
  return path;
});

let state = 2026;
const next = () => {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo));
const total = MINUTES * 60 * RATE;
const perTrack = 125;
const tracks = [0, 1, 2, 3].map((t) => {
  const clips: Clip[] = [];
  const slot = Math.floor(total / perTrack);
  for (let i = 0; i < perTrack; i++) {
    const length = int(Math.floor(slot * 0.6), slot + 4800);
    const sourceIn = int(0, assetSeconds * RATE - length);
    const fade = int(0, 4800);
    clips.push({
      id: `c${t}-${i}`,
      assetId: `a${t}`,
      sourceIn,
      sourceOut: sourceIn + length,
      timelineStart: i * slot,
      gainDb: int(-6, 3),
      fadeIn: fade,
      fadeOut: fade,
    });
  }
  return {
    id: `t${t}`,
    name: `Track ${t}`,
    gainDb: 0,
    pan: [-0.3, 0.3, 0, 0][t]!,
    muted: false,
    solo: false,
    clips,
  };
});
const edit: Edit = { version: 1, sampleRate: RATE, tracks, markers: [] };
const out = join(benchDir, 'timeline-render-out.wav');

/** Renders `edit` (with `activity` for ducking) and returns seconds taken. */
async function timed(what: Edit, activity?: Map<string, Interval[]>): Promise<number> {
  const began = performance.now();
  const result = await renderEdit({
    edit: what,
    assetPath: (id) => assets[Number(id.slice(1))]!,
    out,
    channels: 2,
    activity,
  });
  const seconds = (performance.now() - began) / 1000;
  if (result.lengthSamples !== editLength(what)) throw new Error('render length differs');
  rmSync(out, { force: true });
  return seconds;
}

const audio = editLength(edit) / RATE;
const plain = await timed(edit);
console.log(
  `renderEdit, ${MINUTES} min, 4 tracks, 500 clips, stereo float WAV: ${plain.toFixed(2)} s (${(audio / plain).toFixed(0)}x realtime)`,
);

// The same edit with track 3 as a music bed ducking -15 dB under the other three, whose assets
// speak 3 s of every 4 (a duck envelope with thousands of ramps, fed to ffmpeg sample by sample).
const speaking: Interval[] = [];
for (let start = 0; start < assetSeconds * RATE; start += 4 * RATE) {
  speaking.push({ start, end: start + 3 * RATE });
}
const activity = new Map(['a0', 'a1', 'a2'].map((id) => [id, speaking]));
const ducked: Edit = {
  ...edit,
  tracks: edit.tracks.map((t, i) =>
    i === 3 ? { ...t, role: 'music' as const, ducking: { depthDb: -15 } } : t,
  ),
};
const withBed = await timed(ducked, activity);
console.log(
  `  with track 3 a music bed ducking under the others: ${withBed.toFixed(2)} s (${(audio / withBed).toFixed(0)}x realtime; ${(withBed / plain).toFixed(2)}x the time)`,
);

// Reference: ffmpeg alone mixing the four whole assets, no edits, to the same format.
const refOut = join(benchDir, 'timeline-render-reference.wav');
const refBegan = performance.now();
execFileSync('ffmpeg', [
  ...['-v', 'error', '-y'],
  ...assets.flatMap((file) => ['-i', file]),
  '-filter_complex',
  'amix=inputs=4:normalize=0,aformat=channel_layouts=stereo',
  ...['-c:a', 'pcm_f32le', refOut],
]);
const refSeconds = (performance.now() - refBegan) / 1000;
rmSync(refOut, { force: true });
const refFactor = assetSeconds / refSeconds;
console.log(
  `  reference: ffmpeg amix of the 4 whole 30-min assets, no edits: ${refSeconds.toFixed(2)} s (${refFactor.toFixed(0)}x realtime); renderEdit runs at ${(audio / plain / refFactor).toFixed(2)}x its speed`,
);
