import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia } from '../../../src/main/services/media/analysis/analyze';
import { writePeaksFile } from '../../../src/main/services/media/peaks-file';
import { renderEdit } from '../../../src/main/services/render/render-edit';
import { readSpeechActivity } from '../../../src/main/services/render/speech-activity';
import {
  DUCK_ATTACK_SAMPLES as A,
  duckEnvelope,
  duckGainAt,
  DUCK_HOLD_SAMPLES as H,
  type Interval,
  DUCK_RELEASE_SAMPLES as R,
} from '../../../src/shared/edit/ducking';
import type { Edit } from '../../../src/shared/edit/model';
import { generate, tempDir } from '../../helpers/audio';
import { clip, edit, readFloatWav, track } from './helpers';

// Music ducking in the real render: a constant tone as the music bed and a tone burst from 2 s
// to 4 s as the speech. The speech is subtracted from the mixdown (its samples are known), so
// what is left is the music times its duck gain, checked sample by sample and as levels.

const S = 48_000;
const dir = tempDir('studio-render-duck-');
const paths: Record<string, string> = {};
const assetPath = (id: string) => paths[id]!;
const DEPTH_DB = -15;

const music = (n: number) => 0.5 * Math.sin((2 * Math.PI * 440 * n) / S);
const burst = (n: number) =>
  n >= 2 * S && n < 4 * S ? 0.3 * Math.sin((2 * Math.PI * 1000 * n) / S) : 0;

beforeAll(() => {
  const f32 = ['-c:a', 'pcm_f32le'];
  paths.music = generate(
    join(dir, 'music.wav'),
    'aevalsrc=0.5*sin(2*PI*440*n/48000):s=48000:d=70',
    f32,
  );
  paths.speech = generate(
    join(dir, 'speech.wav'),
    'aevalsrc=if(between(n\\,96000\\,191999)\\,0.3*sin(2*PI*1000*n/48000)\\,0):s=48000:d=70',
    f32,
  );
});

function bedEdit(length: number, ducking: boolean, speechAt: number[] = [0]): Edit {
  return edit([
    track(
      speechAt.map((at) =>
        clip({ assetId: 'speech', sourceIn: 0, sourceOut: 6 * S, timelineStart: at }),
      ),
      { id: 'voice' },
    ),
    track([clip({ assetId: 'music', sourceIn: 0, sourceOut: length, timelineStart: 0 })], {
      id: 'bed',
      role: 'music',
      ...(ducking ? { ducking: { depthDb: DEPTH_DB } } : {}),
    }),
  ]);
}

const exact = new Map<string, Interval[]>([['speech', [{ start: 2 * S, end: 4 * S }]]]);

async function render(e: Edit, name: string, activity?: ReadonlyMap<string, Interval[]>) {
  const out = join(dir, name);
  await renderEdit({ edit: e, assetPath, out, channels: 1, activity });
  return readFloatWav(out).data[0]!;
}

const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

/** The music part of a mono mixdown: the mix minus the speech clips' samples. */
function musicPart(mix: Float32Array, speechAt: number[]): Float64Array {
  const out = new Float64Array(mix.length);
  for (let n = 0; n < mix.length; n++) {
    let speech = 0;
    for (const at of speechAt) if (n >= at && n < at + 6 * S) speech += burst(n - at);
    out[n] = mix[n]! - speech;
  }
  return out;
}

/** RMS level in dB of `x` over seconds [from, to), relative to the undisturbed tone's. */
function levelDb(x: Float64Array, from: number, to: number): number {
  let sum = 0;
  let ref = 0;
  for (let n = Math.round(from * S); n < Math.round(to * S); n++) {
    sum += x[n]! ** 2;
    ref += music(n) ** 2;
  }
  return 10 * Math.log10(sum / ref);
}

describe('rendering a music bed that ducks under speech', () => {
  it('lowers the music by the depth while the speech plays, with ramps at the documented times', async () => {
    const e = bedEdit(8 * S, true);
    const mix = await render(e, 'duck.wav', exact);
    expect(mix.length).toBe(8 * S);
    const m = musicPart(mix, [0]);
    // Full level before, the depth during (within 0.1 dB), full level after the release.
    expect(levelDb(m, 0, 1.7)).toBeCloseTo(0, 3);
    expect(Math.abs(levelDb(m, 2, 4) - DEPTH_DB)).toBeLessThan(0.1);
    expect(Math.abs(levelDb(m, 4, 4.4) - DEPTH_DB)).toBeLessThan(0.1);
    expect(levelDb(m, 5.2, 8)).toBeCloseTo(0, 3);

    // Sample by sample: the music times the documented envelope.
    const depth = 10 ** (DEPTH_DB / 20);
    const gain = (n: number) => {
      if (n <= 2 * S - A || n >= 4 * S + H + R) return 1;
      if (n < 2 * S) return 1 + ((depth - 1) * (n - (2 * S - A))) / A;
      if (n <= 4 * S + H) return depth;
      return depth + ((1 - depth) * (n - (4 * S + H))) / R;
    };
    let worst = 0;
    for (let n = 0; n < m.length; n++)
      worst = Math.max(worst, Math.abs(m[n]! - music(n) * gain(n)));
    expect(worst).toBeLessThan(2e-6);
    // The envelope the model gives is that curve.
    const points = duckEnvelope(e, 'bed', exact);
    for (const n of [0, 1.8 * S, 1.9 * S, 2 * S, 3 * S, 4.5 * S, 5 * S, 6 * S]) {
      expect(duckGainAt(points, n)).toBeCloseTo(gain(n), 12);
    }
  });

  it('renders without ducking exactly as before, sample for sample', async () => {
    const plain = bedEdit(8 * S, false);
    const noRole = edit([plain.tracks[0]!, { ...plain.tracks[1]!, role: undefined }]);
    delete noRole.tracks[1]!.role;
    const before = await render(noRole, 'plain.wav');
    const music = await render(plain, 'music-role.wav', exact);
    expect(same(music, before)).toBe(true);
    // Ducking on but no speech known: nothing ducks, the same samples.
    const ducked = await render(bedEdit(8 * S, true), 'no-activity.wav');
    expect(same(ducked, before)).toBe(true);
  });

  it('ducks sample-accurately across the chunks of a long render, two beds at once', async () => {
    // 70 s is rendered in time chunks; speech at 2 s, 30 s (near a chunk edge) and 55 s.
    const speechAt = [0, 28 * S, 53 * S];
    const e = bedEdit(70 * S, true, speechAt);
    const second = {
      ...e.tracks[1]!,
      id: 'bed2',
      gainDb: -6,
      ducking: { depthDb: -30 },
      clips: [clip({ assetId: 'music', sourceIn: 0, sourceOut: 70 * S, timelineStart: 0 })],
    };
    const both: Edit = { ...e, tracks: [...e.tracks, second] };
    const mix = await render(both, 'long.wav', exact);
    expect(mix.length).toBe(70 * S);
    const m = musicPart(mix, speechAt);
    const one = duckEnvelope(both, 'bed', exact);
    const two = duckEnvelope(both, 'bed2', exact);
    expect(one.length).toBe(12);
    let worst = 0;
    for (let n = 0; n < m.length; n++) {
      const expected = music(n) * (duckGainAt(one, n) + 10 ** (-6 / 20) * duckGainAt(two, n));
      worst = Math.max(worst, Math.abs(m[n]! - expected));
    }
    expect(worst).toBeLessThan(4e-6);
  });

  it('ducks under speech found in the stored peaks of the speech asset', async () => {
    const analysis = await analyzeMedia({
      path: paths.speech!,
      sampleRate: S,
      channels: 1,
      durationSec: 70,
      container: 'wav',
    });
    const peaksPath = join(dir, 'speech.peaks');
    await writePeaksFile(peaksPath, analysis.peaks);
    const e = bedEdit(8 * S, true);
    const missing: string[] = [];
    const activity = await readSpeechActivity(
      e,
      (id) => (id === 'speech' ? peaksPath : null),
      (id) => missing.push(id),
    );
    expect(missing).toEqual([]);
    // The burst, to the 4096-sample pairs that hold it: 94208 (pair 23) to 192512 (pair 47).
    expect(activity).toEqual(new Map([['speech', [{ start: 23 * 4096, end: 47 * 4096 }]]]));
    const m = musicPart(await render(e, 'from-peaks.wav', activity), [0]);
    expect(Math.abs(levelDb(m, 2, 4) - DEPTH_DB)).toBeLessThan(0.1);
    expect(levelDb(m, 0, 1.6)).toBeCloseTo(0, 3);
    // Nothing is read when no track ducks.
    const none = await readSpeechActivity(bedEdit(8 * S, false), () => {
      throw new Error('not asked');
    });
    expect(none.size).toBe(0);
  });
});
