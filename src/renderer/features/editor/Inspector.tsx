import { useEffect, useRef, useState } from 'react';
import { markerKinds } from '../../../shared/domain';
import {
  type Clip,
  clipLength,
  DEFAULT_DUCKING_DB,
  type Edit,
  type EditMarker,
  type EditTrack,
  MAX_DUCKING_DB,
  MIN_DUCKING_DB,
  renameMarker,
  setClipGain,
  setFades,
  setMarkerKind,
  setTrackDucking,
  setTrackRole,
} from '../../../shared/edit';
import { presentEdit, useEditor } from '../../state/editor';
import { rippleDeleteSelection } from './editor-commands';
import { useGestureKey } from './TrackHeader';
import { formatTimecode } from './timeline-geometry';

/** Details of what is selected, to read and change: a clip's gain and fades, a marker's title and kind, a range. */
export function Inspector() {
  const edit = useEditor((s) => presentEdit(s));
  const selection = useEditor((s) => s.selection);
  if (!edit) return null;
  const marker = selection.markerId
    ? edit.markers.find((m) => m.id === selection.markerId)
    : undefined;
  if (marker) return <MarkerInspector marker={marker} />;
  const clips = findClips(edit, selection.clipIds);
  if (clips.length === 1) return <ClipInspector clip={clips[0]!} />;
  if (clips.length > 1) {
    return (
      <section className="inspector" aria-label="Selection">
        <p>
          {clips.length} clips selected. Delete removes them; Shift+Delete removes their time from
          every track; Alt+← → nudges them.
        </p>
      </section>
    );
  }
  if (selection.range) {
    const { start, end } = selection.range;
    return (
      <section className="inspector" aria-label="Selected range">
        <p>
          Range {formatTimecode(start)} to {formatTimecode(end)} ({formatTimecode(end - start)})
        </p>
        <button type="button" onClick={rippleDeleteSelection}>
          Ripple delete (Shift+Delete)
        </button>
      </section>
    );
  }
  const track = selection.trackId ? edit.tracks.find((t) => t.id === selection.trackId) : undefined;
  if (track) return <TrackInspector track={track} />;
  return (
    <section className="inspector empty" aria-label="Selection">
      <p className="hint">
        Click a clip to select it, drag its edges to trim, the squares at its top to fade. Drag
        across empty lane space to select a range. Press ? for every shortcut.
      </p>
    </section>
  );
}

function findClips(edit: Edit, ids: readonly string[]): Clip[] {
  const wanted = new Set(ids);
  return edit.tracks.flatMap((t) => t.clips.filter((c) => wanted.has(c.id)));
}

function ClipInspector({ clip }: { clip: Clip }) {
  const change = useEditor((s) => s.change);
  const asset = useEditor((s) => s.assets[clip.assetId]);
  const gain = useGestureKey(`clip-gain:${clip.id}`);
  const ms = (samples: number) => Math.round(samples / 48);
  const setFade = (which: 'fadeIn' | 'fadeOut', milliseconds: number) => {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) return;
    const samples = Math.round(milliseconds * 48);
    change((e) => setFades(e, { clipId: clip.id, [which]: samples }));
  };
  return (
    <section className="inspector" aria-label="Selected clip">
      <p>
        <strong>{asset?.name ?? 'Missing audio'}</strong>
        {asset?.offline && <span className="error"> · offline: the file is missing</span>} ·{' '}
        {formatTimecode(clip.timelineStart)} to{' '}
        {formatTimecode(clip.timelineStart + clipLength(clip))} ({formatTimecode(clipLength(clip))})
        · from {formatTimecode(clip.sourceIn)} of the recording
      </p>
      <label className="field-inline">
        Clip gain
        <input
          type="range"
          min={-24}
          max={24}
          step={0.5}
          value={clip.gainDb}
          onPointerDown={gain.next}
          onKeyDown={gain.next}
          onDoubleClick={() => change((e) => setClipGain(e, { clipId: clip.id, gainDb: 0 }))}
          onChange={(e) => {
            const gainDb = Number(e.target.value);
            change((edit) => setClipGain(edit, { clipId: clip.id, gainDb }), undefined, gain.key());
          }}
        />
        <output>{`${clip.gainDb > 0 ? '+' : ''}${clip.gainDb.toFixed(1)} dB`}</output>
      </label>
      <NumberField
        label="Fade in (ms)"
        value={ms(clip.fadeIn)}
        onCommit={(v) => setFade('fadeIn', v)}
      />
      <NumberField
        label="Fade out (ms)"
        value={ms(clip.fadeOut)}
        onCommit={(v) => setFade('fadeOut', v)}
      />
    </section>
  );
}

/**
 * A track's role: speech, or a music bed (intro, outro, background) that can duck automatically
 * under the speech of the other tracks, in playback and in the render alike.
 */
function TrackInspector({ track }: { track: EditTrack }) {
  const change = useEditor((s) => s.change);
  const depth = useGestureKey(`ducking:${track.id}`);
  const music = track.role === 'music';
  return (
    <section className="inspector" aria-label="Selected track">
      <p>
        <strong>{track.name || 'Untitled track'}</strong> · {track.clips.length}{' '}
        {track.clips.length === 1 ? 'clip' : 'clips'}
      </p>
      <label className="field-inline">
        Carries
        <select
          value={music ? 'music' : 'speech'}
          onChange={(e) => {
            const role = e.target.value === 'music' ? 'music' : 'speech';
            change((edit) => setTrackRole(edit, { trackId: track.id, role }));
          }}
        >
          <option value="speech">Speech</option>
          <option value="music">Music (intro, outro, bed)</option>
        </select>
      </label>
      {music && (
        <label className="field-inline">
          <input
            type="checkbox"
            checked={track.ducking !== undefined}
            onChange={(e) => {
              const depthDb = e.target.checked ? DEFAULT_DUCKING_DB : null;
              change((edit) => setTrackDucking(edit, { trackId: track.id, depthDb }));
            }}
          />
          Duck under speech
        </label>
      )}
      {music && track.ducking && (
        <label className="field-inline">
          By
          <input
            type="range"
            min={MIN_DUCKING_DB}
            max={MAX_DUCKING_DB}
            step={1}
            value={track.ducking.depthDb}
            aria-label={`Ducking depth of ${track.name}`}
            aria-valuetext={`${track.ducking.depthDb} dB`}
            onPointerDown={depth.next}
            onKeyDown={depth.next}
            onChange={(e) => {
              const depthDb = Number(e.target.value);
              change(
                (edit) => setTrackDucking(edit, { trackId: track.id, depthDb }),
                undefined,
                depth.key(),
              );
            }}
          />
          <output>{`${track.ducking.depthDb.toFixed(0).replace('-', '−')} dB`}</output>
        </label>
      )}
      <p className="hint">
        {music
          ? track.ducking
            ? 'Lowered while anyone speaks on the other tracks, back up in the pauses.'
            : 'Plays at its own level under everything.'
          : 'Speech on this track lowers the music beds that duck.'}
      </p>
    </section>
  );
}

/** A number typed in and applied on Enter or when the field is left. */
function NumberField(props: { label: string; value: number; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  return (
    <label className="field-inline">
      {props.label}
      <input
        type="number"
        min={0}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text !== String(props.value) && props.onCommit(Number(text))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') props.onCommit(Number(text));
          if (e.key === 'Escape') setText(String(props.value));
        }}
      />
    </label>
  );
}

function MarkerInspector({ marker }: { marker: EditMarker }) {
  const change = useEditor((s) => s.change);
  const [title, setTitle] = useState(marker.title);
  const [url, setUrl] = useState(marker.url ?? '');
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setTitle(marker.title);
    setUrl(marker.url ?? '');
  }, [marker.title, marker.url]);
  // A marker just added gets its title typed at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another marker is selected
  useEffect(() => {
    titleRef.current?.select();
  }, [marker.id]);
  const saveTitle = () => {
    if (title !== marker.title) change((e) => renameMarker(e, { markerId: marker.id, title }));
  };
  return (
    <section className="inspector" aria-label="Selected marker">
      <p>
        {marker.kind === 'chapter' ? 'Chapter' : marker.kind === 'ad' ? 'Ad slot' : 'Note'} at{' '}
        {formatTimecode(marker.position)}
      </p>
      <label className="field-inline">
        Title
        <input
          ref={titleRef}
          value={title}
          maxLength={500}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={saveTitle}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              saveTitle();
              e.currentTarget.blur();
            }
            if (e.key === 'Escape') {
              setTitle(marker.title);
              e.currentTarget.blur();
            }
          }}
        />
      </label>
      <label className="field-inline">
        Kind
        <select
          value={marker.kind}
          onChange={(e) => {
            const kind = e.target.value as EditMarker['kind'];
            change((edit) => setMarkerKind(edit, { markerId: marker.id, kind }));
          }}
        >
          {markerKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind === 'chapter' ? 'Chapter' : kind === 'ad' ? 'Ad slot' : 'Note'}
            </option>
          ))}
        </select>
      </label>
      {marker.kind === 'chapter' && (
        <label className="field-inline">
          Link
          <input
            type="url"
            placeholder="https://…"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            onBlur={() =>
              url !== (marker.url ?? '') &&
              change((e) => setMarkerKind(e, { markerId: marker.id, kind: 'chapter', url }))
            }
          />
        </label>
      )}
    </section>
  );
}
