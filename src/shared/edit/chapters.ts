import { z } from 'zod';
import { MODEL_RATE } from '../time';
import { refuse } from './access';
import { editLength } from './geometry';
import { freshId, type NewId, randomId } from './ids';
import { type Edit, EditMarker } from './model';

/**
 * Chapters in and out of the edit: markers of kind 'chapter' as Podcasting 2.0 JSON chapters
 * (https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md)
 * and as Audacity label files. Pure, so the renderer and the CLI share it.
 */

export const PODCASTING_CHAPTERS_VERSION = '1.2.0';

export interface PodcastingChapter {
  startTime: number;
  title: string;
  url?: string;
  img?: string;
}

export interface PodcastingChapters {
  version: string;
  chapters: PodcastingChapter[];
}

export interface ChaptersExportOptions {
  /** A public URL for a chapter image asset; without it `img` is left out (an asset id is no URL). */
  imageUrl?: (assetId: string) => string | undefined;
}

export interface ChaptersImportOptions {
  newId?: NewId;
}

function chapterMarkers(edit: Edit): EditMarker[] {
  return edit.markers.filter((marker) => marker.kind === 'chapter');
}

/** Seconds rounded to the millisecond: the precision podcast apps use for chapters. */
function toMilliseconds(position: number): number {
  return Math.round((position * 1000) / MODEL_RATE) / 1000;
}

function toSamples(seconds: number): number {
  return Math.round(seconds * MODEL_RATE);
}

export function chaptersToPodcastingJson(
  edit: Edit,
  options: ChaptersExportOptions = {},
): PodcastingChapters {
  return {
    version: PODCASTING_CHAPTERS_VERSION,
    chapters: chapterMarkers(edit).map((marker) => {
      const chapter: PodcastingChapter = {
        startTime: toMilliseconds(marker.position),
        title: marker.title,
      };
      if (marker.url !== undefined) chapter.url = marker.url;
      const img =
        marker.imageAssetId === undefined ? undefined : options.imageUrl?.(marker.imageAssetId);
      if (img !== undefined) chapter.img = img;
      return chapter;
    }),
  };
}

// Loose objects: the spec has more fields (toc, endTime, location, podcastName …) that we ignore.
const PodcastingChapterInput = z.looseObject({
  startTime: z
    .number({ error: 'startTime must be a number of seconds' })
    .min(0, { error: 'startTime must be 0 or more seconds' }),
  title: z.string({ error: 'title must be text' }).optional(),
  url: z.string({ error: 'url must be text' }).optional(),
  img: z.string({ error: 'img must be text' }).optional(),
});

const PodcastingChaptersInput = z.looseObject({
  version: z.string({ error: 'version must be text, e.g. "1.2.0"' }),
  chapters: z.array(PodcastingChapterInput, { error: 'chapters must be a list' }),
});

function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** A chapter as a marker, checked with the marker schema so an import can never break the edit. */
function chapterMarker(
  where: string,
  fields: { position: number; title: string; url?: string },
  id: string,
  index: number,
): EditMarker {
  const title = fields.title.trim() || `Chapter ${index + 1}`;
  if (title.length > 500) refuse(`${where}: the title is longer than 500 characters.`);
  const marker: EditMarker = { id, position: fields.position, title, kind: 'chapter' };
  if (fields.url !== undefined && fields.url.trim() !== '') marker.url = fields.url.trim();
  const parsed = EditMarker.safeParse(marker);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.path[0] === 'url' ? 'the url must be an http or https link' : issue?.message;
    refuse(`${where}: ${field}.`);
  }
  return parsed.data;
}

/**
 * Reads a Podcasting 2.0 JSON chapters document. Chapters come back sorted by start; `img` is
 * dropped because an edit refers to images by asset, not URL. A chapter without a title gets
 * "Chapter n" (the spec makes title optional, the edit needs one).
 */
export function chaptersFromPodcastingJson(
  text: string,
  options: ChaptersImportOptions = {},
): EditMarker[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    refuse(
      `The chapters file is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuse('The chapters file is not a Podcasting 2.0 chapters document: expected an object.');
  }
  const parsed = PodcastingChaptersInput.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? issuePath(issue.path) : '';
    refuse(
      `The chapters file is not a Podcasting 2.0 chapters document: ${at ? `${at}: ` : ''}${issue?.message ?? 'unknown problem'}.`,
    );
  }
  const used = new Set<string>();
  const newId = options.newId ?? randomId;
  const markers = parsed.data.chapters.map((chapter, index) =>
    chapterMarker(
      `Chapter ${index + 1} (chapters[${index}])`,
      { position: toSamples(chapter.startTime), title: chapter.title ?? '', url: chapter.url },
      freshId(used, newId),
      index,
    ),
  );
  // Stable, so chapters at the same time keep the file's order.
  return markers.sort((a, b) => a.position - b.position);
}

/** Tabs and line breaks would split an Audacity label; a title gets spaces instead. */
function labelText(title: string): string {
  return title.replace(/[\t\r\n]+/g, ' ');
}

/**
 * Audacity region labels, one a chapter: `start\tend\ttitle`, seconds with 6 decimals (finer than
 * a sample, so a round trip is exact). A chapter ends where the next starts, the last at the end
 * of the edit (or at its own start when it lies past the last clip: a point label).
 */
export function chaptersToAudacityLabels(edit: Edit): string {
  const chapters = chapterMarkers(edit);
  const length = editLength(edit);
  return chapters
    .map((marker, i) => {
      const end = Math.max(marker.position, chapters[i + 1]?.position ?? length);
      const seconds = (samples: number) => (samples / MODEL_RATE).toFixed(6);
      return `${seconds(marker.position)}\t${seconds(end)}\t${labelText(marker.title)}\n`;
    })
    .join('');
}

function labelSeconds(field: string | undefined, line: number, what: string): number {
  const text = field?.trim() ?? '';
  // Number('') is 0 and Number('0x10') is 16: only plain decimals count.
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    refuse(`Label file line ${line}: the ${what} “${text}” is not a number of seconds.`);
  }
  const seconds = Number(text);
  if (seconds < 0)
    refuse(`Label file line ${line}: the ${what} must be 0 or more (it is ${text}).`);
  return seconds;
}

/**
 * Reads an Audacity label file (point or region labels; only the start is used, a chapter lasts
 * until the next). Spectral-selection lines (starting with `\`) and blank lines are skipped; CRLF
 * is fine. A label without text becomes "Chapter n".
 */
export function chaptersFromAudacityLabels(
  text: string,
  options: ChaptersImportOptions = {},
): EditMarker[] {
  const used = new Set<string>();
  const newId = options.newId ?? randomId;
  const markers: EditMarker[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('\\')) return;
    const fields = raw.split('\t');
    if (fields.length < 2) {
      refuse(
        `Label file line ${line}: expected start, end and title separated by tabs, got “${raw.slice(0, 80)}”.`,
      );
    }
    const start = labelSeconds(fields[0], line, 'start');
    const end = labelSeconds(fields[1], line, 'end');
    if (end < start) {
      refuse(`Label file line ${line}: the end (${fields[1]}) is before the start (${fields[0]}).`);
    }
    markers.push(
      chapterMarker(
        `Label file line ${line}`,
        { position: toSamples(start), title: fields.slice(2).join('\t') },
        freshId(used, newId),
        markers.length,
      ),
    );
  });
  return markers.sort((a, b) => a.position - b.position);
}

function sameMarker(a: EditMarker, b: EditMarker): boolean {
  return (
    a.id === b.id &&
    a.position === b.position &&
    a.title === b.title &&
    a.kind === b.kind &&
    a.url === b.url &&
    a.imageAssetId === b.imageAssetId
  );
}

/**
 * The edit with its chapters replaced by `chapters`; notes and ads stay. Markers stay in position
 * order, a chapter after other markers at the same position (as addMarker places a new one).
 */
export function replaceChapters(edit: Edit, chapters: readonly EditMarker[]): Edit {
  const kept = edit.markers.filter((marker) => marker.kind !== 'chapter');
  const ids = new Set(kept.map((marker) => marker.id));
  const checked = chapters.map((chapter) => {
    const parsed = EditMarker.safeParse(chapter);
    if (!parsed.success) refuse(`That chapter is not valid: ${parsed.error.issues[0]?.message}`);
    if (parsed.data.kind !== 'chapter') refuse('Only chapter markers can replace the chapters.');
    if (ids.has(parsed.data.id)) refuse('A marker with that id is already in the edit.');
    ids.add(parsed.data.id);
    return parsed.data;
  });
  const sortedChapters = checked.sort((a, b) => a.position - b.position);
  const markers = [...kept, ...sortedChapters].sort((a, b) => a.position - b.position);
  const unchanged =
    markers.length === edit.markers.length &&
    markers.every((marker, i) => sameMarker(marker, edit.markers[i]!));
  return unchanged ? edit : { ...edit, markers };
}
