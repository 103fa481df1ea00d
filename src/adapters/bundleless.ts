import { statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Bundleless output (`bundle: false`): how a module's imports map onto the emitted files. */

const SOURCE = /\.([cm]?[jt]sx?)$/;
const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The files a relative specifier may name, in the order TypeScript and bundlers try them: as
 * written; the `.ts` a `./x.js` specifier means in Node-style TypeScript; with each extension;
 * then a folder's index.
 */
export function importCandidates(base: string): string[] {
  const ext = /\.([cm]?)js(x?)$/.exec(base);
  if (ext) {
    const stem = base.slice(0, -ext[0].length);
    return [`${stem}.${ext[1]}ts${ext[2]}`, ...(ext[2] ? [] : [`${stem}.${ext[1]}tsx`]), base];
  }
  if (SOURCE.test(base)) return [base];
  return [base, ...RESOLVE_EXTENSIONS.map((e) => `${base}${e}`), ...RESOLVE_EXTENSIONS.map((e) => join(base, `index${e}`))];
}

export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isRelativeOrAbsolute(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || isAbsolute(specifier);
}

export type ImportTarget =
  /** A module of the build: import its emitted file by `specifier`. */
  | { kind: 'module'; file: string; specifier: string }
  /** A source file that is not a module of the build (excluded, or outside the mirrored folder). */
  | { kind: 'outside'; file: string }
  /** An existing file that is no source module (CSS, JSON, an asset): left as written. */
  | { kind: 'other' }
  /** Nothing by that name: the builder reports it as it always does. */
  | { kind: 'missing' };

/**
 * Where a relative import of `importer` lands in the bundleless output. `extension` is the
 * emitted extension of the format (`.js`, `.cjs`, `.mjs`): `./button` → `./button.js`, `./dir` →
 * `./dir/index.js`. Both files are mirrored under one root, so the path between them is the same.
 */
export function bundlelessImport(specifier: string, importer: string, modules: ReadonlySet<string>, extension: string): ImportTarget {
  const file = importCandidates(resolve(dirname(importer), specifier)).find(isFile);
  if (!file) return { kind: 'missing' };
  if (!modules.has(file)) return SOURCE.test(file) && !/\.d\.[cm]?ts$/.test(file) ? { kind: 'outside', file } : { kind: 'other' };
  return { kind: 'module', file, specifier: emittedSpecifier(file, importer, extension) };
}

/** The specifier, relative to importer's output, of target's output file. */
export function emittedSpecifier(target: string, importer: string, extension: string): string {
  const rel = relative(dirname(importer), target).split(sep).join('/');
  const stem = rel.slice(0, rel.length - extname(rel).length);
  return `${stem.startsWith('../') ? '' : './'}${stem}${extension}`;
}

/** The error for an import of a source file that the build does not emit. */
export function outsideMessage(specifier: string, importer: string, target: string, root: string): string {
  return `${relative(root, importer) || importer} imports "${specifier}" (${relative(root, target)}), which is not a module of this bundleless build: it is excluded by bundlelessExclude or lies outside ${root}. Include it, or import it from a package.`;
}

/**
 * What a bundler plugin (esbuild's, bun's) does with one import of a bundleless module: keep it as
 * an external import of `external` (a bare specifier as written, a module's emitted file, another
 * kind of file as written), fail it with `error`, or leave it to the bundler (undefined: nothing by
 * that name, which the bundler reports as it always does).
 */
export function bundlelessResolution(
  specifier: string,
  importer: string,
  modules: { root: string; files: ReadonlySet<string> },
  extension: string,
): { external: string } | { error: string } | undefined {
  if (!isRelativeOrAbsolute(specifier)) return { external: specifier };
  const target = bundlelessImport(specifier, importer, modules.files, extension);
  switch (target.kind) {
    case 'module':
      return { external: target.specifier };
    case 'outside':
      return { error: outsideMessage(specifier, importer, target.file, modules.root) };
    case 'other':
      return { external: specifier };
    case 'missing':
      return undefined;
  }
}
