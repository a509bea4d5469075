import type { Marker } from '../../../shared/domain';
import { samplesToSeconds } from '../../../shared/time';
import { formatMarkerTime } from '../recorder/recorder-format';

/** The episode's markers in timeline order: where each is, and what it says. */
export function MarkersList({ markers }: { markers: readonly Marker[] }) {
  if (markers.length === 0) return null;
  return (
    <section className="markers" aria-labelledby="markers-heading">
      <h2 id="markers-heading">Markers</h2>
      <ol>
        {markers.map((marker) => (
          <li key={marker.id} data-testid="marker">
            <span className="marker-time">
              {formatMarkerTime(samplesToSeconds(marker.positionSamples))}
            </span>
            <span className="marker-title">{marker.title || 'Untitled marker'}</span>
            {marker.kind !== 'note' && <span className="badge">{marker.kind}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
