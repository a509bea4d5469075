import { useEffect } from 'react';
import type { EpisodeDetail } from '../../../shared/domain';
import type { RecorderState } from '../../../shared/recording';
import { client } from '../../client';
import { useRecorder } from '../../state/recorder';
import { useStudio } from '../../state/store';
import { Icon } from '../../ui/Icon';
import { levelHistory } from './level-history';
import { RecorderLive } from './RecorderLive';
import { RecorderSetup } from './RecorderSetup';
import './recorder.css';

const stateNames: Record<RecorderState, string> = {
  idle: 'Setup',
  armed: 'Armed',
  recording: 'Recording',
  paused: 'Paused',
};

/** Said to screen readers when the recorder changes state. */
const stateAnnouncements: Record<RecorderState, string> = {
  idle: 'Recorder ready to set up.',
  armed: 'Armed: meters are live, nothing is being written.',
  recording: 'Recording.',
  paused: 'Paused.',
};

/** The recorder, shown in the episode view: setup while idle, meters and transport when armed. */
export function RecorderPanel({ detail }: { detail: EpisodeDetail }) {
  const open = useRecorder((s) => s.open);
  const status = useRecorder((s) => s.status);
  const pending = useRecorder((s) => s.pending);
  const saving = useRecorder((s) => s.savingTakes > 0);
  const closeRecorder = useRecorder((s) => s.closeRecorder);

  // The level readings go straight into the history the meters draw from, outside React.
  useEffect(() => {
    if (!open) return;
    return client.on('recorder.levels', (levels) =>
      levelHistory.push(
        levels,
        performance.now(),
        useRecorder.getState().status?.state === 'recording',
      ),
    );
  }, [open]);

  if (!open) return null;
  const state = status?.state ?? 'idle';
  const takeOpen = state === 'recording' || state === 'paused';
  const elsewhere = state !== 'idle' && status?.episodeId !== detail.episode.id;

  return (
    <section className={`recorder rec-${state}`} aria-labelledby="recorder-heading">
      <header className="recorder-head">
        <h2 id="recorder-heading">Recorder</h2>
        <span className={`rec-state rec-state-${state}`} data-testid="recorder-state">
          {state === 'recording' && <span className="rec-dot" aria-hidden="true" />}
          {stateNames[state]}
        </span>
        <p className="visually-hidden" role="status">
          {state === 'idle' && saving ? 'Saving the take…' : stateAnnouncements[state]}
        </p>
        <button
          type="button"
          className="icon rec-close"
          aria-label="Close the recorder"
          title={takeOpen ? 'Stop the take first' : 'Close the recorder'}
          disabled={takeOpen || pending !== null}
          onClick={() => void closeRecorder()}
        >
          <Icon name="close" />
        </button>
      </header>
      {elsewhere ? (
        <OtherEpisode episodeId={status?.episodeId ?? null} />
      ) : status && state !== 'idle' ? (
        <RecorderLive status={status} />
      ) : (
        <RecorderSetup showId={detail.show.id} episodeId={detail.episode.id} />
      )}
    </section>
  );
}

/** The recorder is busy for another episode: say so and offer the way there. */
function OtherEpisode({ episodeId }: { episodeId: string | null }) {
  const selectEpisode = useStudio((s) => s.selectEpisode);
  return (
    <div className="rec-empty" role="note">
      <p>The recorder is in use for another episode. Stop or disarm it there first.</p>
      {episodeId && (
        <button type="button" onClick={() => void selectEpisode(episodeId)}>
          Go to that episode
        </button>
      )}
    </div>
  );
}
