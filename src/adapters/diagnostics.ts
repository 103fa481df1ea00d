import { resolve } from 'node:path';
import type { Message } from 'esbuild';
import { characterColumn } from '../config/code-frame';
import type { Diagnostic } from './types';

/**
 * An esbuild message (from a build, a transform, or bundling a user module) as a Diagnostic.
 * esbuild paths are relative to its working dir; its columns are 0-based UTF-8 byte offsets, and
 * every diagnostic we report has a 1-based character column like editors.
 */
export function fromEsbuildMessage(m: Message, severity: 'error' | 'warning', dir: string, builder: string): Diagnostic {
  const loc = m.location;
  return {
    severity,
    ...(m.id ? { code: m.id } : {}),
    message: m.text,
    ...(loc?.file ? { file: resolve(dir, loc.file), line: loc.line, column: characterColumn(loc.lineText, loc.column) } : {}),
    builder,
  };
}

/**
 * A builder run once per format compiles the same sources each time, so a source error comes back
 * once per format: keep the first of each.
 */
export function withoutDuplicates(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.severity, d.code, d.file, d.line, d.column, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
