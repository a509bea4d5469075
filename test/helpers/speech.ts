// Speech fixtures and quality metrics for processing tests, on real tools: espeak-ng speaks the
// text, ffmpeg resamples, decodes and meters. Everything is written at 48 kHz mono. Generated
// material is deterministic for a given seed (espeak-ng and ffmpeg are deterministic too).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ffmpegEbur128 } from './audio';

export const RATE = 48_000;

// ---------------------------------------------------------------------------------------------
// Reading and writing samples

/** Decodes any file ffmpeg reads to 48 kHz mono 32-bit float samples (channels are averaged). */
export function readMonoFloat(path: string): Float32Array {
  const bytes = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-nostdin', '-i', path, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-'],
    { maxBuffer: 2 ** 32 - 1 },
  );
  // Copy: the Buffer may sit at an offset in a pooled ArrayBuffer that is not 4-byte aligned.
  const samples = new Float32Array(bytes.length >> 2);
  new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.length * 4));
  return samples;
}

/**
 * Writes 48 kHz mono samples through ffmpeg; the container follows the extension. `encoding`
 * 'f32' (the default) keeps the samples exactly and never clips; 's16' is 16-bit PCM.
 */
export function writeMonoFloat(
  path: string,
  samples: Float32Array,
  encoding: 'f32' | 's16' = 'f32',
): string {
  const input = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const codec = path.toLowerCase().endsWith('.wav')
    ? ['-c:a', encoding === 'f32' ? 'pcm_f32le' : 'pcm_s16le']
    : [];
  execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'f32le',
      '-ar',
      String(RATE),
      '-ac',
      '1',
      '-i',
      'pipe:0',
      ...codec,
      path,
    ],
    { input, maxBuffer: 16 * 1024 * 1024 },
  );
  return path;
}

// ---------------------------------------------------------------------------------------------
// Speech

/** A small seeded PRNG (mulberry32): same seed, same text, pauses and noise. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES = [
  'Welcome back to the show, it is good to have you here again.',
  'Today we are talking about recording at home, and what actually matters.',
  'Honestly, the room you record in matters more than the microphone.',
  'I tried three different setups last month, and the cheapest one won.',
  'So the question everybody asks me is where to start.',
  'Start with what you have, and listen back with headphones.',
  'A soft blanket behind you does more than you would think.',
  'We got a lot of mail about the last episode, thank you for that.',
  'One listener asked how long it takes to edit a single hour.',
  'The answer is, it depends on how many times you say um.',
  'Let me read you a short story that came in this week.',
  'It was raining, the train was late, and the coffee was cold.',
  'She opened the laptop, pressed record, and simply started talking.',
  'That is the whole secret, really, you just have to start.',
  'Now, about levels, keep your peaks well below the top.',
  'If the meter turns red, you have already lost something.',
  'Our guest today has been making radio for twenty years.',
  'What surprised you most when you moved from radio to podcasts?',
  'Probably how personal it feels, people listen while they cook or walk.',
  'You are in their ears, so you speak to one person, not a crowd.',
  'Let us take a quick break, and then we will answer your questions.',
  'The first question is about noise from the street outside.',
  'Close the window, record at night, or move the desk away from it.',
  'A dynamic microphone close to your mouth helps a great deal.',
  'The second question is about loudness for the different platforms.',
  'Most of them turn you down or up anyway, so aim for the middle.',
  'Minus sixteen is a fine target for a spoken word show.',
  'And keep a little room at the top so nothing distorts.',
  'That is all for today, thanks for listening, and see you next week.',
  'Before we go, a quick word about the people who make this possible.',
  'Every episode takes about two days from the first idea to the upload.',
  'We write an outline, we record, we cut, and we listen again.',
  'Sometimes a good conversation needs almost no editing at all.',
  'Other times we move whole sections around until the story flows.',
  'Transcripts help a lot, because you can search for every topic.',
  'Chapters make long episodes easier to navigate for the listener.',
];

function ssmlFor(seconds: number, next: () => number): string {
  // About 2.7 words a second at espeak-ng's default 175 words a minute, plus the pauses; aim 25%
  // long so the file is trimmed rather than looped in the usual case.
  const parts: string[] = ['<speak>'];
  let estimate = 0;
  while (estimate < seconds * 1.25 + 2) {
    const sentence = SENTENCES[Math.floor(next() * SENTENCES.length)] ?? '';
    // Natural pauses: mostly short gaps between sentences, now and then a longer breath.
    const pauseMs = next() < 0.15 ? 900 + Math.round(next() * 700) : 200 + Math.round(next() * 450);
    parts.push(`${sentence} <break time="${pauseMs}ms"/>`);
    estimate += sentence.split(' ').length / 2.7 + pauseMs / 1000;
  }
  parts.push('</speak>');
  return parts.join('\n');
}

export interface SpeechOptions {
  /** An espeak-ng voice, with an optional variant: 'en-us' (default), 'en-gb+f3', 'en-us+m3'… */
  voice?: string;
  /** espeak-ng pitch, 0–99 (default 50). */
  pitch?: number;
  /** Words a minute (espeak-ng default 175). */
  speed?: number;
  /** Picks the sentences and pauses (default 1). */
  seed?: number;
  /** Gain after synthesis (default -3 dB: espeak-ng peaks near -1 dBFS before resampling). */
  gainDb?: number;
}

/**
 * Real speech from espeak-ng, `seconds` long (exactly, to the sample): seeded sentences with
 * pauses of 0.2–1.6 s between them, resampled to 48 kHz mono and written as 16-bit WAV. Long
 * material loops the synthesized text. Levels with the defaults: about -24 LUFS, peaks near -4 dBFS.
 */
export function cleanSpeech(path: string, seconds: number, options: SpeechOptions = {}): string {
  const work = mkdtempSync(join(tmpdir(), 'studio-speech-'));
  try {
    const textPath = join(work, 'text.ssml');
    const rawPath = join(work, 'raw.wav');
    writeFileSync(textPath, ssmlFor(seconds, random(options.seed ?? 1)));
    execFileSync('espeak-ng', [
      '-m',
      '-v',
      options.voice ?? 'en-us',
      '-p',
      String(options.pitch ?? 50),
      '-s',
      String(options.speed ?? 175),
      '-f',
      textPath,
      '-w',
      rawPath,
    ]);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      rawPath,
      '-af',
      `aresample=${RATE},volume=${options.gainDb ?? -3}dB`,
      '-ac',
      '1',
      '-ar',
      String(RATE),
      '-t',
      String(seconds),
      '-c:a',
      'pcm_s16le',
      path,
    ]);
    return path;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface Turn {
  /** Seconds from the start of the file. */
  start: number;
  end: number;
  speaker: 'A' | 'B';
}

export interface TwoSpeakersOptions {
  seconds: number;
  /** How much quieter speaker B is than speaker A, in LU of integrated loudness (default 12). */
  gapDb?: number;
  /** Length of each turn; the last one ends at `seconds`. */
  turnSeconds: number;
  /**
   * Integrated loudness of speaker A's speech (default -24 LUFS, a typical raw recording; speaker
   * A then peaks around -3 dBFS, espeak-ng's loudest sentences sit about 20 dB over its loudness).
   */
  levelLufs?: number;
  /** Voices of A and B (default: a low US male voice and a higher British female variant). */
  voices?: [SpeechOptions, SpeechOptions];
  seed?: number;
}

/** Clamp-free float copy of a 16-bit file with a gain. */
function scaled(samples: Float32Array, gainDb: number): Float32Array {
  const gain = 10 ** (gainDb / 20);
  return samples.map((x) => x * gain);
}

/**
 * A conversation: alternating turns of two espeak-ng voices (A first), B `gapDb` quieter. Each
 * voice is first brought to its integrated loudness (A at levelLufs, B at levelLufs - gapDb,
 * measured with ffmpeg's ebur128), then cut into turns from its own continuous speech, with 10 ms
 * fades at the cuts. Written as 32-bit float WAV (no clipping); returns the turn boundaries.
 */
export function twoSpeakers(
  path: string,
  options: TwoSpeakersOptions,
): { path: string; turns: Turn[] } {
  const { seconds, turnSeconds } = options;
  const gapDb = options.gapDb ?? 12;
  const level = options.levelLufs ?? -24;
  const seed = options.seed ?? 1;
  const [voiceA, voiceB] = options.voices ?? [
    { voice: 'en-us', pitch: 35 },
    { voice: 'en-gb+f3', pitch: 65 },
  ];
  const turns: Turn[] = [];
  const turnSamples = Math.round(turnSeconds * RATE);
  const total = Math.round(seconds * RATE);
  for (let at = 0, k = 0; at < total; at += turnSamples, k++)
    turns.push({
      start: at / RATE,
      end: Math.min(at + turnSamples, total) / RATE,
      speaker: k % 2 === 0 ? 'A' : 'B',
    });
  const speechSeconds = (speaker: 'A' | 'B') =>
    turns.filter((t) => t.speaker === speaker).reduce((sum, t) => sum + t.end - t.start, 0);

  const work = mkdtempSync(join(tmpdir(), 'studio-speakers-'));
  try {
    const voice = (speaker: 'A' | 'B', opts: SpeechOptions, seedOffset: number, target: number) => {
      const file = join(work, `${speaker}.wav`);
      cleanSpeech(file, Math.max(speechSeconds(speaker), 1), {
        seed: seed * 7919 + seedOffset,
        ...opts,
      });
      return scaled(readMonoFloat(file), target - ffmpegEbur128(file).integrated);
    };
    const a = voice('A', voiceA, 1, level);
    const b = voice('B', voiceB, 2, level - gapDb);

    const out = new Float32Array(total);
    const read = { A: 0, B: 0 };
    const fade = Math.round(0.01 * RATE);
    for (const turn of turns) {
      const source = turn.speaker === 'A' ? a : b;
      const from = Math.round(turn.start * RATE);
      const length = Math.round(turn.end * RATE) - from;
      const offset = read[turn.speaker];
      for (let i = 0; i < length; i++) {
        const edge = Math.min(1, i / fade, (length - 1 - i) / fade);
        out[from + i] = (source[offset + i] ?? 0) * edge;
      }
      read[turn.speaker] += length;
    }
    writeMonoFloat(path, out, 'f32');
    return { path, turns };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Noise

/** Gaussian white noise, unit RMS, seeded. */
export function whiteNoise(length: number, seed = 1): Float32Array {
  const next = random(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    // Box–Muller: two independent normal values per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const phi = 2 * Math.PI * next();
    out[i] = r * Math.cos(phi);
    if (i + 1 < length) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

/** Pink (1/f) noise, unit RMS, seeded: white noise through Paul Kellet's refined pink filter. */
export function pinkNoise(length: number, seed = 1): Float32Array {
  const white = whiteNoise(length, seed);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let i = 0; i < length; i++) {
    const w = white[i] ?? 0;
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    white[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return scaleToRms(white, 1);
}

/**
 * Mains hum, unit RMS: the fundamental (50 or 60 Hz) with its 2nd harmonic at -10 dB and its 3rd
 * at -6 dB (rectifier and transformer buzz is rich in odd harmonics), random phases from the seed.
 */
export function mainsHum(length: number, hz: 50 | 60, seed = 1): Float32Array {
  const next = random(seed ^ 0x9e3779b9);
  const partials = [
    { f: hz, a: 1, p: 2 * Math.PI * next() },
    { f: 2 * hz, a: 10 ** (-10 / 20), p: 2 * Math.PI * next() },
    { f: 3 * hz, a: 10 ** (-6 / 20), p: 2 * Math.PI * next() },
  ];
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    let v = 0;
    for (const { f, a, p } of partials) v += a * Math.sin((2 * Math.PI * f * i) / RATE + p);
    out[i] = v;
  }
  return scaleToRms(out, 1);
}

/** Sum of squares in double precision. */
function energy(x: ArrayLike<number>, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = x[i] ?? 0;
    sum += v * v;
  }
  return sum;
}

/** RMS over the whole signal (not only its active parts). */
export function rms(x: ArrayLike<number>): number {
  return x.length === 0 ? 0 : Math.sqrt(energy(x) / x.length);
}

function scaleToRms(x: Float32Array, target: number): Float32Array {
  const gain = target / (rms(x) || 1);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] ?? 0) * gain;
  return x;
}

export interface NoiseOptions {
  /** Speech to noise ratio: speech power over the power of everything added (noise + hum). */
  snrDb: number;
  color: 'pink' | 'white';
  /** Adds mains hum (with its 2nd and 3rd harmonics) at this frequency. */
  humHz?: 50 | 60;
  /** Hum level in dB relative to the speech RMS (default -30 dB); part of the noise budget. */
  humDb?: number;
  seed?: number;
}

/**
 * Writes clean speech plus noise to `outPath` (48 kHz mono, 32-bit float WAV, so nothing clips or
 * is quantized) and returns the SNR measured back from the two files with snrDb().
 *
 * Speech power is the mean square over the WHOLE clean file, pauses included (not only its
 * active parts), which is the same definition snrDb() uses: a file with 20% pauses has an active
 * speech level about 1 dB above it. The added signal (broadband noise, plus hum when asked) is
 * scaled so that speech power / added power is exactly snrDb; the hum keeps its humDb level and
 * the broadband noise takes the rest of the budget.
 */
export function mixWithNoise(cleanPath: string, outPath: string, options: NoiseOptions): number {
  const clean = readMonoFloat(cleanPath);
  const n = clean.length;
  const seed = options.seed ?? 1;
  const speechEnergy = energy(clean);
  const budget = speechEnergy * 10 ** (-options.snrDb / 10);
  const noise = options.color === 'pink' ? pinkNoise(n, seed) : whiteNoise(n, seed);
  const hum = options.humHz ? mainsHum(n, options.humHz, seed) : new Float32Array(n);
  if (options.humHz) scaleToRms(hum, rms(clean) * 10 ** ((options.humDb ?? -30) / 20));
  // Solve |g·noise + hum|² = budget for the noise gain g > 0.
  const nn = energy(noise);
  const hh = energy(hum);
  let nh = 0;
  for (let i = 0; i < n; i++) nh += (noise[i] ?? 0) * (hum[i] ?? 0);
  if (hh >= budget)
    throw new Error(
      `mixWithNoise: hum at ${options.humDb ?? -30} dB re speech already exceeds the noise allowed by an SNR of ${options.snrDb} dB`,
    );
  const g = (-nh + Math.sqrt(nh * nh + nn * (budget - hh))) / nn;
  const mixed = new Float32Array(n);
  for (let i = 0; i < n; i++) mixed[i] = (clean[i] ?? 0) + g * (noise[i] ?? 0) + (hum[i] ?? 0);
  writeMonoFloat(outPath, mixed, 'f32');
  return snrDb(clean, readMonoFloat(outPath));
}

// ---------------------------------------------------------------------------------------------
// Metrics

export interface AlignOptions {
  /**
   * Also try shifting `processed` by up to ±maxLagSamples against `clean` and keep the best
   * score (default 0: no search). Costs one pass over the signal per lag.
   */
  maxLagSamples?: number;
}

/** Applies `score(cleanFrom, processedFrom, length)` at each lag and keeps the best. */
function bestOverLags(
  clean: ArrayLike<number>,
  processed: ArrayLike<number>,
  maxLag: number,
  score: (c0: number, p0: number, length: number) => number,
): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    // processed[i + lag] is compared with clean[i].
    const c0 = Math.max(0, -lag);
    const p0 = c0 + lag;
    const length = Math.min(clean.length - c0, processed.length - p0);
    if (length <= 0) continue;
    best = Math.max(best, score(c0, p0, length));
  }
  return best;
}

/**
 * Signal to noise ratio in dB of `processed` against the reference `clean`:
 * 10·log10(Σ clean² / Σ (processed − clean)²) over the whole overlap (the shorter length), with
 * no rescaling, so a gain change counts as error. Infinity when they are identical.
 */
export function snrDb(
  clean: ArrayLike<number>,
  processed: ArrayLike<number>,
  options: AlignOptions = {},
): number {
  return bestOverLags(clean, processed, options.maxLagSamples ?? 0, (c0, p0, length) => {
    let signal = 0;
    let error = 0;
    for (let i = 0; i < length; i++) {
      const c = clean[c0 + i] ?? 0;
      const d = (processed[p0 + i] ?? 0) - c;
      signal += c * c;
      error += d * d;
    }
    return 10 * Math.log10(signal / error);
  });
}

/**
 * Scale-invariant SDR in dB (Le Roux et al., "SDR – half-baked or well done?", 2019): both
 * signals made zero-mean over the overlap, target = (⟨p,c⟩/‖c‖²)·c, error = p − target,
 * SI-SDR = 10·log10(‖target‖² / ‖error‖²). Any gain on `processed` gives the same value.
 * Infinity when `processed` is an exact multiple of `clean`.
 */
export function siSdrDb(
  clean: ArrayLike<number>,
  processed: ArrayLike<number>,
  options: AlignOptions = {},
): number {
  return bestOverLags(clean, processed, options.maxLagSamples ?? 0, (c0, p0, length) => {
    let meanC = 0;
    let meanP = 0;
    for (let i = 0; i < length; i++) {
      meanC += clean[c0 + i] ?? 0;
      meanP += processed[p0 + i] ?? 0;
    }
    meanC /= length;
    meanP /= length;
    let cc = 0;
    let pc = 0;
    let pp = 0;
    for (let i = 0; i < length; i++) {
      const c = (clean[c0 + i] ?? 0) - meanC;
      const p = (processed[p0 + i] ?? 0) - meanP;
      cc += c * c;
      pc += p * c;
      pp += p * p;
    }
    // ‖αc‖² = pc²/cc; ‖p − αc‖² = pp − pc²/cc (clamped: rounding can make it slightly negative).
    const target = (pc * pc) / cc;
    const error = Math.max(pp - target, 0);
    return 10 * Math.log10(target / error);
  });
}

// ---------------------------------------------------------------------------------------------
// Loudness over time

export interface ShortTermValue {
  /** End of the 3 s window, in seconds (a value every 0.1 s). */
  t: number;
  /** Short-term loudness (EBU R128 S, 3 s window) in LUFS; about -120 in digital silence. */
  lufs: number;
}

/**
 * Short-term loudness every 100 ms from ffmpeg's ebur128 filter (metadata=1, printed by
 * ametadata to a file, three decimals). ebur128 tags each 100 ms frame with S measured over the
 * 3 s ending with that frame, so t = frame start + 0.1 s. The first 30 values cover less than 3 s.
 */
export function shortTermLoudness(path: string): ShortTermValue[] {
  const work = mkdtempSync(join(tmpdir(), 'studio-ebur128-'));
  try {
    // Relative file name, run in the temp dir: no escaping of the path inside the filter graph.
    execFileSync(
      'ffmpeg',
      [
        '-v',
        'error',
        '-nostdin',
        '-i',
        resolve(path),
        '-af',
        'ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.S:file=short-term.txt',
        '-f',
        'null',
        '-',
      ],
      { cwd: work },
    );
    const values: ShortTermValue[] = [];
    let start: number | null = null;
    for (const line of readFileSync(join(work, 'short-term.txt'), 'utf8').split('\n')) {
      const frame = /pts_time:(-?[\d.]+)/.exec(line);
      if (frame) start = Number(frame[1]);
      const value = /^lavfi\.r128\.S=(-?[\d.]+|-?inf)/.exec(line);
      if (value && start !== null) {
        const lufs = value[1]?.endsWith('inf') ? Number.NEGATIVE_INFINITY : Number(value[1]);
        values.push({ t: Math.round((start + 0.1) * 1000) / 1000, lufs });
        start = null;
      }
    }
    return values;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * For each range, the median short-term loudness over the middle of it: the values whose whole
 * 3 s window lies inside the range, i.e. start + 3 ≤ t ≤ end (so the neighbouring turns do not
 * leak in). NaN for a range shorter than the window. Ranges are seconds, e.g. twoSpeakers' turns.
 */
export function medianShortTermIn(
  values: readonly ShortTermValue[],
  ranges: ReadonlyArray<{ start: number; end: number }>,
  windowSeconds = 3,
): number[] {
  const eps = 1e-6;
  return ranges.map(({ start, end }) =>
    median(
      values
        .filter(({ t }) => t - windowSeconds >= start - eps && t <= end + eps)
        .map(({ lufs }) => lufs),
    ),
  );
}
