import { useRef } from 'react';
import {
  DEFAULT_DUCKING_DB,
  type Edit,
  type EditTrack,
  setTrackDucking,
  setTrackGain,
  setTrackMute,
  setTrackPan,
  setTrackRole,
  setTrackSolo,
} from '../../../shared/edit';
import { useEditor } from '../../state/editor';
import { LANE_HEIGHT } from './timeline-geometry';

/** A slider drag is one undo step: its changes share a key until the next press. */
export function useGestureKey(prefix: string): { key: () => string; next: () => void } {
  const gesture = useRef(0);
  return {
    key: () => `${prefix}:${gesture.current}`,
    next: () => {
      gesture.current++;
    },
  };
}

function panLabel(pan: number): string {
  if (Math.abs(pan) < 0.005) return 'C';
  return `${Math.round(Math.abs(pan) * 100)}${pan < 0 ? 'L' : 'R'}`;
}

/**
 * The ♪ toggle: a speech track becomes a music bed ducking at the default depth (what a bed is
 * for); a music bed goes back to speech. One undo step either way.
 */
function toggleMusic(edit: Edit, track: EditTrack): Edit {
  if (track.role === 'music') return setTrackRole(edit, { trackId: track.id, role: 'speech' });
  const music = setTrackRole(edit, { trackId: track.id, role: 'music' });
  return setTrackDucking(music, { trackId: track.id, depthDb: DEFAULT_DUCKING_DB });
}

/** A track's name and mix controls, beside its lane. */
export function TrackHeader({ track }: { track: EditTrack }) {
  const change = useEditor((s) => s.change);
  const selected = useEditor((s) => s.selection.trackId === track.id);
  const gain = useGestureKey(`gain:${track.id}`);
  const pan = useGestureKey(`pan:${track.id}`);
  const music = track.role === 'music';
  return (
    <fieldset
      className={`track-header ${selected ? 'selected' : ''}`}
      style={{ height: LANE_HEIGHT }}
      aria-label={`Track ${track.name}`}
    >
      <button
        type="button"
        className="track-name"
        onClick={() =>
          useEditor
            .getState()
            .select({ trackId: track.id, clipIds: [], markerId: null, range: null })
        }
        aria-pressed={selected}
        title="Select the track: split acts on it, and the inspector shows its music settings"
      >
        {track.name || 'Untitled track'}
      </button>
      <div className="track-toggles">
        <button
          type="button"
          className="toggle mute"
          aria-pressed={track.muted}
          aria-label={`Mute ${track.name}`}
          title="Mute"
          onClick={() => change((e) => setTrackMute(e, { trackId: track.id, muted: !track.muted }))}
        >
          M
        </button>
        <button
          type="button"
          className="toggle solo"
          aria-pressed={track.solo}
          aria-label={`Solo ${track.name}`}
          title="Solo"
          onClick={() => change((e) => setTrackSolo(e, { trackId: track.id, solo: !track.solo }))}
        >
          S
        </button>
        <button
          type="button"
          className="toggle music"
          aria-pressed={music}
          aria-label={`Music bed ${track.name}`}
          title={
            music
              ? track.ducking
                ? `Music bed, ducks ${track.ducking.depthDb} dB under speech (select the track to change)`
                : 'Music bed, not ducking (select the track to change)'
              : 'Make this a music bed that ducks under speech'
          }
          onClick={() => change((e) => toggleMusic(e, track))}
        >
          ♪
        </button>
      </div>
      <label className="track-slider">
        <span>Vol</span>
        <input
          type="range"
          min={-30}
          max={12}
          step={0.5}
          value={track.gainDb}
          aria-label={`Volume of ${track.name}`}
          aria-valuetext={`${track.gainDb.toFixed(1)} dB`}
          onPointerDown={gain.next}
          onKeyDown={gain.next}
          onDoubleClick={() => change((e) => setTrackGain(e, { trackId: track.id, gainDb: 0 }))}
          onChange={(e) => {
            const gainDb = Number(e.target.value);
            change(
              (edit) => setTrackGain(edit, { trackId: track.id, gainDb }),
              undefined,
              gain.key(),
            );
          }}
        />
        <output>{`${track.gainDb > 0 ? '+' : ''}${track.gainDb.toFixed(1)}`}</output>
      </label>
      <label className="track-slider">
        <span>Pan</span>
        <input
          type="range"
          min={-1}
          max={1}
          step={0.01}
          value={track.pan}
          aria-label={`Pan of ${track.name}`}
          aria-valuetext={panLabel(track.pan)}
          onPointerDown={pan.next}
          onKeyDown={pan.next}
          onDoubleClick={() => change((e) => setTrackPan(e, { trackId: track.id, pan: 0 }))}
          onChange={(e) => {
            const value = Number(e.target.value);
            change(
              (edit) => setTrackPan(edit, { trackId: track.id, pan: value }),
              undefined,
              pan.key(),
            );
          }}
        />
        <output>{panLabel(track.pan)}</output>
      </label>
    </fieldset>
  );
}
