import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const DENIED = new Set(['EACCES', 'EPERM']);

/**
 * `rm -rf` for trees a builder may have made read-only (a chmod 555 folder in dist): when the
 * removal is refused, every folder of the tree gets its owner's write and search bits back and the
 * removal is tried once more. Without that, one read-only folder fails every later build and
 * half-deletes a clean, until someone runs chmod by hand. Links are never followed.
 */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (e) {
    if (!DENIED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    await makeWritable(path);
    await rm(path, { recursive: true, force: true });
  }
}

async function makeWritable(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isDirectory()) return;
  await chmod(path, (info.mode & 0o7777) | 0o700).catch(() => undefined);
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await makeWritable(join(path, entry.name));
}
