import { join } from 'node:path';
import { logger, readJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntryPointInputs } from '../../../src/engine/entry-points';
import { syncPackageJsonOf, writeEntryPoints } from '../../../src/nx/generators/sync-package-json/generator';
import { configSource, useTempDirs, writeFiles } from '../helpers/workspace';

const presetPackageJson = {
  name: '@org/lib',
  version: '0.0.1',
  type: 'module',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    './package.json': './package.json',
    '.': { development: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
  },
  nx: { name: 'lib' },
};

describe('writeEntryPoints (on a devkit Tree)', () => {
  const inputsFor = (treeRoot: string): EntryPointInputs => ({
    packageRoot: join(treeRoot, 'packages/lib'),
    entries: [{ name: 'index', file: join(treeRoot, 'packages/lib/src/index.ts') }],
    outDir: join(treeRoot, 'packages/lib/dist'),
    formats: ['esm', 'cjs'],
    dts: true,
    packageType: 'module',
    builder: 'esbuild',
  });

  it('writes exports, main, module and types into the package.json and keeps the rest', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('packages/lib/package.json', JSON.stringify(presetPackageJson, null, 2));
    tree.write('packages/lib/src/index.ts', 'export const a = 1;\n');
    const result = writeEntryPoints(tree, 'packages/lib', inputsFor(tree.root));
    expect(result.packageJsonPath).toBe('packages/lib/package.json');
    expect(result.changes.length).toBeGreaterThan(0);
    const written = readJson(tree, 'packages/lib/package.json');
    expect(written).toEqual({
      ...presetPackageJson,
      main: './dist/index.cjs',
      module: './dist/index.js',
      exports: {
        './package.json': './package.json',
        '.': {
          development: './src/index.ts',
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
      },
    });
  });

  it('leaves the file untouched when it is already in sync', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('packages/lib/package.json', JSON.stringify(presetPackageJson, null, 2));
    writeEntryPoints(tree, 'packages/lib', inputsFor(tree.root));
    const synced = tree.read('packages/lib/package.json', 'utf-8');
    const again = writeEntryPoints(tree, 'packages/lib', inputsFor(tree.root));
    expect(again.changes).toEqual([]);
    expect(tree.read('packages/lib/package.json', 'utf-8')).toBe(synced);
  });

  it('creates no package.json, and says so', () => {
    const tree = createTreeWithEmptyWorkspace();
    const result = writeEntryPoints(tree, 'packages/lib', inputsFor(tree.root));
    expect(result.skipped).toMatch(/packages\/lib\/package\.json does not exist/);
    expect(tree.exists('packages/lib/package.json')).toBe(false);
  });
});

describe('the sync generator (on a real workspace folder)', () => {
  const tempDir = useTempDirs();
  afterEach(() => vi.restoreAllMocks());

  const workspace = (files: Record<string, string>) => {
    const root = tempDir('bs-sync-');
    writeFiles(root, { 'nx.json': '{}', 'package.json': '{"name":"ws","private":true}', ...files });
    return root;
  };
  const lib = (dir: string, config: string, pkg: Record<string, unknown> = { name: dir, type: 'module' }) => ({
    [`packages/${dir}/package.json`]: `${JSON.stringify(pkg, null, 2)}\n`,
    [`packages/${dir}/src/index.ts`]: 'export const a = 1;\n',
    [`packages/${dir}/build.config.ts`]: configSource(config),
  });
  const projects = (...names: string[]) => names.map((name) => ({ name, root: `packages/${name}` }));

  it('writes the entry points of an opted-in package and names the file in outOfSyncMessage', async () => {
    const root = workspace(lib('a', "{ formats: ['esm', 'cjs'], dts: true, packageJson: { sync: true } }"));
    const tree = new FsTree(root, false);
    const result = await syncPackageJsonOf(tree, projects('a'));
    expect(result?.outOfSyncMessage).toContain('packages/a/package.json');
    expect(result?.outOfSyncDetails?.[0]).toBe('packages/a/package.json:');
    expect(result?.outOfSyncDetails).toContain('  - main: "./dist/index.cjs"');
    expect(readJson(tree, 'packages/a/package.json').exports['.'].require).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' });
  });

  it('reports nothing once package.json is in sync', async () => {
    const root = workspace(lib('a', "{ formats: ['esm'], dts: true, packageJson: { sync: true } }"));
    const first = new FsTree(root, false);
    expect(await syncPackageJsonOf(first, projects('a'))).toBeDefined();
    flushChanges(root, first.listChanges());
    const second = new FsTree(root, false);
    expect(await syncPackageJsonOf(second, projects('a'))).toBeUndefined();
    expect(second.listChanges()).toEqual([]);
  });

  it('leaves a package without packageJson.sync alone', async () => {
    const root = workspace(lib('a', "{ formats: ['esm'] }", { name: 'a', exports: './nowhere.js' }));
    const tree = new FsTree(root, false);
    expect(await syncPackageJsonOf(tree, projects('a'))).toBeUndefined();
    expect(tree.listChanges()).toEqual([]);
  });

  it('follows the production environment, which is what ships, and warns about an environment that writes other files', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const root = workspace(lib('a', "{ formats: ['esm'], packageJson: { sync: true }, environments: { production: { outDir: 'release' }, staging: { minify: true } } }"));
    const tree = new FsTree(root, false);
    await syncPackageJsonOf(tree, projects('a'));
    expect(readJson(tree, 'packages/a/package.json').main).toBe('./release/index.js');
    // ci inherits production; development and staging build the base config's dist/.
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/a: package\.json follows the production environment, and development, staging would write other entry files/));
  });

  it('says nothing about environments that write the same files', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const root = workspace(lib('a', "{ formats: ['esm'], packageJson: { sync: true }, environments: { production: { minify: true } } }"));
    await syncPackageJsonOf(new FsTree(root, false), projects('a'));
    expect(warn).not.toHaveBeenCalled();
  });

  it('skips a package whose config does not load, with a warning, and still syncs the others', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const root = workspace({
      ...lib('a', "{ formats: ['esm'], packageJson: { sync: true } }"),
      ...lib('broken', "{ formats: ['esm'], packageJson: { sync: true }, outdir: 'x' }"),
    });
    const tree = new FsTree(root, false);
    const result = await syncPackageJsonOf(tree, projects('a', 'broken'));
    expect(result?.outOfSyncMessage).toContain('packages/a/package.json');
    expect(result?.outOfSyncMessage).not.toContain('broken');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipped broken, its build config failed \(BS_CONFIG_INVALID: .*outdir/s));
    expect(tree.listChanges().map((c) => c.path)).toEqual(['packages/a/package.json']);
  });

  it('skips a package without package.json and says so', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const files = lib('a', "{ formats: ['esm'], packageJson: { sync: true } }");
    delete files['packages/a/package.json'];
    const root = workspace({ ...files, 'packages/a/project.json': '{"name":"a"}' });
    const tree = new FsTree(root, false);
    expect(await syncPackageJsonOf(tree, projects('a'))).toBeUndefined();
    expect(tree.exists('packages/a/package.json')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('skipped a: packages/a/package.json does not exist'));
  });

  it('places tsc output where tsc mirrors the tsconfig rootDir', async () => {
    const root = workspace({
      ...lib('a', "{ builder: 'tsc', formats: ['esm', 'cjs'], dts: true, packageJson: { sync: true } }"),
      'packages/a/tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.lib.json' }] }),
      'packages/a/tsconfig.lib.json': JSON.stringify({ extends: './tsconfig.base-lib.json', include: ['src'] }),
      'packages/a/tsconfig.base-lib.json': '{ // comments are allowed\n "compilerOptions": { "rootDir": "." } }',
    });
    const tree = new FsTree(root, false);
    await syncPackageJsonOf(tree, projects('a'));
    expect(readJson(tree, 'packages/a/package.json').exports['.']).toEqual({
      import: { types: './dist/src/index.d.ts', default: './dist/src/index.js' },
      require: { types: './dist/cjs/src/index.d.ts', default: './dist/cjs/src/index.js' },
    });
  });
});
