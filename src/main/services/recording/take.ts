import { readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * A file of zeros the recorder keeps in the take folder while it records. Finishing a take needs a
 * little new space (take.json is replaced through a temporary file), so when the disk fills up
 * mid-take this space is given back first, and the take can still be finished where it is.
 */
export const SPACE_RESERVE = '.space-reserve';
const RESERVE_BYTES = 256 * 1024;

/** Writes the reserve (real zeros, so the blocks are allocated) and makes it durable. */
export async function reserveSpace(dir: string): Promise<void> {
  await writeFile(join(dir, SPACE_RESERVE), Buffer.alloc(RESERVE_BYTES), { flush: true });
}

/** Gives the reserved space back (nothing happens when there is none). */
export async function releaseSpace(dir: string): Promise<void> {
  await rm(join(dir, SPACE_RESERVE), { force: true });
}

/** Whether a process runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
