import { countOf } from '../../../shared/plural';
import { useStudio } from '../../state/store';
import { ItemActions } from '../../ui/ItemActions';
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
            <ItemActions
              name={show.title}
              first={i === 0}
              last={i === shows.length - 1}
              onMove={(delta) => moveShow(show.id, delta)}
              onTrash={() => moveToTrash('show', show.id)}
            />
          </li>
        ))}
      </ul>
      <NewItemForm placeholder="New show title" label="Add show" onCreate={createShow} />
    </section>
  );
}
