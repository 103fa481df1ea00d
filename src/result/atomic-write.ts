import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BuildSystemError, ioFailureHint } from '../errors';

/**
 * Writes through a temp file in the same folder and renames it over the target, so a reader
 * (or a crash) never sees a half-written file.
 */
export async function writeFileAtomic(file: string, contents: string): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, contents);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new BuildSystemError('BS_IO_FAILED', `Could not write ${file}: ${(e as Error).message}`, { file, hint: ioFailureHint((e as NodeJS.ErrnoException).code) });
  }
}
