import { Icon } from './Icon';

/** Move up, move down and move to trash for one item of an ordered list. */
export function ItemActions(props: {
  /** How the item is named in the buttons' labels, e.g. "Pilot" or "track Host". */
  name: string;
  first: boolean;
  last: boolean;
  onMove: (delta: -1 | 1) => void;
  onTrash: () => void;
}) {
  return (
    <span className="item-actions">
      <button
        type="button"
        className="icon"
        aria-label={`Move ${props.name} up`}
        disabled={props.first}
        onClick={() => props.onMove(-1)}
      >
        <Icon name="up" />
      </button>
      <button
        type="button"
        className="icon"
        aria-label={`Move ${props.name} down`}
        disabled={props.last}
        onClick={() => props.onMove(1)}
      >
        <Icon name="down" />
      </button>
      <button
        type="button"
        className="icon"
        aria-label={`Move ${props.name} to trash`}
        onClick={props.onTrash}
      >
        <Icon name="trash" />
      </button>
    </span>
  );
}
