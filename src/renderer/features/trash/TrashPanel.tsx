import { client } from '../../client';
import { useStudio } from '../../state/store';

export function TrashPanel() {
  const { trash, restore, loadTrash, notify } = useStudio();
  return (
    <aside className="panel" aria-labelledby="trash-heading">
      <header>
        <h2 id="trash-heading">Trash</h2>
        <button
          type="button"
          disabled={trash.length === 0}
          onClick={() => {
            if (
              !window.confirm(
                'Delete everything in the trash for good? Imported audio in it is removed from disk.',
              )
            )
              return;
            client
              .request('trash.empty', {})
              .then(loadTrash)
              .catch((e: unknown) => notify({ kind: 'error', message: (e as Error).message }));
          }}
        >
          Empty trash
        </button>
      </header>
      {trash.length === 0 && <p className="hint">The trash is empty.</p>}
      <ul className="jobs">
        {trash.map((item) => (
          <li key={item.id} className="job">
            <div className="job-title">{item.title}</div>
            <div className="job-stage">
              {item.entity}
              {item.parentTitle ? ` in ${item.parentTitle}` : ''}
            </div>
            <button type="button" onClick={() => restore(item.id)}>
              Restore
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
