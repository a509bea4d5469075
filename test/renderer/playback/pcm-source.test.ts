import { describe, expect, it } from 'vitest';
import {
  createPcmCache,
  type FetchPcm,
  type PcmBlock,
} from '../../../src/renderer/features/editor/playback/pcm-source';

/** A stereo asset of `length` frames whose left sample is the frame number and right its negative. */
function fakeAsset(length: number) {
  const calls: [string, number, number][] = [];
  const fetchPcm: FetchPcm = async (assetId, from, frames) => {
    calls.push([assetId, from, frames]);
    if (assetId === 'offline') throw new Error('offline');
    const n = Math.max(0, Math.min(frames, length - from));
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[2 * i] = from + i;
      data[2 * i + 1] = -(from + i);
    }
    return { channels: 2, data } satisfies PcmBlock;
  };
  return { fetchPcm, calls };
}

describe('the PCM chunk cache', () => {
  it('assembles a range across chunks, one plane per channel, zeros past the end', async () => {
    const { fetchPcm, calls } = fakeAsset(250);
    const cache = createPcmCache(fetchPcm, 1e9, 100);
    const { planes, frames } = await cache.read('a', 90, 170);
    expect(frames).toBe(170);
    expect(planes).toHaveLength(2);
    expect(planes[0]![0]).toBe(90);
    expect(planes[0]![69]).toBe(159);
    expect(planes[1]![159]).toBe(-249);
    expect(planes[0]![160]).toBe(0);
    expect(calls).toEqual([
      ['a', 0, 100],
      ['a', 100, 100],
      ['a', 200, 100],
    ]);
  });

  it('fetches a chunk once for concurrent and later reads', async () => {
    const { fetchPcm, calls } = fakeAsset(1_000);
    const cache = createPcmCache(fetchPcm, 1e9, 100);
    await Promise.all([cache.read('a', 0, 50), cache.read('a', 50, 50)]);
    await cache.read('a', 10, 10);
    expect(calls).toHaveLength(1);
  });

  it('drops the least recently used chunks above its byte cap', async () => {
    const { fetchPcm, calls } = fakeAsset(10_000);
    // A chunk of 100 stereo frames is 800 bytes: room for three.
    const cache = createPcmCache(fetchPcm, 2_400, 100);
    await cache.read('a', 0, 1);
    await cache.read('a', 100, 1);
    await cache.read('a', 200, 1);
    await cache.read('a', 0, 1); // now the most recent
    await cache.read('a', 300, 1); // evicts chunk 1
    expect(cache.bytes()).toBe(2_400);
    calls.length = 0;
    await cache.read('a', 0, 1);
    expect(calls).toEqual([]);
    await cache.read('a', 100, 1);
    expect(calls).toEqual([['a', 100, 100]]);
  });

  it('passes a failed fetch on and does not keep the failure', async () => {
    const { fetchPcm, calls } = fakeAsset(100);
    const cache = createPcmCache(fetchPcm, 1e9, 100);
    await expect(cache.read('offline', 0, 10)).rejects.toThrow('offline');
    await expect(cache.read('offline', 0, 10)).rejects.toThrow('offline');
    expect(calls).toHaveLength(2);
  });
});
