import { parentPort, workerData } from 'node:worker_threads';
import { LoudnessMeter } from './loudness-meter';
import type { MeterRequest, MeterResult, MeterWorkerData } from './meter-stream';
import { TruePeakMeter } from './true-peak-meter';

// A meter on its own thread for audio that streams past the main thread (processing chunks):
// K-weighted sub-block energies and, when asked, true peak. Each block is acknowledged so the
// sender can keep only a few in flight.

const port = parentPort;
if (port) {
  const { sampleRate, channels, truePeak: wantPeak } = workerData as MeterWorkerData;
  const loudness = new LoudnessMeter(sampleRate, channels);
  const peak = wantPeak ? new TruePeakMeter(channels) : null;
  let samplePeak = 0;
  let frames = 0;
  port.on('message', (request: MeterRequest) => {
    if (request.kind === 'finish') {
      const result: MeterResult = {
        frames,
        subBlocks: loudness.subBlocks(),
        truePeak: peak?.linearPeak ?? null,
        samplePeak,
      };
      port.postMessage(result);
      port.close();
      return;
    }
    const n = request.samples.length / channels;
    if (request.kind === 'prime') {
      loudness.prime(request.samples, n);
      peak?.prime(request.samples, n);
    } else {
      loudness.push(request.samples, n);
      peak?.push(request.samples, n);
      for (const v of request.samples) samplePeak = Math.max(samplePeak, Math.abs(v));
      frames += n;
    }
    port.postMessage('ack');
  });
}
