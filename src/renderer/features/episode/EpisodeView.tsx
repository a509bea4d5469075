import { useRef, useState } from 'react';
import type { Track } from '../../../shared/domain';
import { countOf } from '../../../shared/plural';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { useRecorder } from '../../state/recorder';
import { useStudio } from '../../state/store';
import { EditableTitle } from '../../ui/EditableTitle';
import { Icon } from '../../ui/Icon';
import { ItemActions } from '../../ui/ItemActions';
import { EditorView } from '../editor/EditorView';
import { ProcessingPanel } from '../processing/ProcessingPanel';
import { ProcessTrackButton, TrackProcessing } from '../processing/TrackProcessing';
import { RecorderPanel } from '../recorder/RecorderPanel';
import { recorderShortcuts } from '../recorder/recorder-keys';
import { EpisodeDetails } from './EpisodeDetails';
import { MarkersList } from './MarkersList';
import { TrackWaveform } from './TrackWaveform';

const EPISODE_TABS = [
  { id: 'edit', label: 'Edit' },
  { id: 'tracks', label: 'Tracks & processing' },
] as const;

const ACCEPT =
  'audio/*,video/*,.wav,.aif,.aiff,.flac,.mp3,.m4a,.aac,.ogg,.opus,.webm,.mp4,.mov,.mkv';

export function EpisodeView() {
  const { episode, importFiles, updateEpisode, selectEpisode, jobs } = useStudio();
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const recorderOpen = useRecorder((s) => s.open);
  const openRecorder = useRecorder((s) => s.openRecorder);
  const tab = useStudio((s) => s.episodeTab);
  const setTab = useStudio((s) => s.setEpisodeTab);
  if (!episode) return null;
  const importing = jobs.filter(
    (j) =>
      j.kind === 'import' &&
      j.episodeId === episode.episode.id &&
      (j.status === 'queued' || j.status === 'running'),
  );

  return (
    <section
      className={`episode ${dragging ? 'dragging' : ''}`}
      aria-label="Episode"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void importFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <header className="episode-header">
        <div>
          <button type="button" className="crumb" onClick={() => selectEpisode(null)}>
            {episode.show.title}
          </button>
          <EditableTitle
            value={episode.episode.title}
            label="episode"
            onSave={(title) => updateEpisode(episode.episode.id, { title })}
          />
          <p className="meta">
            {countOf(episode.tracks.length, 'track')} ·{' '}
            {formatDuration(samplesToSeconds(episode.episode.durationSamples))} ·{' '}
            {episode.episode.status}
          </p>
        </div>
        <div className="episode-actions">
          <button
            type="button"
            className="record-open"
            aria-keyshortcuts={recorderShortcuts.open}
            aria-pressed={recorderOpen}
            title="Open the recorder (R)"
            onClick={openRecorder}
          >
            <Icon name="record" />
            <span>Recorder</span>
          </button>
          <button type="button" className="primary" onClick={() => picker.current?.click()}>
            Import audio…
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            accept={ACCEPT}
            hidden
            data-testid="import-input"
            onChange={(e) => {
              void importFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />
        </div>
      </header>

      <RecorderPanel detail={episode} />

      {importing.length > 0 && (
        <p className="importing" role="status">
          Importing {importing.length} file{importing.length > 1 ? 's' : ''}…{' '}
          {importing[0]?.progress !== null && importing[0]?.progress !== undefined
            ? `${Math.round(importing[0].progress * 100)}%`
            : ''}
        </p>
      )}

      {episode.tracks.length === 0 ? (
        <>
          <EpisodeDetails episode={episode.episode} />
          <ProcessingPanel />
          <div className="empty-state drop-target">
            <p className="empty-title">Drop audio here</p>
            <p>
              WAV, AIFF, FLAC, MP3, M4A, Ogg/Opus, WebM or the sound of a video. Each file becomes a
              track. Or open the Recorder (R) to record one.
            </p>
            <p className="hint">
              Your files are copied into the library; the originals are never changed.
            </p>
          </div>
        </>
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label="Episode views">
            {EPISODE_TABS.map(({ id, label }) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`panel-${id}`}
                onClick={() => setTab(id)}
              >
                {label}
              </button>
            ))}
          </div>
          {tab === 'edit' ? (
            <div role="tabpanel" id="panel-edit" aria-labelledby="tab-edit">
              <EditorView episodeId={episode.episode.id} />
            </div>
          ) : (
            <div role="tabpanel" id="panel-tracks" aria-labelledby="tab-tracks">
              <EpisodeDetails episode={episode.episode} />
              <ProcessingPanel />
              <ol className="tracks">
                {episode.tracks.map((track, i) => (
                  <TrackRow
                    key={track.id}
                    track={track}
                    first={i === 0}
                    last={i === episode.tracks.length - 1}
                  />
                ))}
              </ol>
              <MarkersList markers={episode.markers} />
              <p className="shortcuts hint">
                Space play/pause · ← → skip 5 s · Home to start · B original/processed · R recorder
                · Ctrl/⌘+Z undo delete
              </p>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function TrackRow({ track, first, last }: { track: Track; first: boolean; last: boolean }) {
  const { moveToTrash, renameTrack, moveTrack } = useStudio();
  const asset = track.asset;
  const listening = useStudio((s) => s.listening[track.id]);
  const playing = listening === 'processed' && track.processed ? track.processed.asset : asset;
  const other = playing === asset ? track.processed?.asset : asset;
  return (
    <li className="track" data-testid="track">
      <div className="track-head">
        <EditableTitle
          as="h3"
          value={track.name}
          label="track"
          onSave={(name) => renameTrack(track.id, name)}
        />
        {asset && (
          <span className="track-meta">
            {(asset.sampleRate / 1000).toFixed(1)} kHz ·{' '}
            {asset.channels === 1 ? 'mono' : `${asset.channels} ch`} ·{' '}
            <abbr title="Integrated loudness (EBU R128)">
              {asset.loudness.integratedLufs ?? '−∞'} LUFS
            </abbr>{' '}
            · <abbr title="True peak">{asset.loudness.truePeakDbtp ?? '−∞'} dBTP</abbr> ·{' '}
            <abbr title="Loudness range">LRA {asset.loudness.lra} LU</abbr>
          </span>
        )}
        <ProcessTrackButton track={track} />
        <ItemActions
          name={`track ${track.name}`}
          first={first}
          last={last}
          onMove={(delta) => moveTrack(track.id, delta)}
          onTrash={() => moveToTrash('track', track.id)}
        />
      </div>
      {playing ? (
        <TrackWaveform
          trackId={track.id}
          trackName={track.name}
          asset={playing}
          alternate={other}
        />
      ) : (
        <p className="hint">No audio</p>
      )}
      <TrackProcessing track={track} />
    </li>
  );
}
