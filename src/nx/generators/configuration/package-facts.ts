import type { OutputFormat } from '../../../config/schema';

/** What a package's package.json says its build must produce, for the configuration generator. */
export interface PackageFacts {
  /** Source entry, package-relative (`src/index.ts`), from a condition that points into the sources. */
  entry?: string;
  /** Formats the entry points ask for, ESM first; undefined when package.json does not say. */
  formats?: OutputFormat[];
  /** A `types`/`typings` field, a types condition or a declaration file among the entry points. */
  dts: boolean;
  /** The folder the built entry points live in (`dist`), package-relative. */
  outDir?: string;
}

export interface PackageManifest {
  type?: string;
  main?: unknown;
  module?: unknown;
  types?: unknown;
  typings?: unknown;
  exports?: unknown;
}

/** One path of package.json and the conditions above it (`['.', 'import', 'types']`, or `['main']`). */
interface Leaf {
  keys: string[];
  path: string;
}

const TS_SOURCE = /(?<!\.d)\.(?:ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$/;
const JS = /\.(?:js|jsx|mjs|cjs)$/;

/**
 * Reads entry, formats, declarations and output folder from package.json. `hasFile` answers for a
 * package-relative path; a `.js` leaf outside the output folder counts as a source only if it exists.
 */
export function readPackageFacts(pkg: PackageManifest, hasFile: (path: string) => boolean): PackageFacts {
  const leaves = entryPointLeaves(pkg);
  const js = leaves.filter((l) => JS.test(l.path));
  // Where the built JS lives; a `development`/`source` condition points into the sources instead.
  const builtJs = js.filter((l) => !l.keys.some(isSourceCondition));
  const declarations = leaves.filter((l) => DECLARATION.test(l.path));
  const outDir = commonFolder(builtJs.map((l) => l.path)) ?? mostCommonFolder(builtJs.map((l) => l.path)) ?? commonFolder(declarations.map((l) => l.path));
  const inOutDir = (p: string) => outDir !== undefined && p.startsWith(`${outDir}/`);
  const isSource = (l: Leaf) => !inOutDir(l.path) && (TS_SOURCE.test(l.path) || (JS.test(l.path) && hasFile(l.path)));
  const sources = leaves.filter((l) => ['.', 'main', 'module'].includes(l.keys[0]) && isSource(l));
  return {
    entry: sources[0]?.path,
    formats: formatsOf(js.filter((l) => !isSource(l)), pkg.type),
    dts: pkg.types !== undefined || pkg.typings !== undefined || leaves.some((l) => l.keys.includes('types')) || declarations.length > 0,
    outDir,
  };
}

/** The Nx TS preset's `development`, older Nx's `@scope/source`, and plain `source`. */
function isSourceCondition(key: string): boolean {
  return key === 'development' || key === 'source' || key.endsWith('/source');
}

/** Every path under main, module, types, typings and exports (subpath `.` is written as keys[0] '.'), `./` removed. */
function entryPointLeaves(pkg: PackageManifest): Leaf[] {
  const leaves: Leaf[] = [];
  const add = (keys: string[], value: unknown) => {
    if (typeof value === 'string') leaves.push({ keys, path: value.replace(/^\.\//, '') });
    else if (Array.isArray(value)) value.forEach((v) => add(keys, v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) add([...keys, k], v);
  };
  for (const field of ['main', 'module', 'types', 'typings'] as const) add([field], pkg[field]);
  const exports = pkg.exports;
  // `"exports": "./dist/index.js"` and `{ "import": … }` (conditions only) both describe subpath `.`.
  const subpaths = exports && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (subpaths) for (const [subpath, value] of Object.entries(exports as Record<string, unknown>)) add([subpath], value);
  else if (exports !== undefined) add(['.'], exports);
  // The main entry first: the source of `.` is the entry, not that of another subpath.
  return [...leaves.filter((l) => l.keys[0] === '.'), ...leaves.filter((l) => l.keys[0] !== '.')];
}

/** The deepest folder every path sits in; undefined when a path is at the package root or there are none. */
function commonFolder(paths: string[]): string | undefined {
  const folders = paths.map((p) => p.split('/').slice(0, -1));
  if (folders.length === 0 || folders.some((f) => f.length === 0 || f[0] === '..')) return undefined;
  const common: string[] = [];
  for (let i = 0; folders.every((f) => i < f.length && f[i] === folders[0][i]); i++) common.push(folders[0][i]);
  return common.length ? common.join('/') : undefined;
}

/** The common folder of the largest group of paths that share a first folder (a stray path aside). */
function mostCommonFolder(paths: string[]): string | undefined {
  const groups = new Map<string, string[]>();
  for (const p of paths) if (p.includes('/')) groups.set(p.split('/')[0], [...(groups.get(p.split('/')[0]) ?? []), p]);
  const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0];
  return largest && commonFolder(largest);
}

/** `require` → cjs, `import`/`module` → esm, else the file extension and package `type` decide. */
function formatsOf(leaves: Leaf[], type: string | undefined): OutputFormat[] | undefined {
  const found = new Set<OutputFormat>();
  for (const { keys, path } of leaves) {
    if (keys.includes('types')) continue;
    if (keys.includes('require')) found.add('cjs');
    else if (keys.includes('import') || keys.includes('module')) found.add('esm');
    else if (path.endsWith('.cjs')) found.add('cjs');
    else if (path.endsWith('.mjs')) found.add('esm');
    else found.add(type === 'module' ? 'esm' : 'cjs');
  }
  if (found.size === 0) return type === 'module' ? ['esm'] : type === 'commonjs' ? ['cjs'] : undefined;
  return (['esm', 'cjs'] as const).filter((f) => found.has(f));
}
