import { basename, dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { BuildSystemError } from '../errors';

/** The source modules of a bundleless build (`bundle: false`). */
export interface ModuleList {
  /** The folder the output mirrors (esbuild's outbase, rollup's preserveModulesRoot): the entries' common folder. */
  root: string;
  /** Every module, absolute, sorted: the entries and every source file under their folders, less the excluded. */
  files: string[];
}

/** What counts as a source module; anything else (CSS, JSON, assets) is left to the bundler or `copy`. */
export const MODULE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] as const;

/** Never modules, whatever `bundlelessExclude` says. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'];

/**
 * Lists the modules once (the engine passes the list to the adapter, so every builder emits the
 * same files). `exclude` globs are relative to the package root. Entries are always modules.
 */
export function listModules(entryFiles: string[], packageRoot: string, exclude: readonly string[]): ModuleList {
  const root = commonFolder(entryFiles.map((f) => dirname(f)));
  const found = new Set(entryFiles);
  const patterns = [...new Set(entryFiles.map((f) => dirname(f)))].map((dir) => {
    const rel = relative(packageRoot, dir).split(sep).join('/');
    return `${rel ? `${rel}/` : ''}**/*.{${MODULE_EXTENSIONS.join(',')}}`;
  });
  // Loaded here, not at the top: resolve.ts is on inference's path, where bundleless is rare.
  const { globSync } = require('tinyglobby') as typeof import('tinyglobby');
  const files = globSync(patterns, {
    cwd: packageRoot,
    absolute: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: [...ALWAYS_EXCLUDED, ...exclude],
  });
  for (const f of files) found.add(join(f));
  const sorted = [...found].sort();
  checkUniqueOutputs(sorted, root);
  return { root, files: sorted };
}

/** `src/button/index.tsx` under root `src` → `button/index`: the output name without extension. */
export function moduleOutputName(file: string, root: string): string {
  const rel = relative(root, file).split(sep).join('/');
  return rel.slice(0, rel.length - extname(rel).length);
}

/** `a.ts` and `a.tsx` (or `a.js`) in one folder would both be written as `a.js`. */
function checkUniqueOutputs(files: string[], root: string): void {
  const byName = new Map<string, string>();
  for (const file of files) {
    const name = moduleOutputName(file, root);
    const other = byName.get(name);
    if (other) {
      throw new BuildSystemError(
        'BS_CONFIG_INVALID',
        `bundle: false: ${basename(other)} and ${basename(file)} in ${relative(root, dirname(file)) || '.'} would both be written as ${name}.js.`,
        { file, hint: 'Rename one of them, or leave one out with `bundlelessExclude`.' },
      );
    }
    byName.set(name, file);
  }
}

function commonFolder(dirs: string[]): string {
  let common = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (!isInside(dir, common)) common = dirname(common);
  }
  return common;
}

function isInside(dir: string, folder: string): boolean {
  const rel = relative(folder, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
