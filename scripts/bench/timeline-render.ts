// `npm run bench -- timeline-render`: the full mixdown of a generated 3-hour (BENCH_MINUTES),
// 4-track, 500-clip edit to a stereo float WAV, with renderEdit. Assets (speech-like noise, one
// 30-minute FLAC per track at 48 kHz) are made once in .bench/. Prints the realtime factor (the
// issue's goal: at least 100x). There is no reference run in the same process yet.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderEdit } from '../../src/main/services/render/render-edit';
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

const began = performance.now();
const result = await renderEdit({
  edit,
  assetPath: (id) => assets[Number(id.slice(1))]!,
  out,
  channels: 2,
});
const seconds = (performance.now() - began) / 1000;
const audio = result.lengthSamples / RATE;
console.log(
  `renderEdit, ${MINUTES} min, 4 tracks, 500 clips, stereo float WAV: ${seconds.toFixed(2)} s (${(audio / seconds).toFixed(0)}x realtime)`,
);
rmSync(out, { force: true });
