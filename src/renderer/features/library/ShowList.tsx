import { countOf } from '../../../shared/plural';
import { useStudio } from '../../state/store';
import { Icon } from '../../ui/Icon';
import { NewItemForm } from '../../ui/NewItemForm';

export function ShowList() {
  const { shows, selectedShowId, selectShow, selectEpisode, createShow, moveShow, moveToTrash } =
    useStudio();
  return (
    <section className="sidebar-section" aria-labelledby="shows-heading">
      <h2 id="shows-heading">Shows</h2>
      {shows.length === 0 && <p className="hint">No shows yet. Name your podcast to begin.</p>}
      <ul className="item-list">
        {shows.map((show, i) => (
          <li key={show.id} className={show.id === selectedShowId ? 'selected' : undefined}>
            <button
              type="button"
              className="item-main"
              aria-current={show.id === selectedShowId}
              // A show's name opens its page (details and episodes).
              onClick={() => void selectShow(show.id).then(() => selectEpisode(null))}
            >
              <span className="item-title">{show.title}</span>
              <span className="item-meta">{countOf(show.episodeCount, 'episode')}</span>
            </button>
            <span className="item-actions">
              <button
                type="button"
                className="icon"
                aria-label={`Move ${show.title} up`}
                disabled={i === 0}
                onClick={() => moveShow(show.id, -1)}
              >
                <Icon name="up" />
              </button>
              <button
                type="button"
                className="icon"
                aria-label={`Move ${show.title} down`}
                disabled={i === shows.length - 1}
                onClick={() => moveShow(show.id, 1)}
              >
                <Icon name="down" />
              </button>
              <button
                type="button"
                className="icon"
                aria-label={`Move ${show.title} to trash`}
                onClick={() => moveToTrash('show', show.id)}
              >
                <Icon name="trash" />
              </button>
            </span>
          </li>
        ))}
      </ul>
      <NewItemForm placeholder="New show title" label="Add show" onCreate={createShow} />
    </section>
  );
}
