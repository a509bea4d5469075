// The take's shared clock: exact lengths, sources that stay sample-aligned, pauses that cut every
// track at the same instant, markers on the take's timeline, and a lost device that leaves the
// other tracks recording. Real ffmpeg captures; a private PulseAudio daemon for the device cases.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureClock } from '../../../src/main/services/recording/capture-clock';
import { Recorder } from '../../../src/main/services/recording/recorder';
import { readManifest } from '../../../src/main/services/recording/take';
import { parseWavLayout } from '../../../src/main/services/recording/wav-file';
import { generate, tempDir } from '../../helpers/audio';
import { pulseForThisFile } from '../../helpers/pulse';

const dir = tempDir('studio-sync-');
const pulse = pulseForThisFile();
const RATE = 48_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Channel 0 of a recorder WAV. */
function channel0(path: string): Float32Array {
  const file = readFileSync(path);
  const layout = parseWavLayout(file.subarray(0, 4096));
  if (!layout) throw new Error(`${path} is not a WAV`);
  const data = file.subarray(layout.dataOffset);
  const frames = Math.floor(data.length / layout.frameBytes);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = data.readFloatLE(i * layout.frameBytes);
  return out;
}

/** Where a signal first rises above `threshold` after each stretch of quiet (one per click). */
function clickFrames(samples: Float32Array, threshold = 0.3, quietFrames = 4800): number[] {
  const found: number[] = [];
  let last = -quietFrames;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) < threshold) continue;
    if (i - last >= quietFrames) found.push(i);
    last = i;
  }
  return found;
}

/** One sample at 0.9 once a second (at each whole second of the source's own time). */
const CLICKS = "aevalsrc=exprs='if(eq(mod(n\\,48000)\\,0)\\,0.9\\,0)':s=48000";

describe('one clock for the take', () => {
  it('a 60 s take of a test source and a file holds exactly 2,880,000 frames per track, their clicks on the same frames', async () => {
    const clickFile = generate(join(dir, 'clicks.wav'), `${CLICKS}:d=70`, ['-c:a', 'pcm_f32le']);
    const recorder = await Recorder.arm({
      sources: [
        { name: 'generated', spec: `lavfi:${CLICKS}` },
        { name: 'played', spec: `file:${clickFile}` },
      ],
    });
    const out = join(dir, 'sixty');
    await recorder.start(out, { frames: 60 * RATE });
    await recorder.whenComplete();
    const take = await recorder.stop();
    expect(take.tracks.map((t) => t.frames)).toEqual([2_880_000, 2_880_000]);
    // Paced sources run on the computer's clock itself: no offset, no drift.
    expect(take.tracks.map((t) => t.sync)).toEqual([
      { offsetFrames: 0, driftPpm: 0 },
      { offsetFrames: 0, driftPpm: 0 },
    ]);
    const a = clickFrames(channel0(join(out, 'track-1.wav')));
    const b = clickFrames(channel0(join(out, 'track-2.wav')));
    expect(a.length).toBeGreaterThanOrEqual(59);
    expect(b).toEqual(a);
    // A click every 48000 frames: nothing dropped or repeated between them.
    for (let i = 1; i < a.length; i++) expect(a[i]! - a[i - 1]!).toBe(RATE);
  }, 120_000);

  it('two captures of one PulseAudio device hear the same clicks within 1 ms of each other', async () => {
    const sink = pulse.current.loadNullSink('clicks', { channels: 1 });
    try {
      // Clicks half-way through each second, so none falls on paplay's very first sample.
      const offBeat = CLICKS.replace('\\,0)\\,0.9', '\\,24000)\\,0.9');
      const clickFile = generate(join(dir, 'paplay-clicks.wav'), `${offBeat}:d=4`, [
        '-c:a',
        'pcm_s16le',
      ]);
      const recorder = await Recorder.arm({
        sources: [
          { name: 'a', spec: 'pulse:clicks.monitor' },
          { name: 'tone', spec: 'lavfi:sine=frequency=440:sample_rate=48000' },
          { name: 'b', spec: 'pulse:clicks.monitor' },
        ],
        env: pulse.current.env,
      });
      const out = join(dir, 'pulse-clicks');
      await recorder.start(out);
      const player = spawn('paplay', ['-d', 'clicks', clickFile], { env: pulse.current.env });
      await new Promise((resolve) => player.on('exit', resolve));
      await sleep(300);
      const take = await recorder.stop();
      const a = clickFrames(channel0(join(out, 'track-1.wav')));
      const b = clickFrames(channel0(join(out, 'track-3.wav')));
      expect(a.length).toBeGreaterThanOrEqual(3);
      expect(b.length).toBe(a.length);
      const [offA, , offB] = take.tracks.map((t) => t.sync!.offsetFrames);
      for (const [i, frame] of a.entries()) {
        // In the files as written, and on the take's clock by the offsets measured over the take
        // (which adding the take to an episode applies).
        expect(Math.abs(frame - b[i]!)).toBeLessThanOrEqual(48);
        expect(Math.abs(frame + offA! - (b[i]! + offB!))).toBeLessThanOrEqual(24);
      }
      // The recorder aimed every file at the take's start; the whole take's measurement agrees.
      for (const track of take.tracks) expect(Math.abs(track.sync!.offsetFrames)).toBeLessThan(48);
      // Too short to tell a device's drift; a paced source has none.
      expect(take.tracks.map((t) => t.sync!.driftPpm)).toEqual([null, 0, null]);
    } finally {
      pulse.current.unloadModule(sink);
    }
  }, 60_000);

  it('pause cuts every track at the same frame; markers land on the take’s timeline and in take.json at once', async () => {
    // A ramp that counts frames, so a pause shows as a jump in the count.
    const ramp = "aevalsrc=exprs='mod(n\\,48000)/48000':s=48000";
    const recorder = await Recorder.arm({
      sources: [
        { name: 'one', spec: `lavfi:${ramp}` },
        { name: 'two', spec: `lavfi:${ramp}` },
      ],
    });
    const out = join(dir, 'paused');
    // Every instant is taken when it happens and handed over, so timers that fire late on a busy
    // machine move the expectations with them.
    const startMs = performance.now();
    await recorder.start(out, { atMs: startMs });
    expect(recorder.state).toBe('recording');
    await sleep(1000);
    const markerMs = performance.now();
    const marker = await recorder.addMarker('First point', markerMs);
    expect(marker.frame).toBe(Math.round(((markerMs - startMs) * RATE) / 1000));
    expect((await readManifest(out)).markers).toEqual([marker]);
    const pauseMs = performance.now();
    recorder.pause(pauseMs);
    expect(recorder.state).toBe('paused');
    const pausedAt = recorder.elapsedFrames();
    await sleep(700);
    expect(recorder.elapsedFrames()).toBe(pausedAt);
    const resumeMs = performance.now();
    recorder.resume(resumeMs);
    await sleep(1000);
    const elapsed = recorder.elapsedFrames();
    const take = await recorder.stop();

    expect(take.markers).toEqual([marker]);
    const [one, two] = [1, 2].map((n) => channel0(join(out, `track-${n}.wav`)));
    expect(one!.length).toBe(two!.length);
    // Within one pacer tick (20 ms) and what was already written when the call came.
    const tick = RATE * 0.03;
    expect(Math.abs(one!.length - elapsed)).toBeLessThan(tick);
    const jumps = (samples: Float32Array) => {
      const found: { at: number; skipped: number }[] = [];
      for (let i = 1; i < samples.length; i++) {
        const step = Math.round((samples[i]! - samples[i - 1]!) * RATE);
        if (step !== 1 && step !== 1 - RATE)
          found.push({ at: i, skipped: (((step - 1) % RATE) + RATE) % RATE });
      }
      return found;
    };
    const cutOne = jumps(one!);
    expect(cutOne).toHaveLength(1);
    expect(jumps(two!)).toEqual(cutOne);
    // The pause's length was left out, at the pause's place.
    expect(Math.abs(cutOne[0]!.skipped - ((resumeMs - pauseMs) * RATE) / 1000)).toBeLessThan(tick);
    expect(Math.abs(cutOne[0]!.at - pausedAt)).toBeLessThan(tick);
  }, 30_000);

  it('a device unplugged mid-take is reported while the other track keeps recording', async () => {
    const sink = pulse.current.loadNullSink('usbmic', { channels: 1 });
    const lost: { track: number; message: string }[] = [];
    const recorder = await Recorder.arm({
      sources: [
        { name: 'tone', spec: 'lavfi:sine=frequency=440:sample_rate=48000' },
        { name: 'mic', spec: 'pulse:usbmic.monitor' },
      ],
      env: pulse.current.env,
      onTrackLost: (track, message) => lost.push({ track, message }),
    });
    const out = join(dir, 'unplugged');
    await recorder.start(out);
    await sleep(1000);
    pulse.current.unloadModule(sink);
    for (let i = 0; i < 50 && lost.length === 0; i++) await sleep(100);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.track).toBe(1);
    expect(recorder.trackErrors()[1]).toBe(lost[0]!.message);
    expect(recorder.state).toBe('recording');
    await sleep(1000);
    const take = await recorder.stop();
    const [tone, mic] = take.tracks;
    expect(tone!.error).toBeNull();
    expect(mic!.error).toBe(lost[0]!.message);
    expect(take.durations[0]!).toBeGreaterThan(take.durations[1]! + 0.5);
    expect(take.durations[1]!).toBeGreaterThan(0.5);
  }, 30_000);
  it('a marker whose take.json write failed does not stop the next one; a paused take is still synced', async () => {
    const recorder = await Recorder.arm({
      sources: [{ name: 'one', spec: 'lavfi:sine=frequency=440:sample_rate=48000' }],
    });
    const out = join(dir, 'marker-retry');
    await recorder.start(out);
    await sleep(300);
    // take.json replaced by a folder: the atomic rename onto it fails.
    rmSync(join(out, 'take.json'));
    mkdirSync(join(out, 'take.json'));
    await expect(recorder.addMarker('lost')).rejects.toThrow();
    rmdirSync(join(out, 'take.json'));
    const second = await recorder.addMarker('kept');
    expect((await readManifest(out)).markers).toMatchObject([{ title: 'lost' }, second]);

    recorder.pause();
    await sleep(1200);
    // Nothing was appended during the pause, yet the header already counts every frame written.
    const file = readFileSync(join(out, 'track-1.wav'));
    const layout = parseWavLayout(file.subarray(0, 4096))!;
    expect(file.readUInt32LE(layout.dataOffset - 4)).toBe(file.length - layout.dataOffset);
    const take = await recorder.stop();
    expect(take.tracks[0]!.error).toBeNull();
  }, 30_000);

  it('a disk that cannot keep up ends the take (disk_slow) instead of queueing audio without end', async () => {
    const ended: string[] = [];
    const recorder = await Recorder.arm({
      sources: [{ name: 'one', spec: 'lavfi:sine=frequency=440:sample_rate=48000' }],
      // Less than one pacer tick may wait: the first block already overflows.
      maxPendingSec: 0.001,
      onTakeEnded: (error) => ended.push(error.code),
    });
    await recorder.start(join(dir, 'slow-disk'));
    for (let i = 0; i < 50 && ended.length === 0; i++) await sleep(20);
    expect(ended).toEqual(['disk_slow']);
    const take = await recorder.stop();
    expect(take.status).toBe('stopped');
    expect(take.tracks[0]!.error).toMatch(/disk is too slow/);
  }, 30_000);
});

describe('CaptureClock', () => {
  /**
   * Blocks of 2400 frames (50 ms) delivered 2–12 ms late, from a device whose clock is `ppm` fast;
   * during the first `busySeconds` every block is 15 ms later still (a computer busy starting up).
   */
  function feed(ppm: number, seconds: number, busySeconds = 0, startMs = 1234.5) {
    const clock = new CaptureClock(RATE);
    const deviceRate = RATE * (1 + ppm / 1e6);
    let jitter = 7;
    for (let frames = 2400; frames <= seconds * RATE; frames += 2400) {
      jitter = (jitter * 7919 + 13) % 101;
      const busy = frames < busySeconds * RATE ? 15 : 0;
      clock.observe(startMs + (frames / deviceRate) * 1000 + 2 + jitter / 10 + busy, frames);
    }
    return clock;
  }

  it('finds frame 0’s time within the smallest delivery delay, and no drift from a take under two minutes', () => {
    const clock = feed(0, 100);
    expect(clock.startMs).toBeGreaterThanOrEqual(1234.5 + 2);
    expect(clock.startMs).toBeLessThan(1234.5 + 3);
    expect(clock.fit().driftPpm).toBeNull();
  });

  it('measures a device clock 100 ppm fast (and one 50 ppm slow) over three minutes', () => {
    expect(feed(100, 180).fit().driftPpm!).toBeCloseTo(100, -1);
    expect(feed(-50, 180).fit().driftPpm!).toBeCloseTo(-50, -1);
    expect(Math.abs(feed(0, 180).fit().driftPpm!)).toBeLessThan(2);
    expect(feed(100, 180).fit().startMs).toBeCloseTo(1234.5 + 2, 0);
  });

  it('follows a slow device once its drift is known, where the plain minimum stays behind', () => {
    const clock = feed(-100, 180);
    const endMs = 1234.5 + 180_000;
    // The truth at the end: frame 0's time plus the delay plus what the slow clock lost.
    const truth = 1234.5 + 2 + 100e-6 * 180_000;
    expect(Math.abs(clock.startAt(endMs) - truth)).toBeLessThan(0.5);
    expect(Math.abs(clock.startMs - truth)).toBeGreaterThan(15);
  });

  it('is not fooled by a busy start: blocks all late for the first 8 s of a 3-minute take', () => {
    const fit = feed(0, 180, 8).fit();
    expect(Math.abs(fit.driftPpm!)).toBeLessThan(5);
    expect(Math.abs(fit.startMs - (1234.5 + 2))).toBeLessThan(0.5);
  });
});
