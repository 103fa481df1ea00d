import { dirname, join, resolve } from 'node:path';
import { parseJson, type Tree } from '@nx/devkit';
import { findTsconfig } from '../../../../config/find-tsconfig';

interface TsconfigJson {
  extends?: string | string[];
  files?: unknown[];
  references?: unknown[];
  compilerOptions?: { rootDir?: string };
}

/**
 * The `rootDir` the tsc builder mirrors, read from the tsconfig it compiles and the files that one
 * `extends` by relative path (a later `extends` wins, the file itself over all). Undefined when none
 * sets it: tsc then mirrors from the sources' common folder, which planEntryPoints assumes.
 * Read off the tree, not run through TypeScript: a sync generator runs before every build.
 */
export function tscRootDir(tree: Tree, tsconfig: string): string | undefined {
  const seen = new Set<string>();
  const read = (file: string): string | undefined => {
    if (seen.has(file) || !tree.exists(file)) return undefined;
    seen.add(file);
    let json: TsconfigJson;
    try {
      json = parseJson<TsconfigJson>(tree.read(file, 'utf-8') ?? '{}');
    } catch {
      return undefined;
    }
    const own = json.compilerOptions?.rootDir;
    if (typeof own === 'string') return resolve(tree.root, dirname(file), own);
    const parents = (typeof json.extends === 'string' ? [json.extends] : (json.extends ?? [])).filter((p) => p.startsWith('.'));
    for (const parent of parents.reverse()) {
      const found = read(join(dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`));
      if (found) return found;
    }
    return undefined;
  };
  return read(tsconfig);
}

/**
 * The tsconfig the tsc builder compiles, workspace-relative: `tsconfig` from the config, else the
 * one config/find-tsconfig.ts finds (a solution tsconfig.json's tsconfig.lib.json, as Nx does).
 */
export function tscConfigFile(tree: Tree, projectRoot: string, configured?: string): string {
  if (configured) return configured;
  const choice = findTsconfig(projectRoot, (file) => (tree.exists(file) ? (tree.read(file, 'utf-8') ?? undefined) : undefined));
  return join(projectRoot, choice?.file ?? 'tsconfig.json');
}
