import type { Show } from '../../../shared/domain';
import { useStudio } from '../../state/store';
import { CheckboxField, TextField } from '../../ui/Fields';

/** The show's page: its feed-level details, saved as you leave each field. */
export function ShowDetails({ show }: { show: Show }) {
  const updateShow = useStudio((s) => s.updateShow);
  const save = (patch: Parameters<typeof updateShow>[1]) => updateShow(show.id, patch);
  return (
    <section className="details" aria-label="Show details">
      <h1>{show.title}</h1>
      <p className="meta">
        Show details, as podcast apps will list them. Pick an episode on the left, or add one:
        episodes hold the tracks you import or record.
      </p>
      <div className="fields">
        <TextField
          label="Title"
          value={show.title}
          required
          maxLength={200}
          onCommit={(title) => save({ title })}
        />
        <TextField
          label="Author"
          value={show.author}
          maxLength={200}
          onCommit={(author) => save({ author })}
        />
        <TextField
          label="Language"
          value={show.language}
          maxLength={35}
          placeholder="en"
          onCommit={(language) => save({ language })}
        />
        <TextField
          label="Category"
          value={show.category}
          maxLength={100}
          placeholder="Technology"
          onCommit={(category) => save({ category })}
        />
        <TextField
          label="Description"
          value={show.description}
          multiline
          maxLength={10_000}
          onCommit={(description) => save({ description })}
        />
        <CheckboxField
          label="Explicit content"
          checked={show.explicit}
          onCommit={(explicit) => save({ explicit })}
        />
      </div>
    </section>
  );
}
