import type { Colors } from '../color';

/**
 * A few source lines around a position, with a caret under the column (1-based line and column).
 * With `colors`, the marked line, its caret and the gutter are highlighted; the text is the same.
 */
export function codeFrame(source: string, line: number, column: number, context = 2, colors?: Colors): string {
  const lines = source.split(/\r?\n/);
  // The newline that ends the file starts no line of its own.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const red = colors ? (s: string) => colors.bold(colors.red(s)) : (s: string) => s;
  const dim = colors ? colors.dim : (s: string) => s;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? red('>') : ' ';
    const text = lines[n - 1] ?? '';
    out.push(`${marker} ${dim(`${String(n).padStart(width)} |`)}${text ? ` ${text}` : ''}`);
    // Tabs stay tabs under the line, so the caret lands under the column however wide a tab is.
    const pad = (lines[n - 1] ?? '').slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ').padEnd(Math.max(0, column - 1));
    if (n === line) out.push(`  ${dim(`${' '.repeat(width)} |`)} ${pad}${red('^')}`);
  }
  return out.join('\n');
}

/**
 * 1-based character column from esbuild's 0-based column, which counts UTF-8 bytes: on a line with
 * non-ASCII text the byte offset lands past the character editors and code frames point at.
 */
export function characterColumn(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteColumn).toString('utf8').length + 1;
}
