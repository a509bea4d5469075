import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Asset } from '../../../shared/domain';
import { decodePeaksLevel, peaksToFloats } from '../../../shared/peaks';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { client } from '../../client';
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

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const abort = new AbortController();
    let wavesurfer: WaveSurfer | null = null;
    let unregister = () => {};
    const style = getComputedStyle(element);
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
          waveColor: style.getPropertyValue('--wave').trim() || '#7c8aa5',
          progressColor: style.getPropertyValue('--wave-progress').trim() || '#3b6fd8',
          cursorColor: style.getPropertyValue('--accent').trim() || '#3b6fd8',
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
