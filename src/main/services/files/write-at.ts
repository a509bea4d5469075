import type { FileHandle } from 'node:fs/promises';

/**
 * Writes all of `bytes` at `position`. A positional write may write less than asked (a full
 * disk, a signal): the rest is written until done or the write fails.
 */
export async function writeAt(
  handle: FileHandle,
  bytes: Uint8Array,
  position: number,
): Promise<void> {
  for (let written = 0; written < bytes.length; ) {
    const { bytesWritten } = await handle.write(
      bytes,
      written,
      bytes.length - written,
      position + written,
    );
    written += bytesWritten;
  }
}
