import { describe, expect, it } from 'vitest';
import type { TypeScriptCompiler } from '../../../src/adapters/tsc/compiler';
import { moduleArgs } from '../../../src/adapters/tsc/index';

/** What the tsc builder adds to force a format the tsconfig's `module` does not emit. */
const ts = (major: number): TypeScriptCompiler => ({ packageName: 'typescript', version: `${major}.0.0`, major, bin: 'tsc', viaNode: true });
// What `tsc --showConfig` gives for tsconfig.base.json of create-nx-workspace --preset=ts.
const NODENEXT = { module: 'nodenext', moduleResolution: 'nodenext', customConditions: ['development'], esModuleInterop: true, resolvePackageJsonExports: true, resolvePackageJsonImports: true };

describe('tsc builder: forced module settings', () => {
  it("adds nothing when the tsconfig's module already emits the format", () => {
    expect(moduleArgs('esm', 'esm', ts(5), NODENEXT)).toEqual([]);
  });

  it('forces CommonJS under node10 on TypeScript 5 with the options node10 refuses switched off and the interop kept', () => {
    expect(moduleArgs('cjs', 'esm', ts(5), NODENEXT)).toEqual([
      '--module', 'commonjs', '--verbatimModuleSyntax', 'false', '--moduleResolution', 'node10',
      '--customConditions', 'null', '--resolvePackageJsonExports', 'false', '--resolvePackageJsonImports', 'false', '--esModuleInterop',
    ]);
    expect(moduleArgs('cjs', 'esm', ts(5), {})).toEqual(['--module', 'commonjs', '--verbatimModuleSyntax', 'false', '--moduleResolution', 'node10']);
  });

  it('keeps customConditions on TypeScript 7, whose bundler resolution allows them with CommonJS', () => {
    expect(moduleArgs('cjs', 'esm', ts(7), NODENEXT)).toEqual(['--module', 'commonjs', '--verbatimModuleSyntax', 'false', '--moduleResolution', 'bundler', '--esModuleInterop']);
    expect(moduleArgs('cjs', 'esm', ts(6), NODENEXT).slice(4, 8)).toEqual(['--moduleResolution', 'node10', '--ignoreDeprecations', '6.0']);
  });
});
