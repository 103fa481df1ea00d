import { relative } from 'node:path';
import type { Diagnostic } from './types';

/** `file:line:col: error CODE: message`, the shape editors and terminals turn into links. */
export function formatDiagnostic(d: Diagnostic, workspaceRoot: string): string {
  const file = d.file ? relative(workspaceRoot, d.file).split('\\').join('/') : undefined;
  const where = file ? `${file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  return `${where}${d.severity}${d.code ? ` ${d.code}` : ''}: ${d.message}`;
}
