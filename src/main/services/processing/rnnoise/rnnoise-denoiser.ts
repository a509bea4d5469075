/**
 * RNNoise noise reduction ("Voice AI") for 48 kHz mono float PCM, running in Node on WebAssembly.
 *
 * Package: @shiguredo/rnnoise-wasm, chosen over @jitsi/rnnoise-wasm (both checked with `npm view`
 * and run on this machine's Node 20; figures from 12 s of espeak-ng speech at 48 kHz):
 * - it is built from current upstream RNNoise (emscripten 4, 2025) with the model inside (the wasm
 *   is inlined as base64, so there is no .wasm file to locate at run time, bundled or not);
 *   jitsi's sync build carries an older, smaller model that leaves a 120 Hz hum untouched
 *   (0 dB against 18 dB here), though it is about twice as fast (1.9 against 4.1 s per minute);
 * - it is a real ES module with an `exports` map, TypeScript types and an SPDX license
 *   (Apache-2.0); jitsi ships ESM in a package without "type": "module", no types and no
 *   `license` field (npm lists it as "Proprietary").
 * Its one catch: the glue is built for the web only and refuses to start unless `window` or
 * `WorkerGlobalScope` exists. Nothing else in it touches a browser API (the wasm comes from the
 * inlined base64, not fetch), so loadRnnoise() defines WorkerGlobalScope for the synchronous
 * moment that check runs and removes it again.
 */
import { type DenoiseState, Rnnoise } from '@shiguredo/rnnoise-wasm';
import { StudioError } from '../../../../shared/errors';

/** RNNoise's fixed frame: 10 ms at 48 kHz. */
const FRAME = 480;
/**
 * How far RNNoise's output trails its input, in samples: two frames (20 ms), measured with a click
 * (test/services/processing/rnnoise.test.ts checks it stays exact).
 */
const LATENCY = 2 * FRAME;
/** RNNoise expects int16-range samples held in floats. */
const INT16_SCALE = 32768;
/** The dry signal kept for the wet/dry mix: at least LATENCY + 2 frames, a power of two to mask. */
const DRY_RING = 2048;
const DRY_MASK = DRY_RING - 1;

export interface RnnoiseOptions {
  /** Wet/dry mix in [0, 1]: 1 is fully denoised, 0 the original (time-aligned). */
  strength: number;
}

let loading: Promise<Rnnoise> | undefined;

/**
 * One wasm instance per thread (its compile is the slow part), shared by every denoiser on that
 * thread; each denoiser has its own RNNoise state inside it.
 */
function loadRnnoise(): Promise<Rnnoise> {
  loading ??= startLoad().catch((error: unknown) => {
    loading = undefined;
    throw new StudioError('internal', `RNNoise could not start: ${(error as Error).message}`);
  });
  return loading;
}

function startLoad(): Promise<Rnnoise> {
  const scope = globalThis as { WorkerGlobalScope?: unknown };
  if ('window' in globalThis || 'WorkerGlobalScope' in globalThis) return Rnnoise.load();
  // The environment check runs synchronously inside load(), before its first await.
  scope.WorkerGlobalScope = class WorkerGlobalScope {};
  try {
    return Rnnoise.load();
  } finally {
    delete scope.WorkerGlobalScope;
  }
}

/** Creates a denoiser; loads the wasm module on first use in this thread. */
export async function createRnnoiseDenoiser(options: RnnoiseOptions): Promise<RnnoiseDenoiser> {
  const { strength } = options;
  if (!Number.isFinite(strength) || strength < 0 || strength > 1) {
    throw new StudioError(
      'invalid_input',
      `Noise reduction strength must be 0 to 1, not ${strength}`,
    );
  }
  return new RnnoiseDenoiser(await loadRnnoise(), strength);
}

/**
 * A stream denoiser. Feed blocks of any size to process(); each call returns the samples that are
 * ready (fewer than given at first, as RNNoise works in whole frames and trails by LATENCY), and
 * flush() returns the rest. Over a stream the output has exactly as many samples as the input and
 * lines up with it sample for sample. After flush() the denoiser starts a fresh stream.
 */
export class RnnoiseDenoiser {
  static readonly sampleRate = 48_000;
  /** The delay compensated inside; callers never see it. */
  static readonly latencySamples = LATENCY;

  readonly strength: number;
  readonly #rnnoise: Rnnoise;
  #state: DenoiseState | undefined;
  readonly #wetGain: number;
  readonly #dryGain: number;
  /** The frame being filled, in int16 range; RNNoise overwrites it with its output. */
  readonly #frame = new Float32Array(FRAME);
  #filled = 0;
  /** Recent input, indexed by sample number, for the dry part of the mix. */
  readonly #dry = new Float32Array(DRY_RING);
  /** Samples taken in, RNNoise output samples made, and aligned samples handed out (this stream). */
  #taken = 0;
  #made = 0;
  #given = 0;

  /** Use createRnnoiseDenoiser(). */
  constructor(rnnoise: Rnnoise, strength: number) {
    this.#rnnoise = rnnoise;
    this.strength = strength;
    this.#wetGain = strength / INT16_SCALE;
    this.#dryGain = 1 - strength;
    this.#state = rnnoise.createDenoiseState();
  }

  process(input: Float32Array): Float32Array {
    const state = this.#live();
    const frames = Math.floor((this.#filled + input.length) / FRAME);
    const out = new Float32Array(Math.max(0, this.#made + frames * FRAME - LATENCY) - this.#given);
    let written = 0;
    for (let i = 0; i < input.length; ) {
      const n = Math.min(FRAME - this.#filled, input.length - i);
      for (let k = 0; k < n; k++) {
        const x = input[i + k]!;
        this.#frame[this.#filled + k] = x * INT16_SCALE;
        this.#dry[(this.#taken + k) & DRY_MASK] = x;
      }
      this.#filled += n;
      this.#taken += n;
      i += n;
      if (this.#filled === FRAME) written = this.#runFrame(state, out, written);
    }
    return out;
  }

  /** Ends the stream: returns every sample still owed, then resets for a new stream. */
  flush(): Float32Array {
    let state = this.#live();
    const out = new Float32Array(this.#taken - this.#given);
    let written = 0;
    // Zeros push the last real samples through RNNoise's delay; they never reach the output.
    while (this.#given < this.#taken) {
      this.#frame.fill(0, this.#filled);
      written = this.#runFrame(state, out, written);
    }
    // A fresh RNNoise state, so the next stream does not start with this one's tail.
    state.destroy();
    state = this.#rnnoise.createDenoiseState();
    this.#state = state;
    this.#filled = 0;
    this.#taken = 0;
    this.#made = 0;
    this.#given = 0;
    return out;
  }

  /** Frees this denoiser's RNNoise state in the wasm heap; later calls throw. */
  destroy(): void {
    this.#state?.destroy();
    this.#state = undefined;
  }

  #live(): DenoiseState {
    if (!this.#state) throw new StudioError('internal', 'This RNNoise denoiser was destroyed');
    return this.#state;
  }

  /** Denoises the full frame and writes its aligned, mixed samples to out from `at`. */
  #runFrame(state: DenoiseState, out: Float32Array, at: number): number {
    const frame = this.#frame;
    // At strength 0 the wet part is multiplied by zero anyway: skip the work.
    if (this.#wetGain > 0) state.processFrame(frame);
    let written = at;
    for (let k = 0; k < FRAME; k++) {
      // RNNoise output sample `made + k` belongs to input sample `made + k - LATENCY`.
      const t = this.#made + k - LATENCY;
      if (t < 0 || t >= this.#taken) continue;
      out[written++] = this.#wetGain * frame[k]! + this.#dryGain * this.#dry[t & DRY_MASK]!;
    }
    this.#made += FRAME;
    this.#given += written - at;
    this.#filled = 0;
    return written;
  }
}
