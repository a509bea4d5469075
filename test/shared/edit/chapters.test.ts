import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chaptersFromAudacityLabels,
  chaptersFromPodcastingJson,
  chaptersToAudacityLabels,
  chaptersToPodcastingJson,
  type EditMarker,
  replaceChapters,
  validateEdit,
} from '../../../src/shared/edit';
import { clip, counterIds, edit, track } from './builders';
import { refusal } from './expect-refused';

const chapter = (id: string, position: number, title: string, extra: Partial<EditMarker> = {}) =>
  ({ id, position, title, kind: 'chapter', ...extra }) as EditMarker;
const note = (id: string, position: number): EditMarker => ({
  id,
  position,
  title: id,
  kind: 'note',
});

/** 10 s of audio (480000 samples), a note and an ad between three chapters. */
const sample = edit(
  [track('t1', [clip({ id: 'c1', sourceOut: 480_000 })])],
  [
    chapter('ch1', 0, 'Intro', { url: 'https://example.com/intro' }),
    note('n1', 24_000),
    chapter('ch2', 96_000, 'Interview', { imageAssetId: 'img-1' }),
    { id: 'ad1', position: 120_000, title: 'Sponsor', kind: 'ad' },
    chapter('ch3', 300_000, 'Outro'),
  ],
);

/** What a round trip should keep: not the ids, which an import makes anew. */
const essentials = (markers: EditMarker[]) =>
  markers
    .filter((m) => m.kind === 'chapter')
    .map(({ id: _id, imageAssetId: _img, ...rest }) => rest);

describe('Podcasting 2.0 JSON chapters', () => {
  it('exports chapters only, in seconds, img only through a resolver', () => {
    expect(chaptersToPodcastingJson(sample)).toEqual({
      version: '1.2.0',
      chapters: [
        { startTime: 0, title: 'Intro', url: 'https://example.com/intro' },
        { startTime: 2, title: 'Interview' },
        { startTime: 6.25, title: 'Outro' },
      ],
    });
    const withImages = chaptersToPodcastingJson(sample, {
      imageUrl: (assetId) => `https://cdn.example.com/${assetId}.jpg`,
    });
    expect(withImages.chapters[1]).toEqual({
      startTime: 2,
      title: 'Interview',
      img: 'https://cdn.example.com/img-1.jpg',
    });
  });

  it('rounds start times to the millisecond', () => {
    const odd = edit([], [chapter('a', 12_345, 'Odd')]);
    expect(chaptersToPodcastingJson(odd).chapters[0]?.startTime).toBe(0.257);
  });

  it('round-trips through text', () => {
    const text = JSON.stringify(chaptersToPodcastingJson(sample));
    const markers = chaptersFromPodcastingJson(text, { newId: counterIds('ch') });
    expect(essentials(markers)).toEqual(essentials(sample.markers));
    expect(markers.map((m) => m.id)).toEqual(['ch-1', 'ch-2', 'ch-3']);
  });

  it('round-trips any chapters on millisecond positions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ms: fc.nat(10_800_000), title: fc.string({ minLength: 1 }) }), {
          maxLength: 8,
        }),
        (drafts) => {
          const chapters = drafts
            .map((d, i) => chapter(`m${i}`, d.ms * 48, d.title.trim() || `Chapter ${i + 1}`))
            .sort((a, b) => a.position - b.position);
          const e = edit([], chapters);
          const back = chaptersFromPodcastingJson(JSON.stringify(chaptersToPodcastingJson(e)));
          expect(essentials(back)).toEqual(essentials(chapters));
        },
      ),
    );
  });

  it('reads a known document: extra fields ignored, unsorted sorted, missing title named', () => {
    const doc = `{
      "version": "1.2.0",
      "author": "John Doe",
      "title": "Episode 1 - The Beginning",
      "podcastName": "Example Podcast",
      "chapters": [
        { "startTime": 168, "title": "Hello", "img": "https://example.com/hello.jpg" },
        { "startTime": 0, "title": "Intro", "url": "https://example.com" },
        { "startTime": 355.5, "toc": false },
        { "startTime": 20.04, "title": "  Topic  ", "endTime": 100, "location": { "name": "X", "geo": "geo:1,2" } }
      ]
    }`;
    const markers = chaptersFromPodcastingJson(doc, { newId: counterIds('c') });
    expect(markers).toEqual([
      { id: 'c-2', position: 0, title: 'Intro', kind: 'chapter', url: 'https://example.com' },
      { id: 'c-4', position: 961_920, title: 'Topic', kind: 'chapter' },
      { id: 'c-1', position: 8_064_000, title: 'Hello', kind: 'chapter' },
      { id: 'c-3', position: 17_064_000, title: 'Chapter 3', kind: 'chapter' },
    ]);
  });

  it('refuses bad documents with what is wrong', () => {
    expect(refusal(() => chaptersFromPodcastingJson('not json'))).toMatch(
      /^The chapters file is not JSON: /,
    );
    expect(refusal(() => chaptersFromPodcastingJson('[1, 2]'))).toBe(
      'The chapters file is not a Podcasting 2.0 chapters document: expected an object.',
    );
    expect(refusal(() => chaptersFromPodcastingJson('{"version":"1.2.0"}'))).toBe(
      'The chapters file is not a Podcasting 2.0 chapters document: chapters: chapters must be a list.',
    );
    expect(
      refusal(() =>
        chaptersFromPodcastingJson(
          '{"version":"1.2.0","chapters":[{"startTime":0,"title":"A"},{"startTime":-1,"title":"B"}]}',
        ),
      ),
    ).toBe(
      'The chapters file is not a Podcasting 2.0 chapters document: chapters[1].startTime: startTime must be 0 or more seconds.',
    );
    expect(
      refusal(() =>
        chaptersFromPodcastingJson('{"version":"1.2.0","chapters":[{"startTime":"1:00"}]}'),
      ),
    ).toBe(
      'The chapters file is not a Podcasting 2.0 chapters document: chapters[0].startTime: startTime must be a number of seconds.',
    );
    expect(
      refusal(() =>
        chaptersFromPodcastingJson(
          '{"version":"1.2.0","chapters":[{"startTime":1,"title":"A","url":"ftp://x"}]}',
        ),
      ),
    ).toBe('Chapter 1 (chapters[0]): the url must be an http or https link.');
  });
});

describe('Audacity labels', () => {
  it('exports region labels that end where the next chapter starts', () => {
    expect(chaptersToAudacityLabels(sample)).toBe(
      '0.000000\t2.000000\tIntro\n2.000000\t6.250000\tInterview\n6.250000\t10.000000\tOutro\n',
    );
  });

  it('writes a chapter past the last clip as a point label and cleans titles', () => {
    const e = edit(
      [track('t1', [clip({ id: 'c1', sourceOut: 48_000 })])],
      [chapter('a', 0, 'Tab\there'), chapter('b', 96_000, 'Late')],
    );
    expect(chaptersToAudacityLabels(e)).toBe(
      '0.000000\t2.000000\tTab here\n2.000000\t2.000000\tLate\n',
    );
    expect(chaptersToAudacityLabels(edit([], []))).toBe('');
  });

  it('round-trips at any sample position', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(518_400_000), { maxLength: 8 }), (positions) => {
        const chapters = positions
          .sort((a, b) => a - b)
          .map((position, i) => chapter(`m${i}`, position, `Part ${i}`));
        const e = edit([track('t', [clip({ id: 'c', sourceOut: 518_400_001 })])], chapters);
        const back = chaptersFromAudacityLabels(chaptersToAudacityLabels(e));
        expect(essentials(back)).toEqual(essentials(chapters));
      }),
    );
  });

  it('reads a known file: CRLF, a frequency line, point and region labels, blank titles', () => {
    const file = [
      '0.000000\t12.500000\tWelcome',
      '\\\t100.000000\t4000.000000',
      '12.500000\t12.500000\tNews\twith a tab',
      '',
      '65.25\t70\t',
      '',
    ].join('\r\n');
    expect(chaptersFromAudacityLabels(file, { newId: counterIds('l') })).toEqual([
      { id: 'l-1', position: 0, title: 'Welcome', kind: 'chapter' },
      { id: 'l-2', position: 600_000, title: 'News\twith a tab', kind: 'chapter' },
      { id: 'l-3', position: 3_132_000, title: 'Chapter 3', kind: 'chapter' },
    ]);
  });

  it('refuses bad lines with their number', () => {
    expect(refusal(() => chaptersFromAudacityLabels('0\t1\tA\r\nhello\r\n'))).toBe(
      'Label file line 2: expected start, end and title separated by tabs, got “hello”.',
    );
    expect(refusal(() => chaptersFromAudacityLabels('0\t1\tA\nabc\t2\tB\n'))).toBe(
      'Label file line 2: the start “abc” is not a number of seconds.',
    );
    expect(refusal(() => chaptersFromAudacityLabels('-1\t2\tA\n'))).toBe(
      'Label file line 1: the start must be 0 or more (it is -1).',
    );
    expect(refusal(() => chaptersFromAudacityLabels('\n\n5\t4\tA\n'))).toBe(
      'Label file line 3: the end (4) is before the start (5).',
    );
  });
});

describe('replaceChapters', () => {
  it('replaces the chapters, keeps notes and ads, stays sorted and valid', () => {
    const imported = chaptersFromAudacityLabels('0\t0\tNew start\n2.5\t2.5\tAt the ad\n', {
      newId: counterIds('x'),
    });
    const next = replaceChapters(sample, [
      ...imported,
      chapter('x-3', 120_000, 'Same time as the ad'),
    ]);
    expect(next.markers.map((m) => [m.id, m.position, m.kind])).toEqual([
      ['x-1', 0, 'chapter'],
      ['n1', 24_000, 'note'],
      ['ad1', 120_000, 'ad'],
      ['x-2', 120_000, 'chapter'],
      ['x-3', 120_000, 'chapter'],
    ]);
    expect(validateEdit(next)).toEqual(next);
    expect(next.tracks).toBe(sample.tracks);
    expect(sample.markers).toHaveLength(5);
  });

  it('returns the same edit when nothing changes, and clears chapters with an empty list', () => {
    const chapters = sample.markers.filter((m) => m.kind === 'chapter');
    expect(replaceChapters(sample, chapters)).toBe(sample);
    expect(replaceChapters(sample, []).markers.map((m) => m.id)).toEqual(['n1', 'ad1']);
  });

  it('refuses ids already used and markers that are not chapters', () => {
    expect(refusal(() => replaceChapters(sample, [chapter('n1', 0, 'Clash')]))).toBe(
      'A marker with that id is already in the edit.',
    );
    expect(refusal(() => replaceChapters(sample, [note('z', 0)]))).toBe(
      'Only chapter markers can replace the chapters.',
    );
  });
});
