import { basename } from 'node:path';
import { DRIFT_CORRECTION_PPM, type TakeTrack } from '../../../shared/recording';
import { runFfmpeg } from '../ffmpeg/run';
import { writeAtomically } from '../files/atomic';

/** The resampler works on rates this many times the real ones, so a drift of 0.1 ppm is exact. */
const RATE_SCALE = 10_000;

/**
 * The ffmpeg filter that puts a take's track on the take's clock, or null when it already is:
 * a track whose first frame was captured `offsetFrames` after the take's start gets that much
 * silence in front (before it: that much cut off); a device clock off by more than one sample per
 * second is resampled to the computer's (its frames were really `rate × (1 + drift)` per second).
 */
export function alignmentFilter(sync: TakeTrack['sync'], sampleRate: number): string | null {
  if (!sync) return null;
  const filters: string[] = [];
  const drift = sync.driftPpm ?? 0;
  if (Math.abs(drift) > DRIFT_CORRECTION_PPM) {
    // aresample takes whole rates: scale both up so the ratio keeps the drift's precision, then
    // call the result what it is. The samples are the same as resampling at the real rates.
    const deviceRate = Math.round(sampleRate * RATE_SCALE * (1 + drift / 1e6));
    filters.push(
      `asetrate=${deviceRate}`,
      `aresample=${sampleRate * RATE_SCALE}:resampler=soxr:precision=28`,
      `asetrate=${sampleRate}`,
    );
  }
  if (sync.offsetFrames > 0) filters.unshift(`adelay=delays=${sync.offsetFrames}S:all=1`);
  if (sync.offsetFrames < 0)
    filters.unshift(`atrim=start_sample=${-sync.offsetFrames}`, 'asetpts=N/SR/TB');
  return filters.length > 0 ? filters.join(',') : null;
}

/**
 * Writes `path` aligned to the take's clock into `out` (32-bit float WAV, under a temporary name
 * until complete); false when the track needs nothing and `path` can be used as it is.
 */
export async function writeAlignedTrack(
  path: string,
  out: string,
  sync: TakeTrack['sync'],
  sampleRate: number,
): Promise<boolean> {
  const filter = alignmentFilter(sync, sampleRate);
  if (filter === null) return false;
  const what = `Lining up ${basename(path)} with the take`;
  await writeAtomically(
    out,
    async (temp) => {
      await runFfmpeg({
        what,
        args: [
          ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', path],
          ...['-af', filter, '-ar', String(sampleRate), '-c:a', 'pcm_f32le', '-f', 'wav', temp],
        ],
      });
    },
    what,
  );
  return true;
}
