import { readFile, stat } from 'node:fs/promises';

export type ModuleFormat = 'esm' | 'cjs';

export const FORMAT_NAME: Record<ModuleFormat, string> = { esm: 'ESM', cjs: 'CommonJS' };

export function isJavaScript(file: string): boolean {
  return /\.[cm]?js$/.test(file);
}

/** `.d.ts`, `.d.mts`, `.d.cts` (not `.d.css.ts` and the like, which describe no JS format). */
export function isDeclaration(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file) && !/\.d\.[^./]+\.ts$/.test(file);
}

/**
 * How Node reads a JS file, or TypeScript a declaration: `.mjs`/`.d.mts` ESM, `.cjs`/`.d.cts`
 * CommonJS, `.js`/`.d.ts` by the nearest package.json `type`. Undefined for anything else.
 */
export function formatByName(file: string, packageType: 'module' | 'commonjs'): ModuleFormat | undefined {
  if (/\.m(js|ts)$/.test(file) && (isJavaScript(file) || isDeclaration(file))) return 'esm';
  if (/\.c(js|ts)$/.test(file) && (isJavaScript(file) || isDeclaration(file))) return 'cjs';
  if (file.endsWith('.js') || (isDeclaration(file) && file.endsWith('.d.ts'))) return packageType === 'module' ? 'esm' : 'cjs';
  return undefined;
}

/** The declaration TypeScript looks for beside a JS file: x.js→x.d.ts, x.mjs→x.d.mts, x.cjs→x.d.cts. */
export function siblingDeclaration(jsFile: string): string {
  return jsFile.replace(/\.([cm]?)js$/, '.d.$1ts');
}

/** Larger files are skipped: parsing them costs more than the check is worth. */
const MAX_CONTENT_BYTES = 8 * 1024 * 1024;

/**
 * What a JS file's code is, read by esbuild's parser (already this plugin's dependency, so no
 * new one): `esm` for import/export/import.meta, `cjs` for module/exports, undefined when the
 * code uses neither (a script, or a bundle with no exports) or could not be read. esbuild gets
 * the code without a path, so the package `type` cannot colour the answer. es-module-lexer and
 * cjs-module-lexer were weighed: each sees one side only (cjs-module-lexer misses
 * `module.exports = { a: 1 }`), and two packages would do what one present parser does.
 */
export async function formatByContent(file: string): Promise<ModuleFormat | undefined> {
  try {
    if ((await stat(file)).size > MAX_CONTENT_BYTES) return undefined;
    const contents = await readFile(file, 'utf8');
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      stdin: { contents, loader: 'js', sourcefile: 'entry.js' },
      bundle: true,
      external: ['*'],
      format: 'esm',
      platform: 'neutral',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const format = Object.values(result.metafile.inputs)[0]?.format;
    return format === 'esm' || format === 'cjs' ? format : undefined;
  } catch {
    // A syntax error is the builder's business (and a .js may hold JSX): claim nothing.
    return undefined;
  }
}
