import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

/** Typical targets of Nx's own build executors, as their generators write them. */
const TARGETS: Record<string, { executor: string; options: Record<string, unknown>; expected: string[] }> = {
  esb: {
    executor: '@nx/esbuild:esbuild',
    options: {
      main: 'packages/esb/src/index.ts',
      outputPath: 'dist/packages/esb',
      tsConfig: 'packages/esb/tsconfig.lib.json',
      format: ['esm', 'cjs'],
      platform: 'node',
      bundle: true,
      thirdParty: false,
      assets: ['packages/esb/README.md'],
    },
    expected: ['packages/esb/dist/index.cjs', 'packages/esb/dist/index.js'],
  },
  tscp: {
    executor: '@nx/js:tsc',
    options: { main: 'packages/tscp/src/index.ts', outputPath: 'dist/packages/tscp', tsConfig: 'packages/tscp/tsconfig.lib.json', assets: [] },
    // @nx/js:tsc compiled with rootDir = the project root, whatever tsconfig.lib.json said: src/ stays.
    expected: ['packages/tscp/dist/src/index.js'],
  },
  roll: {
    executor: '@nx/rollup:rollup',
    options: {
      main: 'packages/roll/src/index.ts',
      outputPath: 'dist/packages/roll',
      tsConfig: 'packages/roll/tsconfig.lib.json',
      format: ['esm', 'cjs'],
      compiler: 'tsc',
    },
    expected: ['packages/roll/dist/index.cjs', 'packages/roll/dist/index.js'],
  },
};

describe('nx g @repo/build-system:convert', () => {
  let ws: Workspace;

  beforeAll(() => {
    const files: Record<string, string> = {};
    for (const [name, target] of Object.entries(TARGETS)) {
      files[`packages/${name}/package.json`] = JSON.stringify({ name: `@demo/${name}`, version: '1.0.0', type: 'module' });
      files[`packages/${name}/project.json`] = JSON.stringify({ name: `@demo/${name}`, targets: { build: { executor: target.executor, outputs: ['{options.outputPath}'], options: target.options } } }, null, 2);
      files[`packages/${name}/src/index.ts`] = `export { twice } from './twice.js';\nexport const name = '${name}';\n`;
      files[`packages/${name}/src/twice.ts`] = 'export const twice = (n: number): number => n * 2;\n';
      files[`packages/${name}/tsconfig.json`] = JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, declaration: true, skipLibCheck: true } });
      files[`packages/${name}/tsconfig.lib.json`] = JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src/**/*.ts'] });
    }
    ws = Workspace.create(inject('installDir'), files, { plugins: [] });
  });
  afterAll(() => ws?.dispose());

  it('--dry-run shows the change and writes nothing', async () => {
    const before = ws.read('packages/esb/project.json');
    const run = await ws.nx(['g', '@repo/build-system:convert', '@demo/esb', '--dry-run', '--skipPackageJson']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('CREATE packages/esb/build.config.ts');
    expect(run.output).toContain('UPDATE packages/esb/project.json');
    expect(run.output).toMatch(/dry.?run/i);
    expect(ws.exists('packages/esb/build.config.ts')).toBe(false);
    expect(ws.read('packages/esb/project.json')).toBe(before);
  });

  for (const [name, target] of Object.entries(TARGETS)) {
    it(`turns a typical ${target.executor} target into a config that builds the same entry`, async () => {
      const run = await ws.nx(['g', '@repo/build-system:convert', `@demo/${name}`, '--skipPackageJson']);
      expect(run.code, run.output).toBe(0);
      expect(ws.json(`packages/${name}/project.json`).targets?.build).toBeUndefined();
      const config = ws.read(`packages/${name}/build.config.ts`);
      expect(config).toContain("entry: 'src/index.ts'");
      expect(config).toContain("tsconfig: 'tsconfig.lib.json'");
      const assets = target.options.assets as string[] | undefined;
      if (assets?.length) expect(run.output).toMatch(/- assets: build.config.ts copies no assets; add a post hook/);
      else expect(run.output).not.toContain('- assets:');

      const build = await ws.nx(['run', `@demo/${name}:build`]);
      expect(build.code, build.output).toBe(0);
      const result = ws.json(`packages/${name}/.build-system/result.json`);
      const entries = result.artifacts.filter((a: { kind: string }) => a.kind === 'entry').map((a: { path: string }) => a.path).sort();
      expect(entries).toEqual(target.expected);
    });
  }
});

/**
 * The integrated layout (`create-nx-workspace --preset=ts` before TS solutions, and most older
 * monorepos): tsconfig.base.json at the root with `rootDir: "."`, libs under libs/ with a
 * project.json, outputs under dist/libs/<name>, the output folder being the published package.
 */
describe('nx g @repo/build-system:convert in an integrated workspace, then an outside consumer', () => {
  let ws: Workspace;
  // The declarations of a "type": "module" package are ESM: a nodenext consumer needs the extension
  // in their relative imports (TS2834), so that lib's sources write it; the CommonJS lib's do not.
  const source = (extension: string) => `export { twice } from './twice${extension}';\nexport const greet = (who: string): string => \`hello \${who}\`;\n`;
  const lib = (root: string, target: Record<string, unknown>, packageJson?: Record<string, unknown>): Record<string, string> => ({
    [`${root}/project.json`]: JSON.stringify({ name: root.split('/')[1], sourceRoot: `${root}/src`, projectType: 'library', targets: { build: target } }, null, 2),
    [`${root}/tsconfig.json`]: JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { module: 'commonjs' }, files: [], include: [], references: [{ path: './tsconfig.lib.json' }] }),
    [`${root}/tsconfig.lib.json`]: JSON.stringify({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', declaration: true, types: [] }, include: ['src/**/*.ts'] }),
    [`${root}/src/index.ts`]: source(packageJson?.type === 'module' ? '.js' : ''),
    [`${root}/src/twice.ts`]: 'export const twice = (n: number): number => n * 2;\n',
    ...(packageJson ? { [`${root}/package.json`]: JSON.stringify(packageJson, null, 2) } : {}),
  });

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      {
        'tsconfig.base.json': JSON.stringify({
          compileOnSave: false,
          compilerOptions: { rootDir: '.', sourceMap: true, declaration: false, moduleResolution: 'node', target: 'es2015', module: 'esnext', lib: ['es2020'], skipLibCheck: true, strict: true, baseUrl: '.', paths: { '@org/esb': ['libs/esb/src/index.ts'], '@org/tsc-lib': ['libs/tsc-lib/src/index.ts'] } },
        }),
        // @nx/js:tsc as @nx/js:library writes it; no package.json in the lib (Nx generated one from the project).
        ...lib('libs/tsc-lib', { executor: '@nx/js:tsc', outputs: ['{options.outputPath}'], options: { main: 'libs/tsc-lib/src/index.ts', outputPath: 'dist/libs/tsc-lib', tsConfig: 'libs/tsc-lib/tsconfig.lib.json', assets: ['libs/tsc-lib/*.md'] } }),
        // Imports an npm package the workspace has installed: generatePackageJson listed it from the project graph.
        ...lib('libs/colors', { executor: '@nx/js:tsc', outputs: ['{options.outputPath}'], options: { main: 'libs/colors/src/index.ts', outputPath: 'dist/libs/colors', tsConfig: 'libs/colors/tsconfig.lib.json' } }),
        'libs/colors/src/index.ts': "import * as pc from 'picocolors';\nexport const shout = (text: string): string => pc.bold(text);\n",
        // @nx/esbuild with declarations, ESM + CommonJS, and the minimal package.json it copied into its output.
        ...lib(
          'libs/esb',
          { executor: '@nx/esbuild:esbuild', outputs: ['{options.outputPath}'], options: { main: 'libs/esb/src/index.ts', outputPath: 'dist/libs/esb', tsConfig: 'libs/esb/tsconfig.lib.json', format: ['esm', 'cjs'], declaration: true, platform: 'node', bundle: true } },
          { name: '@org/esb', version: '1.2.3', type: 'module' },
        ),
      },
      // What a workspace that has @nx/js installed gets by default: imports of npm packages in the project graph.
      { plugins: [], pluginsConfig: { '@nx/js': { analyzeSourceFiles: true } } },
    );
  });
  afterAll(() => ws?.dispose());

  it('@nx/js:tsc: keeps rootDir, declarations and the generated package.json, and says where each output moves', async () => {
    const run = await ws.nx(['g', '@repo/build-system:convert', 'tsc-lib', '--skipPackageJson']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Outputs move from dist/libs/tsc-lib/ to libs/tsc-lib/dist/');
    expect(run.output).toContain('libs/tsc-lib/dist/src/index.js (was dist/libs/tsc-lib/src/index.js)');
    expect(run.output).toContain('libs/tsc-lib/dist/package.json');
    expect(run.output).toMatch(/- assets: .*post hook/);
    expect(ws.json('libs/tsc-lib/tsconfig.lib.json').compilerOptions.rootDir).toBe('.');
    const config = ws.read('libs/tsc-lib/build.config.ts');
    expect(config).toContain('dts: true');
    expect(config).toContain('packageJson: { generate: true }');

    const build = await ws.nx(['build', 'tsc-lib']);
    expect(build.code, build.output).toBe(0);
    expect(ws.exists('libs/tsc-lib/dist/libs')).toBe(false);
    expect(ws.json('libs/tsc-lib/dist/package.json')).toMatchObject({
      name: 'tsc-lib',
      type: 'commonjs',
      main: './src/index.js',
      types: './src/index.d.ts',
      exports: { '.': { types: './src/index.d.ts', default: './src/index.js' } },
    });
  });

  it('@nx/esbuild: keeps declarations (dts) beside the bundles and writes the package.json it used to copy', async () => {
    const run = await ws.nx(['g', '@repo/build-system:convert', 'esb', '--skipPackageJson']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Outputs move from dist/libs/esb/ to libs/esb/dist/');
    expect(run.output).toContain('libs/esb/dist/index.d.ts');
    expect(ws.read('libs/esb/build.config.ts')).toContain('dts: true');

    const build = await ws.nx(['build', 'esb']);
    expect(build.code, build.output).toBe(0);
    expect(ws.json('libs/esb/dist/package.json')).toMatchObject({
      name: '@org/esb',
      version: '1.2.3',
      type: 'module',
      main: './index.cjs',
      module: './index.js',
      exports: { '.': { import: { types: './index.d.ts', default: './index.js' }, require: { types: './index.d.cts', default: './index.cjs' } } },
    });
  });

  it('@nx/js:tsc of a lib without package.json that imports an npm package: the dependency goes into a package.json, and from there into outDir', async () => {
    const run = await ws.nx(['g', '@repo/build-system:convert', 'colors', '--skipPackageJson']);
    expect(run.code, run.output).toBe(0);
    const locked = ws.json('package-lock.json').packages['node_modules/picocolors'].version;
    expect(ws.exists('libs/colors/package.json'), run.output).toBe(true);
    expect(ws.json('libs/colors/package.json')).toEqual({ name: 'colors', version: '0.0.1', dependencies: { picocolors: locked } });
    expect(run.output).toContain('libs/colors/package.json: dependencies picocolors');

    const build = await ws.nx(['build', 'colors']);
    expect(build.code, build.output).toBe(0);
    expect(ws.json('libs/colors/dist/package.json')).toMatchObject({ name: 'colors', main: './src/index.js', dependencies: { picocolors: locked } });
  });

  it('a second build replaces its own outDir, generated package.json included, without --force', async () => {
    const build = await ws.nx(['run-many', '-t', 'build', '--skip-nx-cache']);
    expect(build.code, build.output).toBe(0);
  });

  it('an outside consumer installs both packed output folders; Node imports and requires them and tsc (nodenext and bundler) type-checks them', async () => {
    const consumer = mkdtempSync(join(tmpdir(), 'bs-e2e-convert-consumer-'));
    try {
      const dependencies: Record<string, string> = {};
      for (const [name, dir] of [['tsc-lib', 'libs/tsc-lib/dist'], ['@org/esb', 'libs/esb/dist']]) {
        const pack = await ws.run('npm', ['pack', `./${dir}`, '--pack-destination', consumer, '--loglevel=error']);
        expect(pack.code, pack.output).toBe(0);
        dependencies[name] = `file:./${pack.stdout.trim().split('\n').at(-1)}`;
      }
      writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }));
      const inConsumer = (command: string, args: string[]) => execFileSync(command, args, { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      inConsumer('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error']);
      for (const name of ['tsc-lib', '@org/esb']) {
        expect(inConsumer(process.execPath, ['--input-type=module', '-e', `import { greet, twice } from '${name}'; console.log(greet('esm'), twice(2))`])).toBe('hello esm 4\n');
        expect(inConsumer(process.execPath, ['-e', `const { greet, twice } = require('${name}'); console.log(greet('cjs'), twice(3))`])).toBe('hello cjs 6\n');
      }
      writeFileSync(
        join(consumer, 'esm.mts'),
        "import { greet as a, twice } from 'tsc-lib';\nimport { greet as b } from '@org/esb';\nconst s: string = a('x') + b('y');\nconst n: number = twice(2);\nexport { s, n };\n",
      );
      // The CommonJS side of @org/esb reads index.d.cts (declarations per format); tsc-lib is CommonJS itself.
      writeFileSync(join(consumer, 'cjs.cts'), "import lib = require('tsc-lib');\nimport esb = require('@org/esb');\nconst s: string = lib.greet('x') + esb.greet('y');\nconst n: number = esb.twice(2);\nexport = [s, n];\n");
      for (const [module, moduleResolution] of [
        ['nodenext', 'nodenext'],
        // preserve: what bundler resolution pairs with, and it keeps `import x = require()` of the .cts file.
        ['preserve', 'bundler'],
      ]) {
        writeFileSync(
          join(consumer, 'tsconfig.json'),
          JSON.stringify({ compilerOptions: { module, moduleResolution, strict: true, noEmit: true, types: [] }, files: ['esm.mts', 'cjs.cts'] }),
        );
        let typeCheck = '';
        try {
          typeCheck = inConsumer(process.execPath, [ws.path('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false']);
        } catch (e) {
          typeCheck = String((e as { stdout?: string }).stdout ?? e);
        }
        expect(typeCheck, `moduleResolution ${moduleResolution}`).toBe('');
      }
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });
});
