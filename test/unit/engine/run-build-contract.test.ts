import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResultSchema } from '../../../src/result/schema';
import { buildPackage, createWorkspace, readBuildLog, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

const DUAL = "{ builder: 'esbuild', formats: ['esm', 'cjs'] }";

describe('runBuild: the package contract', () => {
  it('records every resolved entry point of a package.json that matches the build', async () => {
    const ws = createWorkspace(tempDir, {
      config: DUAL,
      packageJson: { main: './dist/index.cjs', exports: { '.': { import: './dist/index.js', require: './dist/index.cjs' }, './package.json': './package.json' } },
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(buildResultSchema.parse(result).entryPoints).toEqual([
      { field: 'main', path: 'packages/lib/dist/index.cjs', resolvedAs: 'built', format: 'cjs' },
      { field: 'exports["."].import', path: 'packages/lib/dist/index.js', resolvedAs: 'built', format: 'esm' },
      { field: 'exports["."].require', path: 'packages/lib/dist/index.cjs', resolvedAs: 'built', format: 'cjs' },
      { field: 'exports["./package.json"]', path: 'packages/lib/package.json', resolvedAs: 'shipped' },
    ]);
  });

  it('fails before the swap when package.json names a file the build did not write: old outputs stay, the error names field and path', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL });
    expect((await buildPackage(ws)).status).toBe('success');
    const before = fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8');
    writeFiles(ws.pkg, {
      'package.json': JSON.stringify({ name: 'lib', type: 'module', types: './dist/index.d.ts', exports: { '.': './dist/index.js' } }),
      'src/index.ts': 'export const changed = true;\n',
    });
    let printed = '';

    const result = await buildPackage(ws, { onLog: (text) => void (printed += text) });

    expect(result.status).toBe('failure');
    expect(result.entryPoints).toBeUndefined();
    expect(result.errors).toEqual([
      {
        code: 'BS_PACKAGE_CONTRACT',
        phase: 'artifacts',
        file: 'packages/lib/package.json',
        line: 1,
        column: 39,
        message: 'types: ./dist/index.d.ts was not produced by this build; it built no declarations, only dist/index.cjs, dist/index.js.',
        hint: expect.stringContaining('dts: true'),
      },
    ]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toBe(before);
    expect(fs.readdirSync(ws.pkg).filter((n) => n.includes('staging'))).toEqual([]);
    expect(printed.match(/BS_PACKAGE_CONTRACT packages\/lib\/package\.json:1:39: types: \.\/dist\/index\.d\.ts/g)).toHaveLength(1);
    expect(printed).toContain('→ The build wrote no declarations');
  });

  it('reports violations as warnings with packageJson.check "warn", and builds', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'esbuild', packageJson: { check: 'warn' } }",
      packageJson: { exports: { '.': './dist/index.js', './utils': './dist/utils.js' } },
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.warnings).toEqual([
      { code: 'BS_PACKAGE_CONTRACT', file: 'packages/lib/package.json', line: expect.any(Number), column: expect.any(Number), message: expect.stringContaining('exports["./utils"]: ./dist/utils.js was not produced by this build') },
    ]);
    expect(result.entryPoints).toEqual([{ field: 'exports["."]', path: 'packages/lib/dist/index.js', resolvedAs: 'built', format: 'esm' }]);
  });

  it('takes packageJson.check from the environment being built', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'esbuild', environments: { development: { packageJson: { check: 'warn' } } } }",
      packageJson: { main: './dist/missing.js' },
    });

    const development = await buildPackage(ws);
    const production = await buildPackage(ws, { configuration: 'production' });

    expect(development.status).toBe('success');
    expect(development.warnings.map((w) => w.code)).toEqual(['BS_PACKAGE_CONTRACT']);
    expect(production.status).toBe('failure');
    expect(production.errors.map((e) => e.code)).toEqual(['BS_PACKAGE_CONTRACT']);
  });

  it('checks nothing with packageJson.check "off"', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: 'esbuild', packageJson: { check: 'off' } }", packageJson: { main: './dist/missing.js' } });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.warnings).toEqual([]);
    expect(result.entryPoints).toBeUndefined();
  });

  it('rejects an unknown packageJson.check value', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: 'esbuild', packageJson: { check: 'strict' } }" });

    const result = await buildPackage(ws);

    expect(result.errors[0]).toMatchObject({ code: 'BS_CONFIG_INVALID', message: expect.stringContaining('packageJson.check') });
  });
});

describe('runBuild: every error of a failed build is printed once', () => {
  const adapterSource = (diagnostics: string) =>
    `module.exports = { name: 'made-up', isAvailable: async () => ({ ok: true }), build: async (input) => ({ ok: false, diagnostics: ${diagnostics} }) };\n`;

  it('prints an error the adapter made up and did not print, with its location', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: { module: './adapter.cjs' } }",
      files: {
        'adapter.cjs': adapterSource("[{ severity: 'error', message: 'tsc wrote no declaration for entry src/index.ts', file: require('path').join(input.packageRoot, 'src/index.ts'), line: 1, column: 1, builder: 'made-up' }]"),
      },
    });
    let printed = '';

    const result = await buildPackage(ws, { onLog: (text) => void (printed += text) });

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILD_FAILED', message: 'tsc wrote no declaration for entry src/index.ts' })]);
    expect(printed.match(/BS_BUILD_FAILED packages\/lib\/src\/index\.ts:1:1: tsc wrote no declaration for entry src\/index\.ts/g)).toHaveLength(1);
    expect(readBuildLog(ws)).toContain('BS_BUILD_FAILED packages/lib/src/index.ts:1:1: tsc wrote no declaration');
  });

  it('does not print again what the adapter marked as shown', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: { module: './adapter.cjs' } }",
      files: { 'adapter.cjs': adapterSource("(input.log('the tool said: broken\\n', 'stderr'), [{ severity: 'error', message: 'broken', builder: 'made-up', shown: true }])") },
    });
    let printed = '';

    const result = await buildPackage(ws, { onLog: (text) => void (printed += text) });

    expect(result.errors).toHaveLength(1);
    expect(printed.match(/broken/g)).toHaveLength(1);
  });

  it('prints an esbuild error once, as esbuild reported it', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: 'esbuild' }", files: { 'src/index.ts': 'export const a = 1 1;\n' } });
    let printed = '';

    const result = await buildPackage(ws, { onLog: (text) => void (printed += text) });

    expect(result.errors).toHaveLength(1);
    expect(printed.match(/Expected ";" but found "1"/g)).toHaveLength(1);
  });

  it('prints the fallback error of an adapter that failed without a diagnostic', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: { module: './adapter.cjs' } }", files: { 'adapter.cjs': adapterSource('[]') } });
    let printed = '';

    await buildPackage(ws, { onLog: (text) => void (printed += text) });

    expect(printed).toContain('BS_BUILD_FAILED made-up failed without a diagnostic');
  });
});

describe('runBuild: a custom build module that printed its own error', () => {
  it('is not printed twice when the module marks it shown', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'custom', builderOptions: { module: './build.cjs' } }",
      files: { 'build.cjs': "module.exports = async (input) => { input.log('custom says: broken\\n', 'stderr'); return { ok: false, diagnostics: [{ severity: 'error', message: 'custom says: broken', shown: true }] }; };\n" },
    });
    let printed = '';

    const result = await buildPackage(ws, { onLog: (text) => void (printed += text) });

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILD_FAILED', message: 'custom says: broken' })]);
    expect(printed.match(/custom says: broken/g)).toHaveLength(1);
  });
});
