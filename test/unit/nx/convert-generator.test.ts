import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addProjectConfiguration, logger, readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadBuildConfig } from '../../../src/config/load';
import { buildConfigSchema } from '../../../src/config/schema';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import convertGenerator from '../../../src/nx/generators/convert/generator';
import { graphDependencies } from '../../../src/nx/generators/convert/graph-dependencies';

let printed: string[];
beforeEach(() => {
  printed = [];
  for (const level of ['info', 'warn'] as const) vi.spyOn(logger, level).mockImplementation((m: unknown) => void printed.push(String(m)));
});
afterEach(() => vi.restoreAllMocks());
const output = () => printed.join('\n');

/** An integrated workspace: tsconfig.base.json with rootDir ".", the lib at libs/<name> with project.json. */
function integrated(name: string, executor: string, options: Record<string, unknown>, extra: { packageJson?: Record<string, unknown>; target?: Record<string, unknown> } = {}): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { rootDir: '.', module: 'esnext', declaration: false, baseUrl: '.', paths: {} } }));
  const root = `libs/${name}`;
  addProjectConfiguration(tree, name, { root, targets: { build: { executor, outputs: ['{options.outputPath}'], options, ...extra.target } } });
  tree.write(`${root}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { module: 'commonjs' }, files: [], references: [{ path: './tsconfig.lib.json' }] }));
  tree.write(`${root}/tsconfig.lib.json`, JSON.stringify({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', declaration: true }, include: ['src/**/*.ts'] }));
  tree.write(`${root}/src/index.ts`, 'export const x = 1;\n');
  if (extra.packageJson) tree.write(`${root}/package.json`, JSON.stringify(extra.packageJson));
  return tree;
}

const convert = (tree: Tree, project: string) => convertGenerator(tree, { project, skipPackageJson: true, skipFormat: true });

/** The written build.config.ts, loaded and validated as a build would. */
async function writtenConfig(tree: Tree, root: string): Promise<Record<string, any>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-convert-'));
  try {
    const file = path.join(dir, 'build.config.ts');
    fs.writeFileSync(file, tree.read(`${root}/build.config.ts`, 'utf-8')!);
    return buildConfigSchema.parse((await loadBuildConfig(file)).raw) as Record<string, any>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('convert generator', () => {
  it('@nx/js:tsc in an integrated workspace: rootDir of the project root, outDir/package.json, and says where each output moves', async () => {
    const tree = integrated('x', '@nx/js:tsc', { main: 'libs/x/src/index.ts', outputPath: 'dist/libs/x', tsConfig: 'libs/x/tsconfig.lib.json', assets: ['libs/x/*.md'] }, { packageJson: { name: '@org/x', version: '0.0.1' } });

    await convert(tree, 'x');

    expect(await writtenConfig(tree, 'libs/x')).toEqual({
      entry: 'src/index.ts',
      formats: ['cjs'],
      builder: 'tsc',
      tsconfig: 'tsconfig.lib.json',
      dts: true,
      packageJson: { generate: true },
    });
    expect(readJson(tree, 'libs/x/tsconfig.lib.json').compilerOptions.rootDir).toBe('.');
    expect(readJson(tree, 'libs/x/project.json').targets?.build).toBeUndefined();
    expect(output()).toContain('Outputs move from dist/libs/x/ to libs/x/dist/');
    expect(output()).toContain('libs/x/dist/src/index.js (was dist/libs/x/src/index.js)');
    expect(output()).toContain('libs/x/dist/src/index.d.ts (was dist/libs/x/src/index.d.ts)');
    expect(output()).toContain('libs/x/dist/package.json');
    expect(output()).toContain('it was "." from tsconfig.base.json');
    expect(output()).toMatch(/Not carried over from @nx\/js:tsc:\n {2}- assets: .*post hook/);
    expect(output()).toContain('libs/x/package.json has no dependencies field');
  });

  it('@nx/js:tsc with generatePackageJson: false writes no package.json into outDir', async () => {
    const tree = integrated('x', '@nx/js:tsc', { main: 'libs/x/src/index.ts', outputPath: 'dist/libs/x', tsConfig: 'libs/x/tsconfig.lib.json', generatePackageJson: false });

    await convert(tree, 'x');

    expect((await writtenConfig(tree, 'libs/x')).packageJson).toBeUndefined();
    expect(output()).not.toContain('libs/x/dist/package.json');
  });

  it('@nx/esbuild with declarations: dts, its tsconfig, declarations beside the bundles, and the package.json it copied', async () => {
    const tree = integrated(
      'esb',
      '@nx/esbuild:esbuild',
      { main: 'libs/esb/src/index.ts', outputPath: 'dist/libs/esb', tsConfig: 'libs/esb/tsconfig.lib.json', format: ['esm', 'cjs'], declaration: true, platform: 'node', bundle: true, thirdParty: false },
      { packageJson: { name: '@org/esb', version: '1.0.0', type: 'module' } },
    );

    await convert(tree, 'esb');

    expect(await writtenConfig(tree, 'libs/esb')).toEqual({
      entry: 'src/index.ts',
      formats: ['esm', 'cjs'],
      builder: 'esbuild',
      tsconfig: 'tsconfig.lib.json',
      target: 'esnext',
      dts: true,
      packageJson: { generate: true },
    });
    expect(readJson(tree, 'libs/esb/tsconfig.lib.json').compilerOptions.rootDir).toBe('src');
    expect(output()).toContain('libs/esb/dist/index.js');
    expect(output()).toContain('libs/esb/dist/index.cjs');
    expect(output()).toContain('libs/esb/dist/index.d.ts');
    expect(output()).not.toContain('Not carried over');
  });

  it('@nx/esbuild: declarationRootDir becomes the tsconfig rootDir', async () => {
    const tree = integrated('esb', '@nx/esbuild:esbuild', {
      main: 'libs/esb/src/index.ts',
      outputPath: 'dist/libs/esb',
      tsConfig: 'libs/esb/tsconfig.lib.json',
      declaration: true,
      declarationRootDir: 'libs/esb/src',
      skipTypeCheck: true,
    });

    await convert(tree, 'esb');

    expect(readJson(tree, 'libs/esb/tsconfig.lib.json').compilerOptions.rootDir).toBe('src');
    expect(output()).toContain('declarationRootDir "libs/esb/src"');
  });

  it('@nx/esbuild without declarations says it no longer type-checks', async () => {
    const tree = integrated('esb', '@nx/esbuild:esbuild', { main: 'libs/esb/src/index.ts', outputPath: 'dist/libs/esb', tsConfig: 'libs/esb/tsconfig.lib.json' });

    await convert(tree, 'esb');

    expect((await writtenConfig(tree, 'libs/esb')).dts).toBeUndefined();
    expect(readJson(tree, 'libs/esb/tsconfig.lib.json').compilerOptions.rootDir).toBeUndefined();
    expect(output()).toMatch(/- skipTypeCheck: @nx\/esbuild type-checked before bundling/);
  });

  it('names every option it does not carry over, and turns configurations into environments', async () => {
    const tree = integrated(
      'esb',
      '@nx/esbuild:esbuild',
      { main: 'libs/esb/src/index.ts', outputPath: 'dist/libs/esb', tsConfig: 'libs/esb/tsconfig.lib.json', skipTypeCheck: true, metafile: true, bundle: false, someFutureOption: 1, esbuildOptions: { legalComments: 'none' } },
      { target: { configurations: { production: { minify: true, sourcemap: false, outputHashing: 'all' } }, dependsOn: ['^build', 'codegen'], defaultConfiguration: 'production' } },
    );

    await convert(tree, 'esb');

    const config = await writtenConfig(tree, 'libs/esb');
    expect(config.environments).toEqual({ production: { minify: true, sourcemap: false } });
    expect(config.builderOptions).toEqual({ legalComments: 'none' });
    for (const name of ['metafile', 'bundle', 'someFutureOption', 'configurations.production.outputHashing', 'target dependsOn', 'defaultConfiguration "production"']) {
      expect(output()).toContain(`- ${name}:`);
    }
  });

  it('an outDir inside the package stays; the old outputs there are handed over, so the first build needs no --force', async () => {
    const tree = integrated('x', '@nx/js:tsc', { main: 'libs/x/src/index.ts', outputPath: 'libs/x/dist', tsConfig: 'libs/x/tsconfig.lib.json' }, { packageJson: { name: '@org/x', version: '1.0.0' } });
    tree.write('libs/x/dist/src/index.js', 'old');

    await convert(tree, 'x');

    expect(tree.exists(`libs/x/dist/${OWNERSHIP_MARKER}`)).toBe(true);
    expect((await writtenConfig(tree, 'libs/x')).packageJson).toBeUndefined();
    expect(output()).toContain('Outputs stay in libs/x/dist/');
    expect(output()).toContain('without --force');
  });

  it('a new outDir that holds files of another origin: says the first build needs --force', async () => {
    const tree = integrated('x', '@nx/js:tsc', { main: 'libs/x/src/index.ts', outputPath: 'dist/libs/x', tsConfig: 'libs/x/tsconfig.lib.json' });
    tree.write('libs/x/dist/index.js', 'editor build');

    await convert(tree, 'x');

    expect(tree.exists(`libs/x/dist/${OWNERSHIP_MARKER}`)).toBe(false);
    expect(output()).toContain('nx build x --force');
  });

  it('@nx/rollup: the module format of the tsconfig, and compiler named as not carried', async () => {
    const tree = integrated('roll', '@nx/rollup:rollup', { main: 'libs/roll/src/index.ts', outputPath: 'dist/libs/roll', tsConfig: 'libs/roll/tsconfig.lib.json', project: 'libs/roll/package.json', compiler: 'babel' });

    await convert(tree, 'roll');

    const config = await writtenConfig(tree, 'libs/roll');
    expect(config).toMatchObject({ builder: 'rollup', formats: ['cjs'], packageJson: { generate: true } });
    expect(output()).toContain('- compiler: "babel"');
  });

  it('points a build inferred by @nx/js/typescript at the configuration generator', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('nx.json', JSON.stringify({ plugins: [{ plugin: '@nx/js/typescript', options: { typecheck: { targetName: 'typecheck' }, build: { targetName: 'build', configName: 'tsconfig.lib.json' } } }] }));
    // A project.json entry without an executor only adds to the inferred target.
    addProjectConfiguration(tree, '@org/a', { root: 'packages/a', targets: { build: { dependsOn: ['^build', 'codegen'] } } });
    tree.write('packages/a/tsconfig.json', '{}');
    tree.write('packages/a/tsconfig.lib.json', '{}');

    await expect(convert(tree, '@org/a')).rejects.toThrow(
      /inferred by @nx\/js\/typescript from packages\/a\/tsconfig\.lib\.json .*nothing to convert.*nx g @repo\/build-system:configuration @org\/a/,
    );
    expect(tree.exists('packages/a/build.config.ts')).toBe(false);
  });

  it('a project with no such target at all still says so', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'a', { root: 'packages/a' });
    await expect(convert(tree, 'a')).rejects.toThrow('a has no "build" target');
  });

  it('takes the dependencies generatePackageJson wrote from the project graph: npm imports with the root range, else the locked version', () => {
    const node = (name: string) => ({ name, type: 'lib' as const, data: { root: `libs/${name}` } });
    const graph = {
      nodes: { x: node('x'), y: node('y') },
      externalNodes: {
        'npm:picocolors': { name: 'npm:picocolors' as const, type: 'npm' as const, data: { packageName: 'picocolors', version: '1.1.1' } },
        'npm:zod': { name: 'npm:zod' as const, type: 'npm' as const, data: { packageName: 'zod', version: '4.6.7' } },
      },
      dependencies: {
        x: [
          { source: 'x', target: 'npm:zod', type: 'static' },
          { source: 'x', target: 'npm:picocolors', type: 'static' },
          { source: 'x', target: 'y', type: 'static' },
        ],
      },
    };
    expect(graphDependencies(graph, 'x', { zod: '^4.0.0' })).toEqual({ npm: { picocolors: '1.1.1', zod: '^4.0.0' }, projects: ['y'] });
    expect(graphDependencies(graph, 'missing', {})).toBeUndefined();
  });
});
