/**
 * Which keys the app's shortcuts may take from the focused element. A text field keeps every key;
 * a slider or radio keeps only the keys it moves with, so after dragging a slider the shortcuts
 * (Space, M, Esc…) still work without clicking elsewhere first.
 */

/** What the check needs of the focused element (a plain object in tests). */
export interface FocusedElement {
  tagName: string;
  /** An input's type, lowercase as `HTMLInputElement.type` gives it. */
  type?: string | undefined;
  isContentEditable?: boolean | undefined;
}

/** Input types that take no text. */
const NON_TEXT_INPUT_TYPES = new Set([
  'range',
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'color',
  'file',
  'image',
  'hidden',
]);

const ARROWS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];

/** The keys a non-text input uses itself (a slider's arrows would otherwise also seek the player). */
const CONTROL_KEYS: Readonly<Record<string, readonly string[]>> = {
  range: [...ARROWS, 'Home', 'End', 'PageUp', 'PageDown'],
  radio: ARROWS,
};

/** A field the user types into: a text-like input, a textarea, a select, or editable content. */
export function isTextEntry(element: FocusedElement): boolean {
  if (element.isContentEditable) return true;
  const tag = element.tagName.toUpperCase();
  // A select is counted as typing: it takes letters, Space and the arrows itself.
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NON_TEXT_INPUT_TYPES.has((element.type ?? 'text').toLowerCase());
}

/** True when the focused element should have this key rather than the app's shortcuts. */
export function keyBelongsToFocus(element: FocusedElement | null, key: string): boolean {
  if (!element) return false;
  if (isTextEntry(element)) return true;
  if (element.tagName.toUpperCase() !== 'INPUT') return false;
  return CONTROL_KEYS[(element.type ?? '').toLowerCase()]?.includes(key) ?? false;
}

/** The event's target as the check above reads it; null when it is not an element. */
export function focusedElement(target: EventTarget | null): FocusedElement | null {
  if (!(target instanceof HTMLElement)) return null;
  return {
    tagName: target.tagName,
    type: target instanceof HTMLInputElement ? target.type : undefined,
    isContentEditable: target.isContentEditable,
  };
}

/**
 * A letter shortcut's letter, lowercase. `key` is the letter the layout types, so on a Latin layout
 * it follows the keycap (AZERTY's M is M); on others (Cyrillic, Greek…) it is not a Latin letter,
 * so the key's position (`code`, KeyM) stands in for it.
 */
export function shortcutLetter(e: Pick<KeyboardEvent, 'key' | 'code'>): string {
  const key = e.key.toLowerCase();
  if (/^[a-z]$/.test(key)) return key;
  const position = /^Key([A-Z])$/.exec(e.code);
  return position?.[1] ? position[1].toLowerCase() : key;
}
