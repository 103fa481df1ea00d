import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { palette } from '../color';
import { codeFrame, colorCodeFrames } from '../config/code-frame';
import type { Diagnostic } from './types';

export interface FormatDiagnosticOptions {
  /** ANSI colors for a color terminal; the text is otherwise identical. */
  color?: boolean;
  /** Source lines around the position, read from the file (default true); false when the builder printed its own. */
  frame?: boolean;
}

/** Larger sources are minified or generated: a frame of them helps nobody and costs a read. */
const MAX_FRAME_SOURCE_BYTES = 1024 * 1024;

/**
 * `file:line:col: error CODE: message`, the shape editors and terminals turn into links, then a
 * code frame of the source around that position when the file can be read.
 */
export function formatDiagnostic(d: Diagnostic, workspaceRoot: string, options: FormatDiagnosticOptions = {}): string {
  const c = palette(options.color === true);
  const file = d.file ? relative(workspaceRoot, d.file).split('\\').join('/') : undefined;
  const where = file ? `${c.bold(`${file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}`)}: ` : '';
  const severity = d.severity === 'error' ? c.bold(c.red('error')) : c.bold(c.yellow('warning'));
  const head = `${where}${severity}${d.code ? ` ${c.dim(d.code)}` : ''}: ${d.message}`;
  const frame = options.frame !== false && d.file && d.line ? sourceFrame(d.file, d.line, d.column ?? 1, options.color === true) : undefined;
  return frame ? `${head}\n${frame}` : head;
}

function sourceFrame(file: string, line: number, column: number, color: boolean): string | undefined {
  try {
    if (statSync(file).size > MAX_FRAME_SOURCE_BYTES) return undefined;
    const source = readFileSync(file, 'utf8');
    if (line > source.split(/\r?\n/).length) return undefined;
    const frame = codeFrame(source, line, column)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    return color ? colorCodeFrames(frame, palette(true)) : frame;
  } catch {
    // Gone, unreadable or not a file: the located line alone still says where.
    return undefined;
  }
}
