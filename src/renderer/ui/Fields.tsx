import { type ReactNode, useEffect, useId, useState } from 'react';

/**
 * Form fields that save themselves: a change is committed when the field loses focus (or on
 * Enter for single-line fields), and only if the value really changed. Escape restores it.
 */
function Labelled(props: { id: string; label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={props.wide ? 'field wide' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  multiline?: boolean;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => {
    const next = props.multiline ? draft : draft.trim();
    if (props.required && !next) return setDraft(props.value);
    if (next !== props.value) props.onCommit(next);
  };
  const common = {
    id,
    value: draft,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    onBlur: commit,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Escape') setDraft(props.value);
      if (e.key === 'Enter' && !props.multiline) (e.target as HTMLElement).blur();
    },
  };
  return (
    <Labelled id={id} label={props.label} wide={props.multiline}>
      {props.multiline ? <textarea rows={4} {...common} /> : <input {...common} />}
    </Labelled>
  );
}

export function NumberField(props: {
  label: string;
  value: number | null;
  onCommit: (value: number | null) => void;
}) {
  const id = useId();
  const shown = props.value === null ? '' : String(props.value);
  const [draft, setDraft] = useState(shown);
  useEffect(() => setDraft(shown), [shown]);
  const commit = () => {
    const trimmed = draft.trim();
    const next = trimmed === '' ? null : Number(trimmed);
    if (next !== null && (!Number.isInteger(next) || next < 0)) return setDraft(shown);
    if (next !== props.value) props.onCommit(next);
  };
  return (
    <Labelled id={id} label={props.label}>
      <input
        id={id}
        inputMode="numeric"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDraft(shown);
          if (e.key === 'Enter') e.currentTarget.blur();
        }}
      />
    </Labelled>
  );
}

export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  onCommit: (value: T) => void;
}) {
  const id = useId();
  const [value, setValue] = useState(props.value);
  useEffect(() => setValue(props.value), [props.value]);
  return (
    <Labelled id={id} label={props.label}>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          setValue(e.target.value as T);
          props.onCommit(e.target.value as T);
        }}
      >
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option[0]?.toUpperCase() + option.slice(1)}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

export function CheckboxField(props: {
  label: string;
  checked: boolean;
  onCommit: (checked: boolean) => void;
}) {
  const id = useId();
  // Shown at once; the saved value comes back through props.
  const [checked, setChecked] = useState(props.checked);
  useEffect(() => setChecked(props.checked), [props.checked]);
  return (
    <div className="field checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          setChecked(e.target.checked);
          props.onCommit(e.target.checked);
        }}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

/**
 * A decimal within [min, max], with its unit after it. Committed on blur or Enter; a value that is
 * not a number or out of range is refused (the field says why) and the saved value comes back.
 */
export function DecimalField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  unit: string;
  disabled?: boolean;
  onCommit: (value: number) => void;
}) {
  const id = useId();
  const shown = String(props.value);
  const [draft, setDraft] = useState(shown);
  const [refused, setRefused] = useState(false);
  useEffect(() => setDraft(shown), [shown]);
  const commit = () => {
    const next = Number(draft.trim().replace(',', '.').replace('−', '-'));
    if (draft.trim() === '' || !Number.isFinite(next) || next < props.min || next > props.max) {
      setRefused(true);
      setDraft(shown);
      return;
    }
    setRefused(false);
    if (next !== props.value) props.onCommit(next);
  };
  return (
    <div className="field decimal">
      <label htmlFor={id}>{props.label}</label>
      <span className="with-unit">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={props.min}
          max={props.max}
          step={props.step}
          value={draft}
          disabled={props.disabled}
          aria-invalid={refused || undefined}
          aria-describedby={refused ? `${id}-range` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setDraft(shown);
            if (e.key === 'Enter') e.currentTarget.blur();
          }}
        />
        <span className="unit">{props.unit}</span>
      </span>
      {refused && (
        <span id={`${id}-range`} className="hint error">
          {props.min} to {props.max} {props.unit}
        </span>
      )}
    </div>
  );
}
