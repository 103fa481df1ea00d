import type { Diagnostic } from './types';

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
