/**
 * The module specifiers a TypeScript module names: `import … from '…'`, `import '…'`,
 * `export … from '…'`, `import('…')` (also in types: `typeof import('…')`), `require('…')` and
 * `import x = require('…')`. Comments are skipped (a commented-out import is not one); strings and
 * template literals are stepped over as wholes, so `//` inside one is not a comment. A specifier
 * spelled inside a string (`"from './x'"`) is not told apart: the cost is one extra declaration.
 */
export function importSpecifiers(source: string): string[] {
  const code = withoutComments(source);
  const found = new Set<string>();
  const re = /(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*(['"])([^'"\n]+)\1/g;
  for (const m of code.matchAll(re)) found.add(m[2]);
  return [...found];
}

/** `source` with every comment replaced by spaces (offsets kept), strings and templates untouched. */
function withoutComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      const stop = endOfString(source, i);
      out += source.slice(i, stop);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index after the string or template literal opening at `start` (a template's `${…}` is stepped over whole). */
function endOfString(source: string, start: number): number {
  const quote = source[start];
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (quote !== '`' && c === '\n') return i;
    else i++;
  }
  return i;
}
