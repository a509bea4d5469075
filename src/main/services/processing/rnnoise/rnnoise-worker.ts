import { parentPort, workerData } from 'node:worker_threads';
import { StudioError } from '../../../../shared/errors';
import { createRnnoiseDenoiser } from './rnnoise-denoiser';
import type {
  RnnoiseWorkerData,
  RnnoiseWorkerMessage,
  RnnoiseWorkerRequest,
} from './rnnoise-worker-task';

// The RNNoise worker thread: one denoiser, one stream, so Electron's main thread stays responsive
// (RNNoise costs seconds of CPU per minute of audio). Requests are answered in the order they come.

const port = parentPort;
if (port) {
  const { strength } = workerData as RnnoiseWorkerData;
  const send = (message: RnnoiseWorkerMessage, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  const fail = (error: unknown) => {
    const { code, message } =
      error instanceof StudioError
        ? error
        : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
    send({ type: 'failed', error: { code, message } });
    port.close();
  };
  // Requests that arrive while the wasm loads wait on this promise, so their order holds.
  const ready = createRnnoiseDenoiser({ strength }).catch((error: unknown) => {
    fail(error);
    return undefined;
  });
  port.on('message', (request: RnnoiseWorkerRequest) => {
    void ready.then((denoiser) => {
      if (!denoiser) return;
      try {
        const samples =
          request.kind === 'process' ? denoiser.process(request.samples) : denoiser.flush();
        send({ type: 'samples', samples }, [samples.buffer as ArrayBuffer]);
        if (request.kind === 'flush') {
          denoiser.destroy();
          port.close();
        }
      } catch (error) {
        fail(error);
      }
    });
  });
}
