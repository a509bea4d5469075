import type { StudioError } from '../../../shared/errors';
import { countOf } from '../../../shared/plural';
import type { TakeSaved } from '../../../shared/recording';
import { formatDuration } from '../../../shared/time';
import type { TakeAdded } from './add-take';

/**
 * What a stopped or recovered take became, in plain words for the user: how much was kept, then
 * anything that went wrong on the way (a lost device, a track that could not be added).
 */
export function takeSaved(
  added: TakeAdded,
  markers: number,
  how: { recovered: boolean; reason?: StudioError | null; stoppedAtSec?: number },
): TakeSaved {
  const kept = added.tracks.filter((track) => track.status === 'added');
  const longest = Math.max(0, ...kept.map((track) => track.durationSec));
  const markerWords = markers > 0 ? ` and ${countOf(markers, 'marker')}` : '';
  const sentences: string[] = [];
  if (how.reason) sentences.push(stopReason(how.reason, how.stoppedAtSec ?? longest));
  if (kept.length === 0)
    sentences.push(
      `No track held any audio, so no track was added${markers > 0 ? ` (${countOf(markers, 'marker')} added)` : ''}.`,
    );
  else if (how.recovered)
    sentences.push(
      `Recovered ${kept.map((track) => `“${track.name}” (${formatDuration(track.durationSec)})`).join(', ')}${markerWords}.`,
    );
  else
    sentences.push(
      `Saved ${countOf(kept.length, 'track')} (${formatDuration(longest)})${markerWords}.`,
    );
  for (const track of added.tracks) {
    // The reason the whole take stopped is on every track already; say it once.
    const ownError = track.captureError && track.captureError !== how.reason?.message;
    if (track.status === 'added' && ownError)
      sentences.push(`“${track.name}” stopped early: ${sentence(track.captureError)}`);
    if (track.status === 'skipped') sentences.push(`“${track.name}”: ${sentence(track.error)}`);
    if (track.status === 'failed')
      sentences.push(`“${track.name}” could not be added: ${sentence(track.error)}`);
    if (track.note && track.status !== 'skipped') sentences.push(track.note);
  }
  if (added.tracks.some((track) => track.status === 'failed'))
    sentences.push(`The take’s files are kept in ${added.dir}.`);
  return {
    episodeId: added.episodeId,
    dir: added.dir,
    tracks: added.tracks.map((track) => ({
      name: track.name,
      status: track.status,
      trackId: track.trackId,
      durationSec: track.durationSec,
      error: track.error ?? track.note ?? track.captureError,
    })),
    markers,
    message: sentences.join(' '),
  };
}

/** Ends a message taken from elsewhere with a full stop, once. */
function sentence(text: string | null): string {
  const trimmed = (text ?? 'unknown reason').trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Why the recorder stopped a take by itself, with the point on the take's clock where it did. */
function stopReason(error: StudioError, atSec: number): string {
  const at = formatDuration(atSec);
  if (error.code === 'disk_full')
    return `The disk is full: recording stopped at ${at}; everything up to there is saved.`;
  return `Recording stopped at ${at}. ${sentence(error.message)}`;
}
