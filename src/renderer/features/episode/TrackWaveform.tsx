import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Asset } from '../../../shared/domain';
import { decodePeaksLevel, type PeaksLevel, peaksToFloats } from '../../../shared/peaks';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { client } from '../../client';
import { useStudio } from '../../state/store';
import { Icon } from '../../ui/Icon';
import { registerPlayer, setActivePlayer } from './players';

/**
 * One track's waveform, drawn from the precomputed peaks (the renderer never decodes the audio);
 * playback streams the file with Range requests through the media element. When `asset` changes
 * (A/B: original or processed), the same player loads the other file and carries on at the same
 * position, playing if it was.
 */
export function TrackWaveform(props: {
  trackId: string;
  trackName: string;
  asset: Asset;
  /** The other version, fetched ahead so that switching to it is quick. */
  alternate?: Asset | null;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [player, setPlayer] = useState<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const duration = samplesToSeconds(props.asset.durationSamples);
  const theme = useStudio((state) => state.theme);
  const { trackId } = props;

  // One player per track, for as long as the row is on screen.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const wavesurfer = WaveSurfer.create({
      container: element,
      height: 88,
      ...waveColors(element),
      normalize: false,
      dragToSeek: true,
    });
    const unregister = registerPlayer(trackId, wavesurfer);
    wavesurfer.on('play', () => {
      setActivePlayer(trackId);
      setPlaying(true);
    });
    wavesurfer.on('pause', () => setPlaying(false));
    wavesurfer.on('finish', () => setPlaying(false));
    wavesurfer.on('timeupdate', (t) => setTime(t));
    wavesurfer.on('interaction', () => setActivePlayer(trackId));
    wavesurfer.on('redrawcomplete', () => {
      element.dataset.painted = 'true';
      window.dispatchEvent(new CustomEvent('studio:waveform-painted', { detail: trackId }));
    });
    wavesurfer.on('error', () => setState('error'));
    setPlayer(wavesurfer);
    return () => {
      unregister();
      wavesurfer.destroy();
      setPlayer(null);
      delete element.dataset.painted;
      delete element.dataset.assetId;
    };
  }, [trackId]);

  // Load the asset to show and play; on a switch, keep the position and whether it was playing.
  useEffect(() => {
    const element = container.current;
    if (!player || !element) return;
    const abort = new AbortController();
    const minPairs = pairsFor(element);
    peaksFor(props.asset.id, minPairs)
      .then(async (level) => {
        if (abort.signal.aborted) return;
        const position = player.getCurrentTime();
        const wasPlaying = player.isPlaying();
        await player.load(client.audioUrl(props.asset.id), [peaksToFloats(level)], duration);
        if (abort.signal.aborted) return;
        if (position > 0) player.setTime(Math.min(position, duration));
        if (wasPlaying) await player.play();
        element.dataset.assetId = props.asset.id;
        setState('ready');
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        console.error(error);
        setState('error');
      });
    return () => abort.abort();
  }, [player, props.asset.id, duration]);

  // Fetch the other version's peaks ahead of a switch.
  const alternateId = props.alternate?.id;
  useEffect(() => {
    const element = container.current;
    if (!alternateId || !element) return;
    peaksFor(alternateId, pairsFor(element)).catch(() => {});
  }, [alternateId]);

  // Canvas colours do not follow CSS: repaint them when the theme changes (after App has set
  // the new theme on <html>, hence the next frame).
  // biome-ignore lint/correctness/useExhaustiveDependencies: theme is the trigger; colours come from CSS
  useEffect(() => {
    const element = container.current;
    if (!player || !element) return;
    const repaint = () => player.setOptions(waveColors(element));
    const frame = requestAnimationFrame(repaint);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', repaint);
    return () => {
      cancelAnimationFrame(frame);
      scheme.removeEventListener('change', repaint);
    };
  }, [player, theme]);

  return (
    <div className="track-player">
      <button
        type="button"
        className="play"
        aria-label={`${playing ? 'Pause' : 'Play'} ${props.trackName}`}
        disabled={state !== 'ready'}
        onClick={() => {
          if (!player) return;
          setActivePlayer(trackId);
          void player.playPause();
        }}
      >
        <Icon name={playing ? 'pause' : 'play'} />
      </button>
      <div
        className="waveform"
        ref={container}
        data-testid="waveform"
        role="img"
        aria-label={`Waveform of ${props.trackName}`}
      >
        {state === 'loading' && <span className="hint">Loading waveform…</span>}
        {state === 'error' && (
          <span className="hint error">The waveform or audio could not be loaded.</span>
        )}
      </div>
      <span className="time" role="timer" aria-label="Playback position">
        {formatDuration(time, true)} / {formatDuration(duration)}
      </span>
    </div>
  );
}

/** About two pairs per pixel: enough detail at this width without sending the finest level. */
function pairsFor(element: HTMLElement): number {
  return Math.max(512, Math.round(element.clientWidth * 2));
}

/** Peaks already fetched, so that switching back and forth does not fetch them again. */
const peaksCache = new Map<string, Promise<PeaksLevel>>();
const PEAKS_CACHE_SIZE = 32;

function peaksFor(assetId: string, minPairs: number): Promise<PeaksLevel> {
  const key = `${assetId}:${minPairs}`;
  const cached = peaksCache.get(key);
  if (cached) return cached;
  // Not cancelled with one caller's effect: another may be waiting for the same peaks.
  const loading = fetch(client.peaksUrl(assetId, minPairs))
    .then((response) => {
      if (!response.ok) throw new Error(`Waveform unavailable (${response.status})`);
      return response.arrayBuffer();
    })
    .then((buffer) => decodePeaksLevel(buffer));
  loading.catch(() => peaksCache.delete(key));
  peaksCache.set(key, loading);
  if (peaksCache.size > PEAKS_CACHE_SIZE) {
    const oldest = peaksCache.keys().next().value;
    if (oldest !== undefined) peaksCache.delete(oldest);
  }
  return loading;
}

/** The theme's waveform colours, resolved (the CSS variables hold light-dark() pairs). */
function waveColors(element: HTMLElement): {
  waveColor: string;
  progressColor: string;
  cursorColor: string;
} {
  const probe = document.createElement('span');
  element.append(probe);
  const resolve = (variable: string) => {
    probe.style.color = `var(${variable})`;
    return getComputedStyle(probe).color;
  };
  const colors = {
    waveColor: resolve('--wave'),
    progressColor: resolve('--wave-progress'),
    cursorColor: resolve('--accent'),
  };
  probe.remove();
  return colors;
}
