import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Removes what a take that never got going left: its files, and the folder when this take created
 * it and nothing else is in it. Best effort: cleanup never hides the error that caused it.
 */
export async function removeTakeFiles(
  dir: string,
  files: string[],
  removeDir: boolean,
): Promise<void> {
  await Promise.all(files.map((file) => rm(join(dir, file), { force: true }).catch(() => {})));
  if (!removeDir) return;
  const left = await readdir(dir).catch(() => null);
  if (left && left.length === 0) await rmdir(dir).catch(() => {});
}
