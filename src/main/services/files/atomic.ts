import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StudioError } from '../../../shared/errors';

/** A name in the same folder that marks a file as unfinished; startup sweeps these away. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${randomUUID().slice(0, 8)}.partial`);
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.partial');
}

/**
 * Writes `finalPath` through `write(tempPath)`, then renames: the final name only ever holds a
 * complete file. On failure the temp file is removed and the error is translated for the user.
 */
export async function writeAtomically(
  finalPath: string,
  write: (tempPath: string) => Promise<void>,
  what: string,
): Promise<void> {
  await makeDirectory(dirname(finalPath)).catch((error: unknown) => {
    throw fileSystemError(error, what, dirname(finalPath));
  });
  const temp = tempPathFor(finalPath);
  try {
    await write(temp);
    await commitTempFile(temp, finalPath);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw fileSystemError(error, what, finalPath);
  }
}

/** Makes a finished temp file durable, then gives it its final name. */
export async function commitTempFile(temp: string, finalPath: string): Promise<void> {
  await fsyncFile(temp);
  await rename(temp, finalPath);
}

/**
 * `mkdir -p` that reports the real cause. Node's `mkdir(path, { recursive: true })` turns EROFS
 * (and other failures under an existing parent) into ENOENT, which would read "was not found"
 * instead of "read-only disk".
 */
export async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw error;
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw error;
    await makeDirectory(dirname(path));
    await mkdir(path).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** makeDirectory for start-up code that runs before anything async (the data-dir lock). */
export function makeDirectorySync(path: string): void {
  try {
    mkdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (statSync(path).isDirectory()) return;
      throw error;
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw error;
    makeDirectorySync(dirname(path));
    try {
      mkdirSync(path);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/** Copies a file so that the destination either is complete or does not exist. */
export async function copyAtomically(
  source: string,
  destination: string,
  what: string,
): Promise<void> {
  await writeAtomically(destination, (temp) => copyFile(source, temp), what);
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** File-system failures in words a person can act on; StudioErrors pass through. */
export function fileSystemError(error: unknown, what: string, path: string): StudioError {
  if (error instanceof StudioError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = basename(path);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StudioError('disk_full', `${what}: the disk holding ${dirname(path)} is full.`, {
        path,
      });
    case 'EROFS':
      return new StudioError('read_only', `${what}: ${dirname(path)} is on a read-only disk.`, {
        path,
      });
    case 'EACCES':
    case 'EPERM':
      return new StudioError(
        'permission_denied',
        `${what}: no permission to write ${name} in ${dirname(path)}.`,
        { path },
      );
    case 'ENOENT':
      return new StudioError(
        'file_missing',
        `${what}: ${name} was not found (moved or deleted?).`,
        { path },
      );
    default:
      return new StudioError('internal', `${what}: ${(error as Error)?.message ?? String(error)}`, {
        path,
      });
  }
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
