import { z } from 'zod';

/**
 * What the processing engine does to a recording, step by step, in the order it runs. One schema
 * for the presets on disk, the settings stored with an episode, the CLI's flags and the UI.
 */
export const ProcessingSettings = z
  .object({
    /** Removes rumble below 80 Hz (handling noise, air conditioning, desk bumps). */
    highPass: z.boolean(),
    /** Notches 50 or 60 Hz mains hum and its harmonics, only where hum is detected. */
    humRemoval: z.boolean(),
    denoise: z
      .object({
        /** fft: ffmpeg's afftdn, profiled on the quietest passage ("Standard"); rnn: RNNoise ("Voice AI"). */
        method: z.enum(['off', 'fft', 'rnn']),
        /** 0 to 1: how much of the noise to take away. */
        strength: z.number().min(0).max(1),
      })
      .strict(),
    /** Softens harsh "s" sounds. */
    deEsser: z.boolean(),
    /** Evens out a quiet and a loud speaker (and a speaker who drifts from the microphone). */
    leveler: z.boolean(),
    /** Pauses longer than maxPauseSeconds are shortened to it; nothing is removed outright. */
    trimSilence: z
      .object({ enabled: z.boolean(), maxPauseSeconds: z.number().min(0.3).max(10) })
      .strict(),
    /** Null: leave the loudness as it is. */
    loudness: z
      .object({
        targetLufs: z.number().min(-40).max(-5),
        truePeakDbtp: z.number().min(-10).max(0),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type ProcessingSettings = z.infer<typeof ProcessingSettings>;

export const denoiseMethodNames: Record<ProcessingSettings['denoise']['method'], string> = {
  off: 'Off',
  fft: 'Standard',
  rnn: 'Voice AI',
};

/** How the result is written; the container follows the output file's extension. */
export const OutputEncoding = z
  .object({
    /** WAV only. */
    wavBits: z.union([z.literal(16), z.literal(24)]).default(24),
    /** MP3 only: constant bit rate, or LAME's VBR quality 0 (best) to 9. */
    mp3: z
      .union([
        z.object({ mode: z.literal('cbr'), kbps: z.number().int().min(32).max(320) }).strict(),
        z.object({ mode: z.literal('vbr'), quality: z.number().int().min(0).max(9) }).strict(),
      ])
      .default({ mode: 'cbr', kbps: 128 }),
    /** M4A (AAC) only. */
    aacKbps: z.number().int().min(32).max(320).default(128),
  })
  .strict();
export type OutputEncoding = z.infer<typeof OutputEncoding>;

export const outputExtensions = ['.wav', '.flac', '.mp3', '.m4a'] as const;

export interface Levels {
  integratedLufs: number | null;
  lra: number;
  truePeakDbtp: number | null;
}

/** What a run did, in figures; written as JSON beside every output and shown in the UI. */
export interface ProcessingReport {
  input: string;
  output: string;
  settings: ProcessingSettings;
  durationSeconds: { before: number; after: number };
  before: Levels;
  after: Levels;
  /** Level of the quietest stretch of the input (the noise floor), in dBFS. */
  noiseFloorDbfs: number | null;
  humHz: 50 | 60 | null;
  silenceRemovedSeconds: number;
  /** Overall gain applied by the loudness step (after the leveler). */
  gainDb: number;
  /** Set when the gain needed was larger than the engine allows (near-silent input). */
  gainCapped: boolean;
  /** Loudness renders: more than 1 when the first missed the target by more than 0.5 LU. */
  passes: number;
  /** Plain-language remarks: what was detected, what could not be done and why. */
  notes: string[];
  /** Wall time per step, in milliseconds. */
  timingsMs: Record<string, number>;
}
