import type { Colors } from '../color';

/** A few source lines around a position, with a caret under the column (1-based line and column). */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  // The newline that ends the file starts no line of its own.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? '';
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} |${text ? ` ${text}` : ''}`);
    // Tabs stay tabs under the line, so the caret lands under the column however wide a tab is.
    const pad = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ').padEnd(Math.max(0, column - 1));
    if (n === line) out.push(`  ${' '.repeat(width)} | ${pad}^`);
  }
  return out.join('\n');
}

/**
 * The code frames in `text` (as codeFrame writes them, indented or not) with the gutter dimmed and
 * the marker and caret in red; every other line, and every character, is left as it is. Frames
 * travel inside plain messages (a config syntax error's), so color is added where they are printed.
 */
export function colorCodeFrames(text: string, c: Colors): string {
  const red = (s: string) => c.bold(c.red(s));
  return text
    .split('\n')
    .map((l) => {
      let m = /^(\s*)([> ]) ( *\d+ \|)(.*)$/.exec(l);
      if (m) return `${m[1]}${m[2] === '>' ? red('>') : ' '} ${c.dim(m[3])}${m[4]}`;
      m = /^(\s*)( +\|)( [\t ]*)\^$/.exec(l);
      if (m) return `${m[1]}${c.dim(m[2])}${m[3]}${red('^')}`;
      return l;
    })
    .join('\n');
}

/**
 * 1-based character column from esbuild's 0-based column, which counts UTF-8 bytes: on a line with
 * non-ASCII text the byte offset lands past the character editors and code frames point at.
 */
export function characterColumn(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteColumn).toString('utf8').length + 1;
}
