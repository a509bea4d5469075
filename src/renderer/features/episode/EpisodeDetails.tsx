import { type Episode, episodeStatuses, episodeTypes } from '../../../shared/domain';
import { useStudio } from '../../state/store';
import { NumberField, SelectField, TextField } from '../../ui/Fields';

/** Number, season, type, status and notes, folded away until wanted. */
export function EpisodeDetails({ episode }: { episode: Episode }) {
  const updateEpisode = useStudio((s) => s.updateEpisode);
  const save = (patch: Parameters<typeof updateEpisode>[1]) => updateEpisode(episode.id, patch);
  return (
    <details className="details-fold">
      <summary>Episode details</summary>
      <div className="fields">
        <NumberField
          label="Number"
          value={episode.number}
          onCommit={(number) => save({ number })}
        />
        <NumberField
          label="Season"
          value={episode.season}
          onCommit={(season) => save({ season })}
        />
        <SelectField
          label="Type"
          value={episode.type}
          options={episodeTypes}
          onCommit={(type) => save({ type })}
        />
        <SelectField
          label="Status"
          value={episode.status}
          options={episodeStatuses}
          onCommit={(status) => save({ status })}
        />
        <TextField
          label="Notes"
          value={episode.notes}
          multiline
          onCommit={(notes) => save({ notes })}
        />
      </div>
    </details>
  );
}
