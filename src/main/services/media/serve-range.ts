import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import parseRange from 'range-parser';
import { mimeTypeFor } from './asset-files';

export interface RangeResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: Readable | null;
}

/**
 * A file as an HTTP-style response honouring a single Range header: the same answer for the
 * browser host's HTTP server and Electron's custom protocol, so <audio> can seek in both.
 */
export async function serveFileRange(
  path: string,
  rangeHeader: string | null,
): Promise<RangeResponse> {
  const { size } = await stat(path);
  const base = {
    'Accept-Ranges': 'bytes',
    'Content-Type': mimeTypeFor(path),
    'Cache-Control': 'no-cache',
  };
  // Only byte ranges exist for files; a Range in any other unit is ignored (RFC 9110 §14.2).
  if (rangeHeader && /^\s*bytes=/i.test(rangeHeader)) {
    const ranges = parseRange(size, rangeHeader, { combine: true });
    if (ranges === -1) {
      return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, body: null };
    }
    if (ranges !== -2 && ranges.length === 1) {
      const { start, end } = ranges[0]!;
      return {
        status: 206,
        headers: {
          ...base,
          'Content-Range': `bytes ${start}-${end}/${size}`,
          'Content-Length': String(end - start + 1),
        },
        body: createReadStream(path, { start, end }),
      };
    }
  }
  return {
    status: 200,
    headers: { ...base, 'Content-Length': String(size) },
    body: createReadStream(path),
  };
}
