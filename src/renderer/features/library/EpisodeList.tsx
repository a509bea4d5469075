import { countOf } from '../../../shared/plural';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { useStudio } from '../../state/store';
import { ItemActions } from '../../ui/ItemActions';
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
            <ItemActions
              name={episode.title}
              first={i === 0}
              last={i === episodes.length - 1}
              onMove={(delta) => moveEpisode(episode.id, delta)}
              onTrash={() => moveToTrash('episode', episode.id)}
            />
          </li>
        ))}
      </ul>
      <NewItemForm placeholder="New episode title" label="Add episode" onCreate={createEpisode} />
    </section>
  );
}
