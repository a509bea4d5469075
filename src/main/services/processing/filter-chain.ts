import type { ProcessingSettings } from '../../../shared/processing';
import { WORK_RATE } from './raw-pcm';
import type { Survey } from './survey';

/** The cleanup steps as ffmpeg filters, split where the RNNoise step (run in Node) sits. */
export interface CleanChain {
  /** Before noise reduction: channel fix, rumble, hum. */
  before: string[];
  /** afftdn with its profile commands, when the Standard denoiser is on. */
  denoise: string[];
  /** After noise reduction: de-esser, leveler. */
  after: string[];
  /** Channels coming out of the chain. */
  channels: 1 | 2;
}

const HIGH_PASS_HZ = 80;
/** Harmonics notched above the mains frequency: 50, 100, 150, 200 Hz (or 60 … 240 Hz). */
const HUM_HARMONICS = 4;
/** Notch quality: about 2 Hz wide at 50 Hz, so voices lose nothing audible. */
const HUM_Q = 25;
/** The de-esser's intensity for speech at this level (survey's activeLevelDbfs). */
const DEESSER_LEVEL_DBFS = -20;
const DEESSER_INTENSITY = 0.6;

export function buildCleanChain(
  settings: ProcessingSettings,
  survey: Survey,
  profileSeconds: number | null,
): CleanChain {
  const before: string[] = [];
  let channels = survey.channels;
  if (survey.deadChannel !== null) {
    // Keep the live side only: averaging with a dead one would cost 6 dB and widen nothing.
    before.push(`pan=mono|c0=c${survey.deadChannel === 0 ? 1 : 0}`);
    channels = 1;
  }
  if (settings.highPass) before.push(`highpass=f=${HIGH_PASS_HZ}:poles=2`);
  if (settings.humRemoval && survey.humHz) {
    for (let k = 1; k <= HUM_HARMONICS; k++)
      before.push(`bandreject=f=${survey.humHz * k}:width_type=q:width=${HUM_Q}`);
  }

  const denoise: string[] = [];
  if (settings.denoise.method === 'fft' && settings.denoise.strength > 0) {
    // afftdn learns the noise's spectrum from the quietest second, played first (see
    // renderChunks' prefix), and keeps that profile for the rest.
    const reduction = (6 + 30 * settings.denoise.strength).toFixed(1);
    // afftdn's noise floor works best about 6 dB over the noise's RMS (measured on speech in pink
    // noise at 5 to 20 dB SNR: +2.5 dB SI-SDR, against +1.3 at the RMS itself); the survey's
    // 5th-percentile floor reads about 1 dB under the RMS.
    const floor = Math.min(-20, Math.max(-80, Math.round((survey.noiseFloorDbfs ?? -57) + 7)));
    if (profileSeconds)
      denoise.push(
        `asendcmd=c='0.0 afftdn sn start;${(profileSeconds - 0.05).toFixed(3)} afftdn sn stop'`,
      );
    denoise.push(`afftdn=nr=${reduction}:nf=${floor}:rf=-70`);
  }

  const after: string[] = [];
  if (settings.deEsser) {
    // deesser ducks by (intensity^5)^2 x (the waveform's steepness)^4: with one intensity, the
    // same voice is ducked hard when recorded hot and not at all when recorded quietly. The
    // intensity follows the speech level instead (x 10^(-dB/50) keeps the ducking the same), up
    // to its maximum 11 dB under the reference. Raising the audio for it would push clicks past
    // full scale, where its filter runs away.
    const level = survey.activeLevelDbfs ?? DEESSER_LEVEL_DBFS;
    const intensity = Math.min(1, DEESSER_INTENSITY * 10 ** ((DEESSER_LEVEL_DBFS - level) / 50));
    after.push(`deesser=i=${intensity.toFixed(3)}:m=0.5:f=0.5:s=o`);
  }
  if (settings.leveler) {
    // Short frames and a short smoothing window (15 x 250 ms) follow a change of speaker within
    // seconds; below the threshold (just above the noise floor) frames are left alone, so pauses
    // are not pumped up.
    const threshold = 10 ** (((survey.noiseFloorDbfs ?? -70) + 12) / 20);
    after.push(`dynaudnorm=f=250:g=15:m=10:p=0.9:t=${Math.min(0.1, threshold).toFixed(5)}`);
  }
  return { before, denoise, after, channels };
}

/**
 * Gain, then a limiter at twice the rate so it catches most peaks between samples, then back
 * down. 2x rather than 4x: 40 % less time, and what it misses (about 0.1 dB here) is inside the
 * ceiling's margin, which the measured result checks anyway.
 */
export function limiterChain(gainDb: number, ceilingDb: number): string[] {
  const limit = Math.max(0.0625, 10 ** (ceilingDb / 20)).toFixed(5);
  return [
    `volume=${gainDb.toFixed(2)}dB`,
    `aresample=${WORK_RATE * 2}`,
    `alimiter=limit=${limit}:level=false:attack=1:release=60:latency=true`,
    `aresample=${WORK_RATE}`,
  ];
}
