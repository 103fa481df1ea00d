import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateOptionDiagnostic } from '../../../src/adapters/tsc/option-location';
import type { Diagnostic } from '../../../src/adapters/types';
import { useTempDirs, writeFiles } from '../helpers/workspace';

/** tsc puts an inherited option's error at the tsconfig's "compilerOptions" key; it belongs where the option is set. */
const tempDir = useTempDirs();

const TS5098 = "Option 'customConditions' can only be used when 'moduleResolution' is set to 'node16', 'nodenext', or 'bundler'.";

function layout(): string {
  const root = tempDir();
  writeFiles(root, {
    'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": {\n    "strict": true,\n    "customConditions": ["development"]\n  }\n}\n',
    'packages/a/tsconfig.lib.json': '{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": {\n    "moduleResolution": "node10"\n  }\n}\n',
    'node_modules/@org/tsconfig/package.json': '{ "name": "@org/tsconfig" }',
    'node_modules/@org/tsconfig/strict.json': '{ "compilerOptions": { "customConditions": [] } }',
    'packages/b/tsconfig.lib.json': '{\n  "extends": ["../../tsconfig.base.json", "@org/tsconfig/strict.json"],\n  "compilerOptions": {}\n}\n',
  });
  return root;
}

const at = (file: string, line: number, column: number, message = TS5098): Diagnostic => ({ severity: 'error', code: 'TS5098', message, file, line, column, builder: 'tsc' });

describe('locateOptionDiagnostic', () => {
  it('moves the error to the line of the extended tsconfig that sets the option', () => {
    const root = layout();
    const d = locateOptionDiagnostic(at(path.join(root, 'packages/a/tsconfig.lib.json'), 3, 3));
    expect(d).toMatchObject({ file: path.join(root, 'tsconfig.base.json'), line: 5, column: 5, message: TS5098 });
  });

  it('follows extends arrays from the last entry, and package paths', () => {
    const root = layout();
    const d = locateOptionDiagnostic(at(path.join(root, 'packages/b/tsconfig.lib.json'), 3, 3));
    expect(d).toMatchObject({ file: path.join(root, 'node_modules/@org/tsconfig/strict.json'), line: 1, column: 24 });
  });

  it('leaves a diagnostic that already points at its option, or names none that is set', () => {
    const root = layout();
    const own = at(path.join(root, 'packages/a/tsconfig.lib.json'), 4, 5);
    expect(locateOptionDiagnostic(own)).toBe(own);
    const unknown = at(path.join(root, 'packages/a/tsconfig.lib.json'), 3, 3, "Option 'nothingSetHere' is odd.");
    expect(locateOptionDiagnostic(unknown)).toBe(unknown);
  });
});
