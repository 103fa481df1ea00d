import { join } from 'node:path';
import type { OutputFormat } from '../../config/schema';

/**
 * File extension per format, matching package.json `type` so Node loads each file as what it is:
 * in a "module" package .js is ESM and CJS needs .cjs; in a CommonJS package the reverse.
 */
export function outExtension(format: OutputFormat, packageType: 'module' | 'commonjs'): string {
  if (format === 'iife') return '.global.js';
  if (format === 'esm') return packageType === 'module' ? '.js' : '.mjs';
  return packageType === 'module' ? '.cjs' : '.js';
}

/**
 * The folder tsc writes `format` into: the format that matches package.json `type` goes to outDir
 * itself, any other to `outDir/<format>/` (beside a one-line package.json naming its module system),
 * because tsc cannot rename `.js` files.
 */
export function tscFormatDir(format: OutputFormat, packageType: 'module' | 'commonjs', outDir: string): string {
  const native = packageType === 'module' ? 'esm' : 'cjs';
  return format === native ? outDir : join(outDir, format);
}

/**
 * The declaration file that describes a JavaScript file, beside it: `index.js` ↔ `index.d.ts`,
 * `index.cjs` ↔ `index.d.cts`, `index.mjs` ↔ `index.d.mts` (what TypeScript looks for next to each).
 * Undefined for a file that no declaration describes (an iife bundle).
 */
export function declarationFileFor(jsFile: string): string | undefined {
  if (jsFile.endsWith('.global.js')) return undefined;
  const m = /\.([cm]?)js$/.exec(jsFile);
  return m ? `${jsFile.slice(0, -m[0].length)}.d.${m[1]}ts` : undefined;
}
