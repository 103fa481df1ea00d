import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addProjectConfiguration, type Tree, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuildConfig } from '../../../src/config/load';
import { validateBuildConfig } from '../../../src/config/validate';
import configurationGenerator from '../../../src/nx/generators/configuration/generator';
import type { ConfigurationGeneratorSchema } from '../../../src/nx/generators/configuration/schema';
import { presetLibPackageJson } from '../helpers/preset-package';

/** A lib as `create-nx-workspace --preset=ts` writes it. */
function presetLib(tree: Tree, root = 'packages/a', extra: Record<string, unknown> = {}): void {
  addProjectConfiguration(tree, 'a', { root });
  writeJson(tree, `${root}/package.json`, presetLibPackageJson(extra));
  tree.write(`${root}/tsconfig.json`, '{\n  // a solution file\n  "extends": "../../tsconfig.base.json",\n  "files": [],\n  "include": [],\n  "references": [{ "path": "./tsconfig.lib.json" }]\n}\n');
  tree.write(`${root}/tsconfig.lib.json`, '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" }, "include": ["src/**/*.ts"] }\n');
  tree.write(`${root}/src/index.ts`, 'export const a = 1;\n');
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function generate(tree: Tree, options: Partial<ConfigurationGeneratorSchema> = {}): Promise<string> {
  await configurationGenerator(tree, { project: 'a', skipPackageJson: true, skipFormat: true, ...options });
  return tree.read('packages/a/build.config.ts', 'utf-8')!;
}

/** What the build reads: the written config, loaded and validated by the strict schema. */
async function loadWritten(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bs-gen-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'build.config.ts'), text);
  const loaded = await loadBuildConfig(join(dir, 'build.config.ts'));
  return validateBuildConfig(loaded.raw, 'build.config.ts');
}

describe('configuration generator: reads the package it configures', () => {
  it('on the Nx TS preset layout writes entry, esm, dts and tsconfig.lib.json, and the config validates', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree);
    const config = await loadWritten(await generate(tree));
    expect(config).toMatchObject({ entry: 'src/index.ts', formats: ['esm'], dts: true, tsconfig: 'tsconfig.lib.json' });
    expect(config.outDir).toBeUndefined();
  });

  it('emits cjs too when the exports have a require condition, into the outDir the entry points name', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree, 'packages/a', {
      main: './lib/index.cjs',
      module: undefined,
      types: undefined,
      exports: { '.': { development: './src/index.ts', import: './lib/index.js', require: './lib/index.cjs' } },
    });
    const config = await loadWritten(await generate(tree));
    expect(config).toMatchObject({ formats: ['esm', 'cjs'], outDir: 'lib' });
    expect(config.dts).toBeUndefined();
  });

  it('lets explicit options win over package.json', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree);
    tree.write('packages/a/src/main.ts', 'export {};\n');
    const config = await loadWritten(await generate(tree, { entry: 'src/main.ts', formats: ['cjs'], dts: false, tsconfig: 'tsconfig.json' }));
    expect(config).toMatchObject({ entry: 'src/main.ts', formats: ['cjs'], tsconfig: 'tsconfig.json' });
    expect(config.dts).toBeUndefined();
  });

  it('takes the src/index.* that exists when no condition names the source', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'a', { root: 'packages/a' });
    writeJson(tree, 'packages/a/package.json', { name: 'a', main: './dist/index.js' });
    tree.write('packages/a/src/index.mts', 'export {};\n');
    const config = await loadWritten(await generate(tree));
    expect(config).toMatchObject({ entry: 'src/index.mts', formats: ['cjs'] });
  });

  it('writes packageJson: { sync: true } with --syncPackageJson, and nothing of it without', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree);
    expect(await generate(tree)).not.toContain('packageJson');
    const text = await generate(tree, { syncPackageJson: true, force: true });
    expect(text).toMatch(/^ {2}packageJson: \{ sync: true \},$/m);
    expect((await loadWritten(text)).packageJson).toEqual({ sync: true });
  });

  it('with --syncPackageJson writes the entry points at once, so the first build finds package.json in sync', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree);
    await generate(tree, { syncPackageJson: true, formats: ['esm', 'cjs'] });
    const pkg = JSON.parse(tree.read('packages/a/package.json', 'utf-8')!);
    expect(pkg.exports['.']).toEqual({
      development: './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(pkg.main).toBe('./dist/index.cjs');
  });

  it('turns the sync on when the chosen formats are ones package.json does not reach (ESM + CommonJS for an ESM-only package)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree);
    const config = await loadWritten(await generate(tree, { formats: ['esm', 'cjs'] }));
    expect(config.packageJson).toEqual({ sync: true });
    const pkg = JSON.parse(tree.read('packages/a/package.json', 'utf-8')!);
    expect(pkg.exports['.'].require).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' });
  });

  it('leaves the sync off when package.json already reaches every chosen format', async () => {
    const tree = createTreeWithEmptyWorkspace();
    presetLib(tree);
    const before = tree.read('packages/a/package.json', 'utf-8');
    expect((await loadWritten(await generate(tree))).packageJson).toBeUndefined();
    expect(tree.read('packages/a/package.json', 'utf-8')).toBe(before);
  });
});

describe('configuration generator: a build npm script', () => {
  const withScripts = (tree: Tree, pkg: Record<string, unknown>) => {
    addProjectConfiguration(tree, 'a', { root: 'packages/a' });
    writeJson(tree, 'packages/a/package.json', { name: 'a', ...pkg });
    tree.write('packages/a/src/index.ts', 'export {};\n');
  };

  it('excludes the build script from Nx inference and keeps the others', async () => {
    const tree = createTreeWithEmptyWorkspace();
    withScripts(tree, { scripts: { build: 'tsc -p tsconfig.json', test: 'vitest', lint: 'eslint .' } });
    await generate(tree);
    const pkg = JSON.parse(tree.read('packages/a/package.json', 'utf-8')!);
    expect(pkg.nx).toEqual({ includedScripts: ['test', 'lint'] });
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.json');
  });

  it('keeps an existing includedScripts list, minus the build target, and other nx settings', async () => {
    const tree = createTreeWithEmptyWorkspace();
    withScripts(tree, { scripts: { build: 'tsc', test: 'vitest', lint: 'eslint' }, nx: { tags: ['lib'], includedScripts: ['build', 'test'] } });
    await generate(tree);
    expect(JSON.parse(tree.read('packages/a/package.json', 'utf-8')!).nx).toEqual({ tags: ['lib'], includedScripts: ['test'] });
  });

  it('uses the buildTargetName of nx.json', async () => {
    const tree = createTreeWithEmptyWorkspace();
    withScripts(tree, { scripts: { build: 'tsc', compile: 'old' } });
    const nxJson = JSON.parse(tree.read('nx.json', 'utf-8')!);
    writeJson(tree, 'nx.json', { ...nxJson, plugins: [{ plugin: '@repo/build-system/plugin', options: { buildTargetName: 'compile' } }] });
    await generate(tree);
    expect(JSON.parse(tree.read('packages/a/package.json', 'utf-8')!).nx).toEqual({ includedScripts: ['build'] });
  });

  it('leaves package.json alone without such a script', async () => {
    const tree = createTreeWithEmptyWorkspace();
    withScripts(tree, { scripts: { test: 'vitest' } });
    const before = tree.read('packages/a/package.json', 'utf-8');
    await generate(tree);
    expect(tree.read('packages/a/package.json', 'utf-8')).toBe(before);
  });
});
