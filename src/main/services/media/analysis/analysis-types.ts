import type { Loudness } from '../../../../shared/domain';
import type { PeaksLevel } from '../../../../shared/peaks';
import type { WavLayout } from './wav-layout';

/** What a decode needs to know about the file (from ffprobe). */
export interface StreamInput {
  path: string;
  sampleRate: number;
  channels: number;
  /** Expected length, for progress; null when unknown. */
  durationSec: number | null;
  /** ffprobe's container name: WAV input gets bigger packets, which a pipe needs. */
  container: string;
  /** Also write a 48 kHz FLAC working copy here, from the same decode. */
  workingCopyPath?: string;
}

export interface Analysis {
  frames: number;
  loudness: Loudness;
  peaks: PeaksLevel[];
}

/** One stretch of a PCM WAV: frames [start, end), primed by `primeFrames` frames before it. */
export interface SegmentTask {
  path: string;
  layout: WavLayout;
  start: number;
  end: number;
  primeFrames: number;
  /** False: no waveform peaks (nor sample peak) are built, only loudness and true peak. */
  waveform?: boolean;
}

export interface SegmentResult {
  frames: number;
  subBlocks: { sums: number[]; counts: number[] };
  truePeak: number;
  samplePeak: number;
  finestPeaks: Int16Array;
}

/** Work for the analysis worker thread, and what it answers. */
export type WorkerTask =
  | { kind: 'segment'; task: SegmentTask }
  | { kind: 'stream'; input: StreamInput };
export type WorkerRequest = WorkerTask | { kind: 'cancel' };
export type WorkerMessage =
  | { type: 'progress'; value: number }
  | { type: 'done'; result: SegmentResult | Analysis }
  | {
      type: 'failed';
      error: { code?: string; message: string; details?: Record<string, unknown> };
    };
