// `npm run bench -- record [--minutes N]` (or BENCH_MINUTES=N; default 5): four test sources
// recorded through the Recorder engine in this process, each a counter whose every sample says
// its own index, so a dropped or repeated sample shows in the file. Prints the Node side's CPU
// (goal < 10 % of one core), the capture ffmpegs' CPU apart, dropped/duplicated samples (goal 0),
// frames per track against the exact length asked for, and the longest time a file did not grow
// and its header sizes did not move (watched from a separate process, so watching costs this
// one nothing). Reference from the same run: four plain `ffmpeg -re -f lavfi … out.wav`, what a
// naive recorder runs, for the CPU ratio.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Recorder } from '../../src/main/services/recording/recorder';
import { parseWavLayout } from '../../src/main/services/recording/wav-file';

const RATE = 48_000;
const TRACKS = 4;
const minutesArg = process.argv.indexOf('--minutes');
const MINUTES = Number(
  minutesArg >= 0 ? process.argv[minutesArg + 1] : (process.env.BENCH_MINUTES ?? 5),
);
if (!(MINUTES > 0)) throw new Error('--minutes must be a positive number');
/** A naive recorder's CPU is a steady rate: a minute of it is as good as five. */
const REFERENCE_MINUTES = Math.min(MINUTES, 1);
const COUNTER = "aevalsrc=exprs='mod(n\\,48000)/48000':s=48000";
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

const outDir = mkdtempSync(join(tmpdir(), 'studio-bench-record-'));
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

/** utime + stime of a process, in seconds, from /proc (null once it is gone). */
function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Our ffmpeg children and their CPU seconds so far. */
function ffmpegChildren(): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || !stat.includes('(ffmpeg)')) continue;
      found.set(Number(entry), procCpuSeconds(Number(entry)) ?? 0);
    } catch {
      // Gone between readdir and read.
    }
  }
  return found;
}

/**
 * Watches the files from another Node process: every 10 ms each file's size, every 50 ms its
 * header's data size (bytes 76–79). On stdin's end it prints, per file, the longest time the size
 * stayed the same and the longest the header did, and its own worst tick (its resolution).
 */
const WATCHER = `
const fs = require('node:fs');
const files = JSON.parse(process.argv[1]);
const s = files.map(() => ({ size: -1, grewAt: 0, maxStill: 0, header: -1, headerAt: 0, maxHeader: 0 }));
const fds = files.map(() => null);
const buf = Buffer.alloc(4);
let lastTick = performance.now(), worstTick = 0, tick = 0;
const timer = setInterval(() => {
  const now = performance.now();
  worstTick = Math.max(worstTick, now - lastTick);
  lastTick = now;
  tick++;
  files.forEach((file, i) => {
    const st = s[i];
    try {
      const size = fs.statSync(file).size;
      if (size !== st.size) {
        if (st.size > 80) st.maxStill = Math.max(st.maxStill, now - st.grewAt);
        st.size = size; st.grewAt = now;
      }
      if (tick % 5 !== 0) return;
      fds[i] ??= fs.openSync(file, 'r');
      fs.readSync(fds[i], buf, 0, 4, 76);
      const header = buf.readUInt32LE(0);
      if (header !== st.header) {
        if (st.header > 0) st.maxHeader = Math.max(st.maxHeader, now - st.headerAt);
        st.header = header; st.headerAt = now;
      }
    } catch {}
  });
}, 10);
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  console.log(JSON.stringify({ worstTick, files: s.map((x) => ({ maxStill: x.maxStill, maxHeader: x.maxHeader })) }));
});
`;

interface WatchResult {
  worstTick: number;
  files: { maxStill: number; maxHeader: number }[];
}

function watch(files: string[]): { child: ChildProcess; result: Promise<WatchResult> } {
  const child = spawn(process.execPath, ['-e', WATCHER, JSON.stringify(files)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
  });
  const result = new Promise<WatchResult>((resolve, reject) => {
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as WatchResult);
      } catch {
        reject(new Error(`The file watcher printed no result: ${out}`));
      }
    });
  });
  return { child, result };
}

/** Frames of a recorder WAV, and how many consecutive samples do not step by one count. */
function checkCounter(path: string): { frames: number; breaks: number; first: number } {
  const file = readFileSync(path);
  const layout = parseWavLayout(file.subarray(0, 4096));
  if (!layout) throw new Error(`${path} is not a WAV`);
  const frames = Math.floor((file.length - layout.dataOffset) / layout.frameBytes);
  // Copied into an aligned array: a Buffer's offset need not be a multiple of 4.
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = file.readFloatLE(layout.dataOffset + i * 4);
  let breaks = 0;
  let previous = Math.round(samples[0]! * RATE);
  for (let i = 1; i < frames; i++) {
    // float32 holds n/48000 to well under half a count: rounding gives n back exactly.
    const count = Math.round(samples[i]! * RATE);
    if ((count - previous + RATE) % RATE !== 1) breaks++;
    previous = count;
  }
  return { frames, breaks, first: Math.round(samples[0]! * RATE) };
}

const pct = (cpuSeconds: number, wallSeconds: number) =>
  `${((cpuSeconds / wallSeconds) * 100).toFixed(2)} %`;

console.log(
  `${TRACKS} lavfi counter sources, ${MINUTES} min, mono 48 kHz float; ` +
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); Node ${process.version}`,
);

// ---------------------------------------------------------------------------------------------
// Ours: the Recorder engine, a take of exactly MINUTES minutes.
const expected = Math.round(MINUTES * 60 * RATE);
const takeDir = join(outDir, 'take');
const recorder = await Recorder.arm({
  sources: Array.from({ length: TRACKS }, (_, i) => ({
    name: `source-${i + 1}`,
    spec: `lavfi:${COUNTER}`,
  })),
});
const files = Array.from({ length: TRACKS }, (_, i) => join(takeDir, `track-${i + 1}.wav`));
const loop = monitorEventLoopDelay({ resolution: 10 });
// Started first, so spawning it is not counted; it waits for the files to appear.
const watcher = watch(files);
await recorder.start(takeDir, { frames: expected });
loop.enable();
const cpu0 = process.cpuUsage();
const children0 = ffmpegChildren();
const t0 = performance.now();
await recorder.whenComplete();
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// Read before stop() ends the captures (their CPU is gone with them).
const children1 = ffmpegChildren();
loop.disable();
const take = await recorder.stop();
await recorder.close();
watcher.child.stdin?.end();
const watched = await watcher.result;

const nodeCpu = (cpu.user + cpu.system) / 1e6;
let ffmpegCpu = 0;
for (const [pid, seconds] of children1) ffmpegCpu += seconds - (children0.get(pid) ?? 0);
const checks = files.map(checkCounter);

console.log('\nours: Recorder engine (Node paces, writes and fsyncs; one ffmpeg per source)');
console.log(
  `  Node process CPU        ${pct(nodeCpu, wall)} of one core over ${wall.toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s)   (goal < 10 %)`,
);
console.log(
  `  capture ffmpegs CPU     ${pct(ffmpegCpu, wall)} of one core for ${children1.size} processes together (separate processes)`,
);
console.log(
  `  event-loop delay        max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`,
);
for (const [i, check] of checks.entries()) {
  const file = watched.files[i]!;
  console.log(
    `  track-${i + 1}  ${check.frames} frames (expected ${expected}, ${check.frames - expected >= 0 ? '+' : ''}${check.frames - expected}), ` +
      `dropped/duplicated ${check.breaks}, first count ${check.first}, ` +
      `longest without growing ${file.maxStill.toFixed(0)} ms, between header syncs ${file.maxHeader.toFixed(0)} ms`,
  );
}
console.log(
  `  take.json: ${take.status}, frames ${take.tracks.map((t) => t.frames).join('/')}, errors ${take.tracks.filter((t) => t.error).length}; ` +
    `watcher resolution: worst tick ${watched.worstTick.toFixed(0)} ms (10 ms asked)`,
);

// ---------------------------------------------------------------------------------------------
// Reference: four `ffmpeg -re -f lavfi -i <counter> -t N out.wav` at once, as a naive recorder
// would run them. They are waited for by one shell, whose cutime/cstime then hold their CPU.
const refSeconds = REFERENCE_MINUTES * 60;
const refDir = join(outDir, 'reference');
const ffmpegs = Array.from(
  { length: TRACKS },
  (_, i) =>
    `ffmpeg -v error -nostdin -re -f lavfi -i "${COUNTER}" -t ${refSeconds} -c:a pcm_f32le "${refDir}/ref-${i + 1}.wav" &`,
).join('\n');
const shell = spawn(
  'sh',
  [
    '-c',
    // The shell's own cutime/cstime (fields 16, 17) once all four are waited for.
    `mkdir -p "${refDir}"\n${ffmpegs}\nwait\nawk '{ sub(/^.*\\) /, ""); print $14, $15 }' /proc/$$/stat`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let shellOut = '';
shell.stdout.setEncoding('utf8').on('data', (text: string) => {
  shellOut += text;
});
const r0 = performance.now();
await new Promise((resolve) => shell.on('close', resolve));
const refWall = (performance.now() - r0) / 1000;
const [cutime, cstime] = shellOut.trim().split(/\s+/).map(Number);
const refCpu = ((cutime ?? Number.NaN) + (cstime ?? Number.NaN)) / TICKS_PER_SECOND;
const refFrames = Array.from({ length: TRACKS }, (_, i) =>
  Math.floor((statSync(join(refDir, `ref-${i + 1}.wav`)).size - 80) / 4),
);
const oursTotal = nodeCpu + ffmpegCpu;
console.log(
  `\nreference: ${TRACKS} × ffmpeg -re -f lavfi … -t ${refSeconds} out.wav (no fsync), ${refWall.toFixed(1)} s`,
);
console.log(
  `  ffmpeg CPU              ${pct(refCpu, refWall)} of one core for ${TRACKS} processes together; ~${refFrames[0]} frames each`,
);
console.log(
  `  ours (Node + ffmpegs)   ${pct(oursTotal, wall)}   ratio ${(oursTotal / wall / (refCpu / refWall)).toFixed(2)}x the reference's CPU`,
);
