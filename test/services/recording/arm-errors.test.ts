// Arming with a source that cannot be captured: a clear error naming the track, nothing left
// running. Real ffmpeg on this machine (which has no sound card); the OS's wording for a busy
// device or a refused microphone is matched on the stderr lines ffmpeg prints for them.
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../../src/main/services/recording/recorder';
import { deviceProblem } from '../../../src/main/services/recording/track-capture';
import { StudioError } from '../../../src/shared/errors';

const failed = (stderr: string[]) =>
  new StudioError('ffmpeg_failed', 'Recording failed', { exitCode: 1, stderr });

describe('arming a source that cannot be captured', () => {
  it('an ALSA device that does not exist fails the arm with the track’s name and ffmpeg’s reason', async () => {
    const error = await Recorder.arm({
      sources: [
        { name: 'tone', spec: 'lavfi:sine=frequency=440:sample_rate=48000' },
        { name: 'usb mic', spec: 'alsa:hw:9,0' },
      ],
      armTimeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('audio_unavailable');
    expect((error as StudioError).message).toMatch(/^Cannot record "usb mic": .*hw:9,0/);
  });

  it('says what to do when the device is busy or the microphone is refused', () => {
    expect(
      deviceProblem(
        failed([
          '[alsa @ 0x55d0c8a1c2c0] cannot open audio device hw:1,0 (Device or resource busy)',
          'hw:1,0: Input/output error',
        ]),
      ),
    ).toMatch(/in use by another program.*choose another device/);
    expect(
      deviceProblem(
        failed([
          '[AVFoundation indev @ 0x7f8] Failed to create AV capture input device: Cannot use MacBook Pro Microphone (not authorized to capture audio)',
        ]),
      ),
    ).toMatch(/refused access to the microphone.*Privacy & Security › Microphone/);
    expect(deviceProblem(failed(['Something else entirely']))).toBeNull();
    expect(deviceProblem(new StudioError('cancelled', 'stopped'))).toBeNull();
  });
});
