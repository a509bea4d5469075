import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Asset } from '../../../shared/domain';
import { decodePeaksLevel, peaksToFloats } from '../../../shared/peaks';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { client } from '../../client';
import { useStudio } from '../../state/store';
import { Icon } from '../../ui/Icon';
import { registerPlayer, setActivePlayer } from './players';

/**
 * One track's waveform, drawn from the precomputed peaks (the renderer never decodes the audio);
 * playback streams the file with Range requests through the media element.
 */
export function TrackWaveform(props: { trackId: string; trackName: string; asset: Asset }) {
  const container = useRef<HTMLDivElement>(null);
  const [player, setPlayer] = useState<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const duration = samplesToSeconds(props.asset.durationSamples);
  const theme = useStudio((state) => state.theme);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const abort = new AbortController();
    let wavesurfer: WaveSurfer | null = null;
    let unregister = () => {};
    // About two pairs per pixel: enough detail at this width without sending the finest level.
    const minPairs = Math.max(512, Math.round(element.clientWidth * 2));
    fetch(client.peaksUrl(props.asset.id, minPairs), { signal: abort.signal })
      .then((response) => {
        if (!response.ok) throw new Error(`Waveform unavailable (${response.status})`);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        const level = decodePeaksLevel(buffer);
        wavesurfer = WaveSurfer.create({
          container: element,
          height: 88,
          ...waveColors(element),
          normalize: false,
          url: client.audioUrl(props.asset.id),
          peaks: [peaksToFloats(level)],
          duration,
          dragToSeek: true,
        });
        unregister = registerPlayer(props.trackId, wavesurfer);
        wavesurfer.on('play', () => {
          setActivePlayer(props.trackId);
          setPlaying(true);
        });
        wavesurfer.on('pause', () => setPlaying(false));
        wavesurfer.on('finish', () => setPlaying(false));
        wavesurfer.on('timeupdate', (t) => setTime(t));
        wavesurfer.on('interaction', () => setActivePlayer(props.trackId));
        wavesurfer.on('redrawcomplete', () => {
          element.dataset.painted = 'true';
          window.dispatchEvent(
            new CustomEvent('studio:waveform-painted', { detail: props.trackId }),
          );
        });
        wavesurfer.on('error', () => setState('error'));
        setPlayer(wavesurfer);
        setState('ready');
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) {
          console.error(error);
          setState('error');
        }
      });
    return () => {
      abort.abort();
      unregister();
      wavesurfer?.destroy();
      delete element.dataset.painted;
    };
  }, [props.asset.id, props.trackId, duration]);

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
        disabled={!player}
        onClick={() => {
          if (!player) return;
          setActivePlayer(props.trackId);
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
