/** One `-progress` block from ffmpeg, reduced to what the UI needs. */
export interface FfmpegProgress {
  /** Seconds of output written so far. */
  outTimeSec: number;
  /** Realtime factor, e.g. 45 for "45x"; null while unknown. */
  speed: number | null;
  done: boolean;
}

/** Parses one block of `key=value` lines ending in `progress=continue|end`. */
export function parseProgressBlock(block: string): FfmpegProgress | null {
  const values = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const progress = values.get('progress');
  if (progress !== 'continue' && progress !== 'end') return null;
  // out_time_us is the precise one; out_time_ms is also microseconds, a long-standing ffmpeg quirk.
  const micros = Number(values.get('out_time_us') ?? values.get('out_time_ms'));
  const speedText = values.get('speed');
  const speed = speedText?.endsWith('x') ? Number(speedText.slice(0, -1)) : Number.NaN;
  return {
    outTimeSec: Number.isFinite(micros) && micros >= 0 ? micros / 1e6 : 0,
    speed: Number.isFinite(speed) ? speed : null,
    done: progress === 'end',
  };
}
