import { refuse, requireSamples } from './access';
import { type Edit, EditMarker } from './model';

/** Markers (chapters, notes, ad slots): kept in position order, a new one after its equals. */

function markerIndex(edit: Edit, markerId: string): number {
  const index = edit.markers.findIndex((marker) => marker.id === markerId);
  return index >= 0 ? index : refuse('That marker is no longer in the edit.', { markerId });
}

function requireTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) refuse('A marker needs a title.');
  if (trimmed.length > 500) refuse('A marker title can be at most 500 characters.');
  return trimmed;
}

function inserted(markers: EditMarker[], marker: EditMarker): EditMarker[] {
  const at = markers.findIndex((other) => other.position > marker.position);
  const next = markers.slice();
  next.splice(at < 0 ? markers.length : at, 0, marker);
  return next;
}

export function addMarker(edit: Edit, args: { marker: EditMarker }): Edit {
  const parsed = EditMarker.safeParse(args.marker);
  if (!parsed.success) refuse(`That marker is not valid: ${parsed.error.issues[0]?.message}`);
  const marker = { ...parsed.data, title: requireTitle(parsed.data.title) };
  if (edit.markers.some((other) => other.id === marker.id)) {
    refuse('A marker with that id is already in the edit.');
  }
  return { ...edit, markers: inserted(edit.markers, marker) };
}

export function moveMarker(edit: Edit, args: { markerId: string; position: number }): Edit {
  const position = requireSamples(args.position, 'The marker position');
  const index = markerIndex(edit, args.markerId);
  const marker = edit.markers[index]!;
  if (marker.position === position) return edit;
  const rest = edit.markers.filter((_, i) => i !== index);
  return { ...edit, markers: inserted(rest, { ...marker, position }) };
}

export function renameMarker(edit: Edit, args: { markerId: string; title: string }): Edit {
  const title = requireTitle(args.title);
  const index = markerIndex(edit, args.markerId);
  const marker = edit.markers[index]!;
  if (marker.title === title) return edit;
  return { ...edit, markers: edit.markers.map((m, i) => (i === index ? { ...marker, title } : m)) };
}

export function removeMarkers(edit: Edit, args: { markerIds: readonly string[] }): Edit {
  const doomed = new Set(args.markerIds);
  for (const id of doomed) markerIndex(edit, id);
  if (doomed.size === 0) return edit;
  return { ...edit, markers: edit.markers.filter((marker) => !doomed.has(marker.id)) };
}

/**
 * Changes a marker's kind and link. Only chapters carry a link or an image (Podcasting 2.0
 * chapters), so a marker that stops being a chapter drops them; a link must be http(s).
 */
export function setMarkerKind(
  edit: Edit,
  args: { markerId: string; kind: EditMarker['kind']; url?: string | null },
): Edit {
  const index = markerIndex(edit, args.markerId);
  const marker = edit.markers[index]!;
  const { url: _url, imageAssetId: _image, ...rest } = marker;
  const url = args.url === undefined ? marker.url : (args.url?.trim() ?? '') || undefined;
  const next: EditMarker =
    args.kind === 'chapter'
      ? {
          ...rest,
          kind: 'chapter',
          ...(url ? { url } : {}),
          ...(marker.imageAssetId ? { imageAssetId: marker.imageAssetId } : {}),
        }
      : { ...rest, kind: args.kind };
  const parsed = EditMarker.safeParse(next);
  if (!parsed.success)
    refuse('A chapter link must be a web address starting with http:// or https://.');
  if (JSON.stringify(parsed.data) === JSON.stringify(marker)) return edit;
  return { ...edit, markers: edit.markers.map((m, i) => (i === index ? next : m)) };
}
