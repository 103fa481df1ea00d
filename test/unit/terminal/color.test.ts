import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/adapters/format-diagnostic';
import { colorEnabled, stripAnsi } from '../../../src/color';
import { codeFrame } from '../../../src/config/code-frame';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const ESC = '\u001b[';
const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colorEnabled: whether a stream gets colors', () => {
  it('colors a terminal and leaves a pipe plain', () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
  });

  it('colors a pipe when FORCE_COLOR is set, as Nx sets it for every task', () => {
    expect(colorEnabled(pipe, { FORCE_COLOR: 'true' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('stays plain with NO_COLOR, FORCE_COLOR=0 or FORCE_COLOR=false, even in a terminal', () => {
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('stays plain in CI, where Nx sets FORCE_COLOR too', () => {
    expect(colorEnabled(pipe, { CI: 'true', FORCE_COLOR: 'true' })).toBe(false);
    expect(colorEnabled(tty, { CI: '1' })).toBe(false);
    expect(colorEnabled(tty, { CI: 'false' })).toBe(true);
  });

  it('stays plain on a dumb terminal', () => {
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });
});

describe('formatDiagnostic: a builder message with a code frame', () => {
  function sourceFile(): { root: string; file: string } {
    const root = tempDir();
    const file = path.join(root, 'src/x.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'export function f() {\n  const a = {\n    b: 1 1\n  };\n  return a;\n}\n');
    return { root, file };
  }

  it('prints file:line:column, the message and the source around it, with a caret, and no escape codes', () => {
    const { root, file } = sourceFile();

    const text = formatDiagnostic({ severity: 'error', message: 'Expected "}" but found "1"', file, line: 3, column: 10, builder: 'esbuild' }, root);

    expect(text).toBe(
      [
        'src/x.ts:3:10: error: Expected "}" but found "1"',
        '    1 | export function f() {',
        '    2 |   const a = {',
        '  > 3 |     b: 1 1',
        '      |          ^',
        '    4 |   };',
        '    5 |   return a;',
      ].join('\n'),
    );
    expect(text).not.toContain(ESC);
  });

  it('colors the same text for a color terminal', () => {
    const { root, file } = sourceFile();
    const d = { severity: 'error' as const, code: 'TS1005', message: "',' expected.", file, line: 3, column: 10, builder: 'tsc' };

    const colored = formatDiagnostic(d, root, { color: true });

    expect(colored).toContain(ESC);
    expect(colored).toContain(`${ESC}31m`); // red: "error", the marker and the caret
    expect(stripAnsi(colored)).toBe(formatDiagnostic(d, root));
  });

  it('prints the located line alone when the file is gone or the builder printed its own frame', () => {
    const { root, file } = sourceFile();
    const d = { severity: 'warning' as const, message: 'unused', file, line: 3, column: 10, builder: 'rollup' };

    expect(formatDiagnostic(d, root, { frame: false })).toBe('src/x.ts:3:10: warning: unused');
    expect(formatDiagnostic({ ...d, file: path.join(root, 'gone.ts') }, root)).toBe('gone.ts:3:10: warning: unused');
    expect(formatDiagnostic({ ...d, line: 99 }, root)).toBe('src/x.ts:99:10: warning: unused');
  });
});

describe('codeFrame under a tab-indented line', () => {
  it('keeps the tabs before the caret, so it lands under the column', () => {
    expect(codeFrame('\t\tfoo(1 1);\n', 1, 9, 0)).toBe('> 1 | \t\tfoo(1 1);\n    | \t\t      ^');
  });
});
