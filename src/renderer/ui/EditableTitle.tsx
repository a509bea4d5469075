import { useEffect, useState } from 'react';

/** A title that becomes a text field on click or Enter; Enter saves, Escape cancels. */
export function EditableTitle(props: {
  value: string;
  label: string;
  onSave: (value: string) => void;
  as?: 'h1' | 'h2' | 'h3';
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const Heading = props.as ?? 'h1';
  if (!editing) {
    return (
      <Heading className="editable-title">
        <button
          type="button"
          className="title-button"
          title={`Rename ${props.label}`}
          onClick={() => setEditing(true)}
        >
          {props.value}
        </button>
      </Heading>
    );
  }
  const save = () => {
    setEditing(false);
    const trimmed = draft.trim();
    if (trimmed && trimmed !== props.value) props.onSave(trimmed);
    else setDraft(props.value);
  };
  return (
    <input
      className="title-input"
      aria-label={`${props.label} title`}
      value={draft}
      // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to edit it
      autoFocus
      onChange={(e) => setDraft(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') save();
        if (e.key === 'Escape') {
          setDraft(props.value);
          setEditing(false);
        }
      }}
    />
  );
}
