import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BuildSystemError } from '../errors';

/**
 * A hidden marker inside every outDir we write. It travels with the outputs (Nx caches and
 * restores it), so "this folder is ours" survives a cache hit on a fresh clone. An existing,
 * non-empty folder without it belongs to someone else (an old tsc build, hand-made files) and is
 * not replaced or cleaned without --force.
 */
export const OWNERSHIP_MARKER = '.build-system-output';

export function assertOutDirOwned(outDir: string, packageRoot: string, force: boolean | undefined): void {
  if (force || !existsSync(outDir)) return;
  let entries: string[];
  try {
    entries = readdirSync(outDir);
  } catch {
    return;
  }
  if (entries.length === 0 || entries.includes(OWNERSHIP_MARKER)) return;
  throw new BuildSystemError(
    'BS_UNSAFE_PATH',
    `outDir "${relative(packageRoot, outDir)}" already holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} that @repo/build-system did not write; refusing to replace them.`,
    { file: outDir, hint: 'Move or delete that folder, point outDir elsewhere, or pass --force to let the build replace it.' },
  );
}

/** Synchronous: one small file per build, cheaper than a promise file handle (see atomic-write.ts). */
export async function markOutDir(dir: string): Promise<void> {
  writeFileSync(join(dir, OWNERSHIP_MARKER), 'Written by @repo/build-system: this folder is replaced on every build.\n');
}
