import { posix } from 'node:path';
import { readJson, type Tree } from '@nx/devkit';

/** A compiler option and the tsconfig (workspace-relative) that sets it. */
export interface InheritedOption<T> {
  value: T;
  file: string;
}

export interface TsconfigChain {
  /** rootDir, resolved to a workspace-relative folder ('' is the workspace root). */
  rootDir?: InheritedOption<string>;
  module?: InheritedOption<string>;
}

/**
 * The options convert needs from a tsconfig and the files it extends (relative `extends` only:
 * a package's tsconfig sets neither rootDir nor, in practice, a project's module). Read from the
 * Tree so a dry run sees the same files the generator changes.
 */
export function readTsconfigChain(tree: Tree, file: string): TsconfigChain {
  const chain: TsconfigChain = {};
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current) || !tree.exists(current)) return;
    seen.add(current);
    const json = readJson<{ extends?: string | string[]; compilerOptions?: { rootDir?: string; module?: string } }>(tree, current);
    const dir = posix.dirname(current);
    const options = json.compilerOptions ?? {};
    if (chain.rootDir === undefined && typeof options.rootDir === 'string') chain.rootDir = { value: normalize(posix.join(dir, options.rootDir)), file: current };
    if (chain.module === undefined && typeof options.module === 'string') chain.module = { value: options.module.toLowerCase(), file: current };
    // A later entry of an `extends` list wins over an earlier one, so visit them last to first.
    const parents = json.extends === undefined ? [] : Array.isArray(json.extends) ? [...json.extends].reverse() : [json.extends];
    for (const parent of parents) {
      if (!parent.startsWith('.')) continue;
      const path = normalize(posix.join(dir, parent));
      visit(path.endsWith('.json') ? path : `${path}.json`);
    }
  };
  visit(normalize(file));
  return chain;
}

function normalize(path: string): string {
  const p = posix.normalize(path);
  return p === '.' ? '' : p.replace(/\/$/, '');
}
