import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { EmittedFile } from './types';

/**
 * Declarations per module format. tsc writes `.d.ts` files, which TypeScript reads as the format
 * of the package's `type`, the same as the `.js` beside them. A bundle in the other format has
 * another extension (`index.cjs` in a `"type": "module"` package, `index.mjs` in a CommonJS one;
 * see esbuild/output-names.ts), and under node16/nodenext/bundler resolution TypeScript looks for
 * `index.d.cts` / `index.d.mts` beside it, which must describe that format. So each `.d.ts` tree is
 * copied once per such extension: relative specifiers renamed the same way (`./x.js` → `./x.cjs`),
 * and each declaration map renamed and pointed at its new file (its `sources` are relative to its
 * folder, which does not change). The maps' columns are kept: a renamed specifier shifts what
 * follows it on its line by a character, which go-to-definition (it lands on the declaration's
 * line) does not notice.
 */
const DECLARATION_FOR: Record<string, DeclarationExtension> = { '.cjs': '.d.cts', '.mjs': '.d.mts' };
type DeclarationExtension = '.d.cts' | '.d.mts';
const JS_FOR: Record<DeclarationExtension, string> = { '.d.cts': '.cjs', '.d.mts': '.mjs' };

/** `.d.cts` for a `.cjs` entry, `.d.mts` for a `.mjs` one; none for `.js` (tsc's `.d.ts` already describes it). */
export function declarationExtensionsFor(entryFiles: string[]): DeclarationExtension[] {
  const found = new Set<DeclarationExtension>();
  for (const file of entryFiles) {
    const ext = /\.[cm]js$/.exec(file)?.[0];
    if (ext) found.add(DECLARATION_FOR[ext]);
  }
  return [...found].sort();
}

/**
 * Writes the `.d.cts`/`.d.mts` copy of every `.d.ts` in `declarations` (absolute paths, with their
 * `.d.ts.map` files when listed) for each of `extensions`. A file tsc wrote itself under the new
 * name (from a `.cts`/`.mts` source) is left as it is.
 */
export async function writeFormatDeclarations(declarations: string[], extensions: DeclarationExtension[]): Promise<EmittedFile[]> {
  const all = new Set(declarations.map((f) => resolve(f)));
  const trees = [...all].filter((f) => f.endsWith('.d.ts'));
  const emitted: EmittedFile[] = [];
  for (const ext of extensions) {
    for (const file of trees) {
      const target = `${file.slice(0, -'.d.ts'.length)}${ext}`;
      if (all.has(target) || existsSync(target)) continue;
      const map = all.has(`${file}.map`) ? `${file}.map` : undefined;
      const text = renameSpecifiers(await readFile(file, 'utf8'), file, all, JS_FOR[ext]);
      await writeFile(target, map ? pointAtMap(text, basename(map), `${basename(target)}.map`) : text);
      emitted.push({ file: target, kind: 'types' });
      if (map) {
        const json = JSON.parse(await readFile(map, 'utf8')) as { file?: string };
        await writeFile(`${target}.map`, JSON.stringify({ ...json, file: basename(target) }));
        emitted.push({ file: `${target}.map`, kind: 'sourcemap' });
      }
    }
  }
  return emitted;
}

// The places a declaration file names another module: `from '…'`, `import '…'`, `import('…')`,
// `require('…')` (in `import x = require('…')`). tsc writes them this way, one string literal each.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.\.?\/[^'"\n]*|\.\.?)\2/g;

/**
 * `./x.js`, `./x` and `./dir` become `./x.cjs` and `./dir/index.cjs` when they name a declaration
 * of this tree (`x.d.ts`, `dir/index.d.ts`); any other specifier (a `.css` file, a `.json`) stays.
 */
export function renameSpecifiers(text: string, fromFile: string, declarations: Set<string>, jsExt: string): string {
  return text.replace(SPECIFIER, (whole, lead: string, quote: string, spec: string) => {
    const renamed = renameSpecifier(spec, resolve(dirname(fromFile), spec), declarations, jsExt);
    return renamed === spec ? whole : `${lead}${quote}${renamed}${quote}`;
  });
}

function renameSpecifier(spec: string, target: string, declarations: Set<string>, jsExt: string): string {
  if (spec.endsWith('.js') && declarations.has(`${target.slice(0, -3)}.d.ts`)) return `${spec.slice(0, -3)}${jsExt}`;
  if (!/\.[cm]?[jt]sx?$/.test(spec) && declarations.has(`${target}.d.ts`)) return `${spec}${jsExt}`;
  if (declarations.has(join(target, 'index.d.ts'))) return `${spec.replace(/\/$/, '')}/index${jsExt}`;
  return spec;
}

function pointAtMap(text: string, from: string, to: string): string {
  return text.replace(new RegExp(`(//# sourceMappingURL=)${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*)$`), `$1${to}$2`);
}
