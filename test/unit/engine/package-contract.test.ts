import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackageContract, type ContractReport } from '../../../src/engine/package-contract';
import { entryLeaves } from '../../../src/engine/package-contract/entry-points';
import { useTempDirs, writeFiles } from '../helpers/workspace';
import { presetLibPackageJson } from '../helpers/preset-package';

const tempDir = useTempDirs();

/**
 * A package at <root>/pkg whose build wrote `built` into a staging folder beside dist (dist holds
 * the previous build's files, `old`), and whose other files are `shipped`.
 */
async function check(pkg: Record<string, unknown>, built: Record<string, string>, shipped: Record<string, string> = {}, old: Record<string, string> = {}): Promise<ContractReport> {
  const root = tempDir('bs-contract-');
  const packageRoot = path.join(root, 'pkg');
  writeFiles(packageRoot, { 'package.json': JSON.stringify(pkg, null, 2), ...shipped });
  writeFiles(path.join(packageRoot, 'dist'), old);
  const stagingDir = path.join(packageRoot, '.dist.staging-1-abcd');
  writeFiles(stagingDir, built);
  return checkPackageContract({ workspaceRoot: root, packageRoot, outDir: path.join(packageRoot, 'dist'), stagingDir });
}

const ESM = 'export const a = 1;\n';
const CJS = 'module.exports = { a: 1 };\n';
const DTS = 'export declare const a: number;\n';

describe('package contract: entry points resolve', () => {
  it('passes every field that names a built or shipped file, and records each one', async () => {
    const report = await check(
      {
        name: 'p',
        type: 'module',
        main: './dist/index.cjs',
        module: './dist/index.js',
        types: './dist/index.d.ts',
        exports: {
          '.': {
            development: './src/index.ts',
            import: { types: './dist/index.d.ts', default: './dist/index.js' },
            require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
          },
          './package.json': './package.json',
        },
      },
      { 'index.js': ESM, 'index.cjs': CJS, 'index.d.ts': DTS, 'index.d.cts': DTS },
      { 'src/index.ts': 'export const a = 1;\n' },
    );

    expect(report.violations).toEqual([]);
    expect(report.entryPoints).toEqual(
      expect.arrayContaining([
        { field: 'main', path: 'pkg/dist/index.cjs', resolvedAs: 'built', format: 'cjs' },
        { field: 'exports["."].development', path: 'pkg/src/index.ts', resolvedAs: 'shipped' },
        { field: 'exports["."].import.types', path: 'pkg/dist/index.d.ts', resolvedAs: 'built', format: 'esm' },
        { field: 'exports["."].require.types', path: 'pkg/dist/index.d.cts', resolvedAs: 'built', format: 'cjs' },
        { field: 'exports["./package.json"]', path: 'pkg/package.json', resolvedAs: 'shipped' },
      ]),
    );
    expect(report.entryPoints).toHaveLength(9);
  });

  it('fails a path under outDir that this build did not write, even when the old outputs have it, and says what was built', async () => {
    const report = await check(
      { name: 'p', type: 'module', types: './dist/index.d.ts', exports: { '.': './dist/index.js', './utils': { import: './dist/utils.js' } } },
      { 'index.js': ESM, 'index.cjs': CJS, 'index.d.ts': DTS },
      {},
      { 'utils.js': ESM },
    );

    expect(report.violations).toMatchObject([
      {
        field: 'exports["./utils"].import',
        message: 'exports["./utils"].import: ./dist/utils.js was not produced by this build; it built dist/index.cjs, dist/index.js.',
        hint: expect.stringContaining('so that it writes dist/utils.js'),
      },
    ]);
  });

  it('points at the line and column of the field in package.json', async () => {
    const report = await check({ name: 'p', type: 'module', exports: { '.': { import: './dist/index.js', require: './dist/missing.cjs' } } }, { 'index.js': ESM });
    // {\n  "name": "p",\n  "type": "module",\n  "exports": {\n    ".": {\n      "import": …,\n      "require": "./dist/missing.cjs"
    expect(report.violations).toMatchObject([{ field: 'exports["."].require', line: 7, column: 18 }]);
  });

  it('names the declarations that were built for a types field, and suggests dts when there are none', async () => {
    const some = await check({ name: 'p', types: './dist/main.d.ts' }, { 'index.js': CJS, 'index.d.ts': DTS });
    expect(some.violations[0].message).toBe('types: ./dist/main.d.ts was not produced by this build; it built dist/index.d.ts.');

    const none = await check({ name: 'p', types: './dist/index.d.ts' }, { 'index.js': CJS });
    expect(none.violations[0].message).toBe('types: ./dist/index.d.ts was not produced by this build; it built no declarations, only dist/index.js.');
    expect(none.violations[0].hint).toContain('set `dts: true`');
  });

  it('fails a shipped path that does not exist, and one outside the package', async () => {
    const report = await check({ name: 'p', main: './lib/index.js', exports: { '.': { types: '../other/index.d.ts', default: './dist/index.js' } } }, { 'index.js': CJS });

    expect(report.violations.map((v) => [v.field, v.message])).toEqual([
      ['main', expect.stringContaining('main: ./lib/index.js does not exist')],
      ['exports["."].types', expect.stringContaining('does not start with "./"')],
    ]);
    const outside = await check({ name: 'p', types: '../other/index.d.ts' }, { 'index.js': CJS });
    expect(outside.violations[0].message).toBe('types: ../other/index.d.ts points outside the package.');
  });

  it('resolves main the way Node does (extension and index probing)', async () => {
    const report = await check({ name: 'p', main: 'dist' }, { 'index.js': CJS });
    expect(report.violations).toEqual([]);
    expect(report.entryPoints).toEqual([{ field: 'main', path: 'pkg/dist/index.js', resolvedAs: 'built', format: 'cjs' }]);
  });

  it('checks every leaf of nested conditions and fallback arrays', async () => {
    const report = await check(
      { name: 'p', type: 'module', exports: { '.': { node: { import: ['./dist/node.js', './dist/fallback.js'] }, default: './dist/index.js' } } },
      { 'index.js': ESM, 'node.js': ESM },
    );
    expect(report.violations.map((v) => v.field)).toEqual(['exports["."].node.import[1]']);
  });

  it('requires a subpath pattern to match at least one file', async () => {
    const ok = await check({ name: 'p', type: 'module', exports: { './features/*': './dist/features/*.js' } }, { 'features/a.js': ESM, 'features/b.js': ESM });
    expect(ok.violations).toEqual([]);
    expect(ok.entryPoints).toEqual([{ field: 'exports["./features/*"]', path: 'pkg/dist/features/*.js', resolvedAs: 'built', format: 'esm' }]);

    const none = await check({ name: 'p', type: 'module', exports: { './features/*': './dist/features/*.js' } }, { 'index.js': ESM });
    expect(none.violations[0].message).toContain('the pattern ./dist/features/*.js matches no file this build produced');
  });

  it('matches a pattern over the whole package against what this build wrote, never against the old outputs', async () => {
    const pkg = { name: 'p', type: 'module', exports: { './*.js': './*.js' } };
    const stale = await check(pkg, { 'index.d.ts': DTS }, {}, { 'old.js': ESM });
    expect(stale.violations.map((v) => v.message)).toEqual([expect.stringContaining('the pattern ./*.js matches no file in the package')]);

    const fresh = await check(pkg, { 'index.js': ESM }, {}, { 'old.js': ESM });
    expect(fresh.violations).toEqual([]);
    expect(fresh.entryPoints).toEqual([{ field: 'exports["./*.js"]', path: 'pkg/*.js', resolvedAs: 'built', format: 'esm' }]);
  });

  it('reports an exports object that mixes subpaths and conditions', async () => {
    const report = await check({ name: 'p', exports: { '.': './dist/index.js', import: './dist/index.mjs' } }, { 'index.js': CJS });
    expect(report.violations[0]).toMatchObject({ field: 'exports', message: expect.stringContaining('mixes subpaths') });
  });
});

describe('package contract: the package.json create-nx-workspace --preset=ts writes', () => {
  const preset = presetLibPackageJson();

  it('passes when the build writes the bundle and its declaration', async () => {
    const report = await check(preset, { 'index.js': ESM, 'index.d.ts': DTS }, { 'src/index.ts': 'export const a = 1;\n' });
    expect(report.violations).toEqual([]);
  });

  it('fails both types fields when the build writes no declaration (the TS7016 a consumer would get)', async () => {
    const report = await check(preset, { 'index.js': ESM }, { 'src/index.ts': 'export const a = 1;\n' });
    expect(report.violations.map((v) => v.field)).toEqual(['types', 'exports["."].types']);
    expect(report.violations[0].hint).toContain('set `dts: true`');
  });
});

describe('package contract: module formats', () => {
  it('fails an import condition that loads CommonJS and a require condition that loads ESM', async () => {
    const report = await check(
      { name: 'p', type: 'module', exports: { '.': { import: './dist/index.cjs', require: './dist/index.js' } } },
      { 'index.js': ESM, 'index.cjs': CJS },
    );
    expect(report.violations.map((v) => v.message)).toEqual([
      'exports["."].import: "import" expects ESM, but dist/index.cjs is CommonJS (the .cjs extension).',
      'exports["."].require: "require" expects CommonJS, but dist/index.js is ESM (a .js file under package.json with "type": "module").',
    ]);
  });

  it('reads a .js file by the type-marker package.json the build wrote in a sub-folder', async () => {
    const report = await check(
      { name: 'p', type: 'module', exports: { '.': { import: './dist/index.js', require: './dist/cjs/index.js' } } },
      { 'index.js': ESM, 'cjs/index.js': CJS, 'cjs/package.json': '{ "type": "commonjs" }' },
    );
    expect(report.violations).toEqual([]);
    expect(report.entryPoints.find((e) => e.field.endsWith('require'))).toMatchObject({ format: 'cjs' });
  });

  it('fails a .js whose code is the other format than Node will read it as', async () => {
    const report = await check({ name: 'p', main: './dist/index.js' }, { 'index.js': ESM });
    expect(report.violations).toMatchObject([
      {
        field: 'main',
        message: 'main: Node reads dist/index.js as CommonJS (a .js file under package.json without "type": "module"), but its code is ESM (import/export).',
        hint: expect.stringContaining('.mjs'),
      },
    ]);
  });

  it('fails a module field that points at CommonJS', async () => {
    const report = await check({ name: 'p', module: './dist/index.js' }, { 'index.js': CJS });
    expect(report.violations[0].message).toContain('"module" expects ESM');
  });

  it('fails a types condition that describes the other format than the JS it sits beside (masquerading)', async () => {
    const report = await check(
      { name: 'p', type: 'module', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js', require: './dist/index.cjs' } } },
      { 'index.js': ESM, 'index.cjs': CJS, 'index.d.ts': DTS },
    );
    expect(report.violations).toMatchObject([
      {
        field: 'exports["."].types',
        message: expect.stringMatching(/^exports\["\."\]\.types: dist\/index\.d\.ts describes ESM .* under "require" the same conditions load dist\/index\.cjs, which is CommonJS/),
        hint: expect.stringContaining('dist/index.d.cts beside dist/index.cjs'),
      },
    ]);
  });

  it('fails a types condition that TypeScript never reads because it comes after import, unless a declaration sits beside that JS', async () => {
    const pkg = { name: 'p', type: 'module', exports: { '.': { import: './dist/index.js', types: './dist/types/index.d.ts' } } };
    const beside = await check(pkg, { 'index.js': ESM, 'index.d.ts': DTS, 'types/index.d.ts': DTS });
    expect(beside.violations).toEqual([]);

    const report = await check(pkg, { 'index.js': ESM, 'types/index.d.ts': DTS });
    expect(report.violations).toMatchObject([
      { field: 'exports["."].types', message: 'exports["."].types comes after "import": TypeScript takes the first condition that matches, so under "import" it never reads this declaration.' },
    ]);
  });

  it('pairs top-level types with main when there is no exports', async () => {
    const report = await check({ name: 'p', type: 'module', main: './dist/index.cjs', types: './dist/index.d.ts' }, { 'index.cjs': CJS, 'index.d.ts': DTS });
    expect(report.violations.map((v) => v.field)).toEqual(['types']);
  });

  it('accepts a .d.ts that follows a CommonJS package type beside .js', async () => {
    const report = await check({ name: 'p', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }, { 'index.js': CJS, 'index.d.ts': DTS });
    expect(report.violations).toEqual([]);
  });
});

describe('package contract: bin', () => {
  it('fails a bin file without a shebang, by command name', async () => {
    const report = await check({ name: 'p', bin: { mycli: './dist/cli.js', other: './dist/other.js' } }, { 'cli.js': 'console.log(1);\n', 'other.js': '#!/usr/bin/env node\nconsole.log(1);\n' });
    expect(report.violations).toMatchObject([{ field: 'bin.mycli', message: 'bin.mycli: ./dist/cli.js has no "#!" line, so the command npm links for it cannot be run.', hint: expect.stringContaining('#!/usr/bin/env node') }]);
  });

  it('checks a bin file without an extension too', async () => {
    const report = await check({ name: 'p', bin: { tool: './bin/tool' } }, {}, { 'bin/tool': 'require("../dist/index.js");\n' });
    expect(report.violations.map((v) => v.field)).toEqual(['bin.tool']);
  });

  it('accepts a string bin with a shebang', async () => {
    const report = await check({ name: 'p', bin: './dist/cli.js' }, { 'cli.js': '#!/usr/bin/env node\nconsole.log(1);\n' });
    expect(report.violations).toEqual([]);
    expect(report.entryPoints).toEqual([{ field: 'bin', path: 'pkg/dist/cli.js', resolvedAs: 'built', format: 'cjs' }]);
  });
});

describe('package contract: a package.json the build writes into outDir', () => {
  it('is read from staging and checked as the package outDir becomes', async () => {
    const root = tempDir('bs-contract-');
    const packageRoot = path.join(root, 'pkg');
    const outDir = path.join(packageRoot, 'dist');
    const stagingDir = path.join(packageRoot, '.dist.staging-1-abcd');
    writeFiles(packageRoot, { 'package.json': JSON.stringify({ name: 'p' }) });
    writeFiles(outDir, { 'package.json': JSON.stringify({ name: 'p', main: './old.js' }), 'old.js': CJS });
    writeFiles(stagingDir, {
      'package.json': JSON.stringify({ name: 'p', type: 'module', main: './index.cjs', types: './index.d.ts', exports: { '.': { import: './index.js', require: './index.cjs' } } }),
      'index.js': ESM,
      'index.cjs': CJS,
    });

    const report = await checkPackageContract({ workspaceRoot: root, packageRoot: outDir, outDir, stagingDir });

    expect(report.entryPoints.map((e) => [e.field, e.path, e.resolvedAs])).toEqual([
      ['main', 'pkg/dist/index.cjs', 'built'],
      ['exports["."].import', 'pkg/dist/index.js', 'built'],
      ['exports["."].require', 'pkg/dist/index.cjs', 'built'],
    ]);
    expect(report.violations.map((v) => v.message)).toEqual(['types: ./index.d.ts was not produced by this build; it built no declarations, only index.cjs, index.js.']);
  });
});

describe('package contract: no package.json', () => {
  it('checks nothing', async () => {
    const root = tempDir('bs-contract-');
    const report = await checkPackageContract({ workspaceRoot: root, packageRoot: root, outDir: path.join(root, 'dist'), stagingDir: path.join(root, '.dist.staging') });
    expect(report).toEqual({ checked: false, violations: [], entryPoints: [] });
  });
});

describe('entryLeaves', () => {
  it('names fields the way users read them', () => {
    const { leaves } = entryLeaves({ exports: { '.': { 'react-native': './a.js', import: './b.js' } }, bin: { '@scope/cli': './c.js' } });
    expect(leaves.map((l) => l.field)).toEqual(['exports["."]["react-native"]', 'exports["."].import', 'bin["@scope/cli"]']);
  });

  it('treats a string exports and a conditions object as the "." subpath', () => {
    expect(entryLeaves({ exports: './a.js' }).leaves.map((l) => l.field)).toEqual(['exports']);
    expect(entryLeaves({ exports: { import: './a.js', default: null } }).leaves.map((l) => [l.field, l.conditions])).toEqual([['exports.import', ['import']]]);
  });
});
