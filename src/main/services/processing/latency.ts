import { readFloatFrames } from '../ffmpeg/pcm-stream';
import { runFfmpeg } from '../ffmpeg/run';
import { WORK_RATE } from './raw-pcm';

const CLICK_AT = WORK_RATE;
const CLICK = `if(eq(n\\,${CLICK_AT})\\,0.5\\,0)+0.001*sin(2*PI*1000*t)`;
const cache = new Map<string, Promise<number>>();

/**
 * How many frames a filter chain delays its output (afftdn holds back half its window, for one).
 * Measured, not assumed, because it differs between ffmpeg versions: a click on a faint noise bed
 * goes through the chain and we look for where it comes out. Cached per chain.
 */
export function probeLatency(filters: string[]): Promise<number> {
  const key = filters.join(',');
  if (!key) return Promise.resolve(0);
  let probe = cache.get(key);
  if (!probe) {
    probe = measure(key);
    probe.catch(() => cache.delete(key));
    cache.set(key, probe);
  }
  return probe;
}

async function measure(chain: string): Promise<number> {
  let frame = 0;
  let peakAt = 0;
  let peak = 0;
  await runFfmpeg({
    what: 'Measuring the delay of the processing chain',
    args: [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-f', 'lavfi', '-i'],
      // The same click in both channels of a stereo probe: chains see one or two channels, and
      // one that keeps only the right (a dead left channel) must still hear it.
      `aevalsrc='${CLICK}|${CLICK}':s=${WORK_RATE}:d=2.5`,
      ...['-af', chain, '-ac', '1', '-c:a', 'pcm_f32le', '-f', 'f32le', '-'],
    ],
    consumeStdout: async (stdout) => {
      await readFloatFrames(stdout, 1, (samples, frames) => {
        for (let i = 0; i < frames; i++) {
          const v = Math.abs(samples[i]!);
          if (v > peak) {
            peak = v;
            peakAt = frame + i;
          }
        }
        frame += frames;
      });
    },
  });
  return Math.max(0, peakAt - CLICK_AT);
}
