import { existsSync } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { outputPathFor } from './tsc/compiler';
import type { EmittedFile } from './types';

/**
 * Bundleless declarations: one `.d.ts` per module, beside its `.js` (at its place under
 * modules.root, where tsc may have mirrored another root), and none for the files that are no
 * modules (tests, stories: tsc compiles whatever the tsconfig includes). Returns what is left.
 */
export async function placeModuleDeclarations(
  emitted: EmittedFile[],
  modules: { root: string; files: string[] },
  rootDir: string,
  outDir: string,
): Promise<EmittedFile[]> {
  const moves = new Map<string, string>();
  for (const file of modules.files) {
    const from = outputPathFor(file, rootDir, outDir, 'dts');
    const to = outputPathFor(file, modules.root, outDir, 'dts');
    moves.set(from, to);
    moves.set(`${from}.map`, `${to}.map`);
  }
  const kept: EmittedFile[] = [];
  const vacated = new Set<string>();
  for (const item of emitted) {
    const to = moves.get(item.file);
    if (to === undefined) {
      await rm(item.file, { force: true });
      vacated.add(dirname(item.file));
      continue;
    }
    if (to !== item.file && existsSync(item.file)) {
      await mkdir(dirname(to), { recursive: true });
      await rename(item.file, to);
      vacated.add(dirname(item.file));
    }
    kept.push({ ...item, file: to });
  }
  await removeEmptyFolders([...vacated], outDir);
  return kept;
}

/** Folders emptied above, and their parents up to outDir, so outDir holds no empty leftovers. */
async function removeEmptyFolders(dirs: string[], outDir: string): Promise<void> {
  for (const start of dirs.sort((a, b) => b.length - a.length)) {
    for (let dir = start; relative(outDir, dir) && !relative(outDir, dir).startsWith('..'); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or gone already)
      }
    }
  }
}
