import { describe, expect, it } from 'vitest';
import { jsonValuePositions } from '../../../src/engine/package-contract/json-positions';

describe('jsonValuePositions', () => {
  const text = JSON.stringify({ name: 'p', exports: { '.': { import: './a.js', require: ['./b.cjs', './c.cjs'] } }, bin: { 'x-y': './x.js' } }, null, 2);
  const at = jsonValuePositions(text);

  it('finds the line and column where each value starts, through objects and arrays', () => {
    const lines = text.split('\n');
    const where = (needle: string) => {
      const line = lines.findIndex((l) => l.includes(needle));
      return { line: line + 1, column: lines[line].indexOf(needle) + 1 };
    };
    expect(at(['name'])).toEqual(where('"p"'));
    expect(at(['exports', '.', 'import'])).toEqual(where('"./a.js"'));
    expect(at(['exports', '.', 'require', 1])).toEqual(where('"./c.cjs"'));
    expect(at(['bin', 'x-y'])).toEqual(where('"./x.js"'));
  });

  it('knows nothing of paths that are not there, and keeps what it read before broken text', () => {
    expect(at(['exports', './missing'])).toBeUndefined();
    const broken = jsonValuePositions('{\n  "main": "./a.js",\n  "types": ');
    expect(broken(['main'])).toEqual({ line: 2, column: 11 });
  });
});
