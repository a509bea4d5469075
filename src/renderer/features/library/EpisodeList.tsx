import { countOf } from '../../../shared/plural';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { useStudio } from '../../state/store';
import { Icon } from '../../ui/Icon';
import { NewItemForm } from '../../ui/NewItemForm';

export function EpisodeList() {
  const {
    episodes,
    selectedShowId,
    selectedEpisodeId,
    selectEpisode,
    createEpisode,
    moveEpisode,
    moveToTrash,
  } = useStudio();
  if (!selectedShowId) return null;
  return (
    <section className="sidebar-section" aria-labelledby="episodes-heading">
      <h2 id="episodes-heading">Episodes</h2>
      {episodes.length === 0 && <p className="hint">No episodes in this show yet.</p>}
      <ul className="item-list">
        {episodes.map((episode, i) => (
          <li
            key={episode.id}
            className={episode.id === selectedEpisodeId ? 'selected' : undefined}
          >
            <button
              type="button"
              className="item-main"
              aria-current={episode.id === selectedEpisodeId}
              onClick={() => selectEpisode(episode.id)}
            >
              <span className="item-title">{episode.title}</span>
              <span className="item-meta">
                {countOf(episode.trackCount, 'track')} ·{' '}
                {formatDuration(samplesToSeconds(episode.durationSamples))}
              </span>
            </button>
            <span className="item-actions">
              <button
                type="button"
                className="icon"
                aria-label={`Move ${episode.title} up`}
                disabled={i === 0}
                onClick={() => moveEpisode(episode.id, -1)}
              >
                <Icon name="up" />
              </button>
              <button
                type="button"
                className="icon"
                aria-label={`Move ${episode.title} down`}
                disabled={i === episodes.length - 1}
                onClick={() => moveEpisode(episode.id, 1)}
              >
                <Icon name="down" />
              </button>
              <button
                type="button"
                className="icon"
                aria-label={`Move ${episode.title} to trash`}
                onClick={() => moveToTrash('episode', episode.id)}
              >
                <Icon name="trash" />
              </button>
            </span>
          </li>
        ))}
      </ul>
      <NewItemForm placeholder="New episode title" label="Add episode" onCreate={createEpisode} />
    </section>
  );
}
