import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { TakeManifest } from '../../../shared/recording';
import { writeAtomically } from '../files/atomic';

/** The manifest's name in a take folder. */
export const TAKE_MANIFEST = 'take.json';

/** Writes take.json atomically (temp file, fsync, rename): it is always the old or the new one. */
export async function writeManifest(dir: string, manifest: TakeManifest): Promise<void> {
  await writeAtomically(
    join(dir, TAKE_MANIFEST),
    (temp) => writeFile(temp, `${JSON.stringify(TakeManifest.parse(manifest), null, 2)}\n`),
    'Saving the take’s manifest',
  );
}

/** Reads and checks take.json; `not_found` when the folder holds no take. */
export async function readManifest(dir: string): Promise<TakeManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, TAKE_MANIFEST), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new StudioError('not_found', `${dir} holds no take (there is no ${TAKE_MANIFEST}).`, {
        path: dir,
      });
    throw error;
  }
  let parsed: ReturnType<typeof TakeManifest.safeParse>;
  try {
    parsed = TakeManifest.safeParse(JSON.parse(text));
  } catch {
    parsed = TakeManifest.safeParse(null);
  }
  if (!parsed.success)
    throw new StudioError(
      'media_unreadable',
      `${join(dir, TAKE_MANIFEST)} is not a take manifest this version can read.`,
      { path: dir },
    );
  return parsed.data;
}
