import { useRecorder } from '../../state/recorder';
import { useStudio } from '../../state/store';
import { formatClock } from './recorder-format';
import { TakeClock } from './TakeClock';

/** In the top bar while a take is open, wherever the user is: a way back to it. */
export function RecordingIndicator() {
  const status = useRecorder((s) => s.status);
  const selectedEpisodeId = useStudio((s) => s.selectedEpisodeId);
  if (!status || (status.state !== 'recording' && status.state !== 'paused')) return null;
  const here = status.episodeId === selectedEpisodeId;
  const label = status.state === 'recording' ? 'Recording' : 'Paused';
  return (
    <button
      type="button"
      className={`rec-indicator ${status.state}`}
      aria-label={`${label}, ${formatClock(status.elapsedSec)}${here ? '' : '. Go to the take'}`}
      disabled={here}
      onClick={() => {
        if (status.episodeId) void useStudio.getState().selectEpisode(status.episodeId);
        useRecorder.getState().openRecorder();
      }}
    >
      <span className="rec-dot" aria-hidden="true" />
      <span aria-hidden="true">{label === 'Recording' ? 'REC' : 'PAUSED'}</span>
      <TakeClock status={status} label="Recording time" />
    </button>
  );
}
