import { describe, expect, it } from 'vitest';
import { foreignConfigOwner } from '../../../src/nx/foreign-config';
import { includedScripts, includedScriptsWithout, shadowingScript } from '../../../src/nx/npm-script-shadowing';

describe('foreignConfigOwner: a build.config.* that belongs to another tool', () => {
  it('names unbuild for an unbuild config', () => {
    expect(foreignConfigOwner("import { defineBuildConfig } from 'unbuild';\n\nexport default defineBuildConfig({ entries: ['src/index'] });\n")).toBe('unbuild');
    expect(foreignConfigOwner("const { defineBuildConfig } = require('unbuild');\nmodule.exports = defineBuildConfig({});\n")).toBe('unbuild');
    expect(foreignConfigOwner("import type { BuildConfig } from 'unbuild';\nexport default { entries: [] } satisfies BuildConfig;\n")).toBe('unbuild');
  });

  it("names any other package's defineBuildConfig", () => {
    expect(foreignConfigOwner("import { defineBuildConfig as define } from '@acme/build/config';\nexport default define({});\n")).toBe('@acme/build');
  });

  it('keeps configs that import this package, a local helper or nothing', () => {
    expect(foreignConfigOwner("import { defineBuildConfig } from '@repo/build-system';\nexport default defineBuildConfig({ entry: 'src/index.ts' });\n")).toBeUndefined();
    expect(foreignConfigOwner("import { defineBuildConfig } from '../../tools/build';\nexport default defineBuildConfig({});\n")).toBeUndefined();
    expect(foreignConfigOwner("export default { entry: 'src/index.ts' };\n")).toBeUndefined();
    expect(foreignConfigOwner("import { defineBuildConfig } from '@repo/build-system';\nimport { x } from 'unbuild';\n")).toBeUndefined();
  });
});

describe('npm script shadowing, as Nx reads package.json', () => {
  it('a build script shadows the build target unless nx.includedScripts leaves it out', () => {
    expect(shadowingScript({ scripts: { build: 'tsc', test: 'vitest' } }, 'build')).toBe('build');
    expect(shadowingScript({ scripts: { build: 'tsc' }, nx: { includedScripts: [] } }, 'build')).toBeUndefined();
    expect(shadowingScript({ scripts: { test: 'vitest' } }, 'build')).toBeUndefined();
    expect(shadowingScript({ scripts: { compile: 'tsc' } }, 'compile')).toBe('compile');
  });

  it('keeps every other script, or the existing list, minus the target name', () => {
    expect(includedScriptsWithout({ scripts: { build: 'tsc', test: 'vitest', lint: 'eslint' } }, 'build')).toEqual(['test', 'lint']);
    expect(includedScriptsWithout({ scripts: { build: 'tsc', test: 'vitest' }, nx: { includedScripts: ['build'] } }, 'build')).toEqual([]);
    expect(includedScripts({ nx: { includedScripts: ['test'] }, scripts: { test: 'x', build: 'y' } })).toEqual(['test']);
  });
});
