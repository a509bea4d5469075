import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, sep } from 'node:path';
import { StudioError } from '../../../shared/errors';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** Where ffmpeg came from, for the about box and bug reports. */
  source: 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';
}

const exe = process.platform === 'win32' ? '.exe' : '';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name + exe);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** ffmpeg-static is optional: its postinstall download fails offline, leaving no binary behind. */
function fromFfmpegStatic(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const packed = require('ffmpeg-static') as string | null;
    // Inside a packaged app the binary is unpacked beside the asar archive (electron-builder.yml).
    const path = packed?.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

let cached: FfmpegBinaries | null = null;

/**
 * ffmpeg in this order: FFMPEG_PATH, ffmpeg-static when its install succeeded, `ffmpeg` on PATH.
 * ffprobe: FFPROBE_PATH, beside the chosen ffmpeg, then PATH.
 */
export function resolveFfmpeg(): FfmpegBinaries {
  if (cached) return cached;
  let ffmpeg: string | null = null;
  let source: FfmpegBinaries['source'] = 'PATH';
  if (process.env.FFMPEG_PATH) {
    ffmpeg = process.env.FFMPEG_PATH;
    source = 'FFMPEG_PATH';
    if (!isExecutable(ffmpeg)) {
      throw new StudioError(
        'ffmpeg_missing',
        `FFMPEG_PATH points to ${ffmpeg}, which is not an executable file.`,
      );
    }
  } else {
    ffmpeg = fromFfmpegStatic();
    if (ffmpeg) source = 'ffmpeg-static';
    else ffmpeg = onPath('ffmpeg');
  }
  if (!ffmpeg) {
    throw new StudioError(
      'ffmpeg_missing',
      'ffmpeg was not found. Install ffmpeg (e.g. `apt-get install ffmpeg` or `brew install ffmpeg`) or set FFMPEG_PATH.',
    );
  }
  const besideFfmpeg = join(dirname(ffmpeg), `ffprobe${exe}`);
  const ffprobe =
    process.env.FFPROBE_PATH ?? (isExecutable(besideFfmpeg) ? besideFfmpeg : onPath('ffprobe'));
  if (!ffprobe) {
    throw new StudioError(
      'ffmpeg_missing',
      'ffprobe was not found next to ffmpeg or on PATH. Install ffmpeg’s full package or set FFPROBE_PATH.',
    );
  }
  cached = { ffmpeg, ffprobe, source };
  return cached;
}

/** Forget the resolved binaries (tests that change FFMPEG_PATH). */
export function resetFfmpegResolution(): void {
  cached = null;
}
