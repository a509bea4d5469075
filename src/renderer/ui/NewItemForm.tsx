import { useState } from 'react';

/** A one-field form for creating a show or an episode. */
export function NewItemForm(props: {
  placeholder: string;
  label: string;
  onCreate: (title: string) => void;
}) {
  const [title, setTitle] = useState('');
  return (
    <form
      className="new-item"
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = title.trim();
        if (!trimmed) return;
        props.onCreate(trimmed);
        setTitle('');
      }}
    >
      <input
        aria-label={props.placeholder}
        placeholder={props.placeholder}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <button type="submit" disabled={!title.trim()}>
        {props.label}
      </button>
    </form>
  );
}
