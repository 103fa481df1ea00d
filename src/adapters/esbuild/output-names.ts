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
