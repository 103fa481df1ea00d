import { rm } from 'node:fs/promises';

/** Removes a file that may not exist. */
export async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true });
}
