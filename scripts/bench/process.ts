// `npm run bench -- process`: a 60-minute (BENCH_MINUTES) two-speaker conversation with a noise
// bed and mains hum, mastered to -16 LUFS / -1 dBTP MP3 two ways:
//   (a) the reference, exactly as ffmpeg-normalize does EBU normalization (two loudnorm passes);
//   (b) ours, processFile with the 'podcast' preset's settings.
// Prints both wall times, the ratio, and both outputs measured independently with ffmpeg's
// ebur128 (true peak on), against the goals: ours ≥ 4x faster, within 0.5 LU of -16, TP ≤ -1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { presetById, withOverrides } from '../../src/main/services/processing/presets';
import { processFile } from '../../src/main/services/processing/process-file';
import type { ProcessingSettings } from '../../src/shared/processing';
import { ffmpegEbur128 } from '../../test/helpers/audio';
import {
  mainsHum,
  pinkNoise,
  readMonoFloat,
  twoSpeakers,
  writeMonoFloat,
} from '../../test/helpers/speech';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const TARGET = { I: -16, TP: -1, LRA: 11 };
const benchDir = resolve('.bench');
mkdirSync(benchDir, { recursive: true });
const source = join(benchDir, `conversation-${MINUTES}min-48k-mono.wav`);

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// ---------------------------------------------------------------------------------------------
// The input, built once. A block of up to 10 minutes is made for real: espeak-ng speech in 20 s
// turns, speaker A at -24 LUFS and B 10 dB under, pink noise at -50 dBFS RMS, 50 Hz hum with its
// 2nd and 3rd harmonics at -45 dBFS RMS. ffmpeg loops it to the full length as 16-bit WAV (the
// whole hour from espeak-ng would be as quick, but an hour of float samples in memory is 700 MB).
if (!existsSync(source)) {
  console.log(`Generating ${source} …`);
  const started = process.hrtime.bigint();
  const work = mkdtempSync(join(tmpdir(), 'studio-bench-input-'));
  try {
    const blockSeconds = Math.min(MINUTES, 10) * 60;
    const speech = join(work, 'speech.wav');
    twoSpeakers(speech, {
      seconds: blockSeconds,
      turnSeconds: 20,
      gapDb: 10,
      levelLufs: -24,
      seed: 2026,
    });
    const block = readMonoFloat(speech);
    const noise = pinkNoise(block.length, 7);
    const hum = mainsHum(block.length, 50, 7);
    const noiseGain = 10 ** (-50 / 20);
    const humGain = 10 ** (-45 / 20);
    for (let i = 0; i < block.length; i++)
      block[i] = (block[i] ?? 0) + noiseGain * (noise[i] ?? 0) + humGain * (hum[i] ?? 0);
    // 16-bit output: keep the sample peak at -1 dBFS at most rather than clip.
    let peak = 0;
    for (const x of block) peak = Math.max(peak, Math.abs(x));
    const guard = Math.min(1, 10 ** (-1 / 20) / peak);
    if (guard < 1) {
      for (let i = 0; i < block.length; i++) block[i] = (block[i] ?? 0) * guard;
      console.log(
        `  speech peaked at ${(20 * Math.log10(peak)).toFixed(1)} dBFS: lowered to -1 dBFS`,
      );
    }
    const blockPath = writeMonoFloat(join(work, 'block.wav'), block, 'f32');
    const partial = join(work, 'full.wav');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      blockPath,
      '-t',
      String(MINUTES * 60),
      '-c:a',
      'pcm_s16le',
      partial,
    ]);
    renameSync(partial, source);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`Generated in ${seconds(started).toFixed(1)} s`);
}

const ffmpegVersion = /ffmpeg version (\S+)/.exec(
  execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }),
)?.[1];
console.log(
  `Input: ${MINUTES} min mono 48 kHz 16-bit WAV, ${(statSync(source).size / 1e6).toFixed(0)} MB; ` +
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); ffmpeg ${ffmpegVersion ?? '?'}`,
);
const input = ffmpegEbur128(source);
console.log(
  `Input measured: ${input.integrated} LUFS, LRA ${input.lra} LU, ${input.truePeak} dBTP`,
);

const outDir = mkdtempSync(join(tmpdir(), 'studio-bench-process-'));
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// (a) Reference: ffmpeg-normalize's EBU mode (-nt ebu -t -16 -tp -1 -lrt 11 -c:a libmp3lame
// -b:a 128k), its two ffmpeg commands as it builds them, timed together.

/** The JSON block loudnorm prints at the end of stderr. */
function loudnormJson(stderr: string): Record<string, string> {
  const from = stderr.lastIndexOf('[Parsed_loudnorm');
  const open = stderr.indexOf('{', from);
  const close = stderr.indexOf('}', open);
  if (from < 0 || open < 0 || close < 0)
    throw new Error(`No loudnorm statistics in ffmpeg's output:\n${stderr.slice(-2000)}`);
  return JSON.parse(stderr.slice(open, close + 1)) as Record<string, string>;
}

function ffmpeg(args: string[]): string {
  const run = spawnSync('ffmpeg', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(`ffmpeg ${args.join(' ')} failed:\n${run.stderr.slice(-2000)}`);
  return run.stderr;
}

/** -inf/inf as ffmpeg-normalize maps them (-99 / 0), numbers as they are. */
function finite(value: string | undefined): number {
  const n = Number(value);
  if (n === Number.NEGATIVE_INFINITY || value === '-inf') return -99;
  if (n === Number.POSITIVE_INFINITY || value === 'inf') return 0;
  if (!Number.isFinite(n)) throw new Error(`Unexpected loudnorm value: ${value}`);
  return n;
}

const reference = join(outDir, 'reference.mp3');
const start = process.hrtime.bigint();
const pass1 = loudnormJson(
  ffmpeg([
    '-hide_banner',
    '-nostdin',
    '-y',
    '-i',
    source,
    '-filter_complex',
    `[0:0]loudnorm=i=${TARGET.I}:lra=${TARGET.LRA}:tp=${TARGET.TP}:offset=0:print_format=json`,
    '-vn',
    '-sn',
    '-f',
    'null',
    '-',
  ]),
);
const pass1Seconds = seconds(start);
const measured = {
  i: Math.min(finite(pass1.input_i), 0),
  lra: finite(pass1.input_lra),
  tp: finite(pass1.input_tp),
  thresh: finite(pass1.input_thresh),
  offset: finite(pass1.target_offset),
};
// loudnorm only stays linear when the gain keeps the peak under the ceiling and the LRA fits.
const linearPeak = measured.tp + TARGET.I - measured.i;
const dynamicReason = [
  linearPeak > TARGET.TP
    ? `a linear gain would put the peak at ${linearPeak.toFixed(1)} dBTP, over ${TARGET.TP}`
    : '',
  measured.lra > TARGET.LRA ? `input LRA ${measured.lra} LU is over ${TARGET.LRA}` : '',
]
  .filter(Boolean)
  .join('; ');
const secondPassFilter =
  `loudnorm=i=${TARGET.I}:lra=${TARGET.LRA}:tp=${TARGET.TP}:offset=${measured.offset}` +
  `:measured_i=${measured.i}:measured_lra=${measured.lra}:measured_tp=${measured.tp}` +
  `:measured_thresh=${measured.thresh}:linear=true:print_format=json`;
const pass2 = loudnormJson(
  ffmpeg([
    '-hide_banner',
    '-y',
    '-nostdin',
    '-i',
    source,
    '-filter_complex',
    // loudnorm upsamples to 192 kHz; ffmpeg-normalize writes the input's rate back.
    `[0:0]${secondPassFilter},aresample=48000[norm0]`,
    '-map_metadata',
    '0',
    '-map_metadata:s:a:0',
    '0:s:a:0',
    '-map_chapters',
    '0',
    '-map',
    '[norm0]',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    '-c:s',
    'copy',
    reference,
  ]),
);
const referenceSeconds = seconds(start);
console.log(
  `\n(a) reference, ffmpeg-normalize EBU: pass 1 ${pass1Seconds.toFixed(2)} s, pass 2 ` +
    `${(referenceSeconds - pass1Seconds).toFixed(2)} s; loudnorm measured ${measured.i} LUFS, ` +
    `LRA ${measured.lra} LU, ${measured.tp} dBTP; pass 2 mode: ${pass2.normalization_type ?? '?'}` +
    (pass2.normalization_type === 'dynamic' ? ` (${dynamicReason})` : ''),
);
const refLevels = ffmpegEbur128(reference);
console.log(
  `    ${referenceSeconds.toFixed(2)} s; output ${refLevels.integrated} LUFS, ${refLevels.truePeak} dBTP, LRA ${refLevels.lra} LU`,
);

// ---------------------------------------------------------------------------------------------
// (b) Ours: processFile with the podcast preset's settings.

async function runOurs(label: string, output: string, settings: ProcessingSettings) {
  let lastStage = '';
  const started = process.hrtime.bigint();
  const report = await processFile({
    input: source,
    output,
    settings,
    onProgress: (fraction, stage) => {
      if (stage === lastStage) return;
      lastStage = stage;
      console.log(
        `  ${seconds(started).toFixed(2).padStart(7)} s  ${stage} (${Math.round(fraction * 100)}%)`,
      );
    },
  });
  const wall = seconds(started);
  const steps = Object.entries(report.timingsMs)
    .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(2)} s`)
    .join(', ');
  console.log(`${label}: ${wall.toFixed(2)} s (${steps})`);
  if (report.notes.length) console.log(`    notes: ${report.notes.join(' ')}`);
  return wall;
}

const ours = join(outDir, 'ours.mp3');
console.log('\n(b) ours, the podcast preset (rumble, hum, noise, de-esser, leveler, loudness):');
const oursSeconds = await runOurs('(b) ours, podcast preset', ours, presetById('podcast').settings);
// The same job as the reference and nothing more: loudness to target, true-peak limit, MP3.
const loudnessOnly = join(outDir, 'ours-loudness-only.mp3');
console.log("\n(c) ours, loudness only (the reference's job: no cleanup steps):");
const loudnessOnlySeconds = await runOurs(
  '(c) ours, loudness only',
  loudnessOnly,
  withOverrides(presetById('none').settings, { targetLufs: TARGET.I, truePeakDbtp: TARGET.TP }),
);

// ---------------------------------------------------------------------------------------------
// Results, measured independently.

const ourLevels = ffmpegEbur128(ours);
const loudnessOnlyLevels = ffmpegEbur128(loudnessOnly);
const ratio = referenceSeconds / oursSeconds;
const ok = (pass: boolean) => (pass ? 'yes' : 'NO');
const row = (name: string, wall: number, levels: typeof refLevels) =>
  `  ${name.padEnd(28)} ${wall.toFixed(2).padStart(8)} s  ${levels.integrated.toFixed(1).padStart(6)} LUFS  ` +
  `${levels.truePeak.toFixed(1).padStart(5)} dBTP  LRA ${levels.lra.toFixed(1)} LU`;
console.log(`\nprocess ${MINUTES} min to MP3 128k, target ${TARGET.I} LUFS / ${TARGET.TP} dBTP`);
console.log(row('reference (ffmpeg-normalize)', referenceSeconds, refLevels));
console.log(row('ours (processFile, podcast)', oursSeconds, ourLevels));
console.log(row('ours, loudness only', loudnessOnlySeconds, loudnessOnlyLevels));
console.log(`  reference / ours: ${ratio.toFixed(2)}x (podcast preset)`);
console.log(
  `  reference / ours: ${(referenceSeconds / loudnessOnlySeconds).toFixed(2)}x (loudness only)`,
);
console.log('goals (ours)');
console.log(`  ≥ 4x faster than the reference:  ${ok(ratio >= 4)} (${ratio.toFixed(2)}x)`);
console.log(
  `  within 0.5 LU of ${TARGET.I} LUFS:       ${ok(Math.abs(ourLevels.integrated - TARGET.I) <= 0.5)} (${ourLevels.integrated} LUFS)`,
);
console.log(
  `  true peak ≤ ${TARGET.TP} dBTP:            ${ok(ourLevels.truePeak <= TARGET.TP)} (${ourLevels.truePeak} dBTP)`,
);
