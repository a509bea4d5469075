import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeManifest } from '../../src/main/services/recording/take';
import { WavTrackWriter } from '../../src/main/services/recording/wav-file';
import { MODEL_RATE } from '../../src/shared/time';

/** A pid that existed on this machine and has ended: a recorder that died. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * A take as a recorder that died mid-take leaves it, written with the recorder's own writer and
 * manifest: take.json says 'recording', each mono track holds `seconds` of a sine, its header
 * synced only at the halfway point, plus half a frame at the end.
 */
export async function writeCrashedTake(
  dir: string,
  tracks: { name: string; seconds: number; frequency: number }[],
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const files = tracks.map((_, i) => `track-${i + 1}.wav`);
  for (const [i, track] of tracks.entries()) {
    // A long sync interval: only the explicit sync below reaches the header.
    const writer = await WavTrackWriter.create(join(dir, files[i]!), 1, MODEL_RATE, 3_600_000);
    const frames = Math.round(track.seconds * MODEL_RATE);
    const samples = new Float32Array(frames);
    for (let n = 0; n < frames; n++)
      samples[n] = 0.25 * Math.sin((2 * Math.PI * track.frequency * n) / MODEL_RATE);
    const bytes = Buffer.from(samples.buffer);
    const half = Math.floor(frames / 2) * 4;
    await writer.append(bytes.subarray(0, half));
    await writer.sync();
    await writer.append(bytes.subarray(half));
    await writer.append(Buffer.alloc(2));
    await writer.close();
  }
  await writeManifest(dir, {
    version: 1,
    status: 'recording',
    sampleRate: MODEL_RATE,
    startedAt: new Date().toISOString(),
    stoppedAt: null,
    pid: deadPid(),
    hostname: hostname(),
    tracks: tracks.map((track, i) => ({
      file: files[i]!,
      name: track.name,
      source: `lavfi:sine=frequency=${track.frequency}`,
      channels: 1,
      frames: null,
      error: null,
    })),
  });
}
