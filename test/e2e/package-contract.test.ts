import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

const PKG = 'packages/ui/package.json';
const RESULT = 'packages/ui/.build-system/result.json';

const goodPackageJson = {
  name: '@demo/ui',
  version: '1.0.0',
  type: 'module',
  main: './dist/index.cjs',
  exports: { '.': { development: './src/index.ts', import: './dist/index.js', require: './dist/index.cjs' }, './package.json': './package.json' },
};

function count(text: string, needle: string | RegExp): number {
  return typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(new RegExp(needle.source, 'g')) ?? []).length;
}

describe('the package contract through nx', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui'),
      [PKG]: JSON.stringify(goodPackageJson, null, 2),
    });
  });
  afterAll(() => ws?.dispose());

  it('records the resolved entry points in result.json, valid against the shipped schema', async () => {
    const run = await ws.nx(['run', '@demo/ui:build']);
    expect(run.code, run.output).toBe(0);

    const result = ws.json(RESULT);
    const schema = ws.json('node_modules/@repo/build-system/schemas/build-result.schema.json');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const validate = ajv.compile(schema);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result.entryPoints).toEqual([
      { field: 'main', path: 'packages/ui/dist/index.cjs', resolvedAs: 'built', format: 'cjs' },
      { field: 'exports["."].development', path: 'packages/ui/src/index.ts', resolvedAs: 'shipped' },
      { field: 'exports["."].import', path: 'packages/ui/dist/index.js', resolvedAs: 'built', format: 'esm' },
      { field: 'exports["."].require', path: 'packages/ui/dist/index.cjs', resolvedAs: 'built', format: 'cjs' },
      { field: 'exports["./package.json"]', path: 'packages/ui/package.json', resolvedAs: 'shipped' },
    ]);
  });

  it('fails the build when package.json names files the build does not produce, printing each violation once and keeping the old outputs', async () => {
    const before = ws.read('packages/ui/dist/index.js');
    ws.write(PKG, JSON.stringify({ ...goodPackageJson, types: './dist/index.d.ts', exports: { ...goodPackageJson.exports, './utils': './dist/utils.js' } }, null, 2));
    ws.write('packages/ui/src/index.ts', 'export const changed = true;\n');

    const run = await ws.nx(['run', '@demo/ui:build']);

    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('✖ @demo/ui failed (BS_PACKAGE_CONTRACT)');
    // Located at the value in package.json (file:line:col), as editors link it.
    expect(count(run.output, /BS_PACKAGE_CONTRACT packages\/ui\/package\.json:\d+:\d+: types: \.\/dist\/index\.d\.ts was not produced by this build/)).toBe(1);
    expect(count(run.output, /BS_PACKAGE_CONTRACT packages\/ui\/package\.json:\d+:\d+: exports\["\.\/utils"\]: \.\/dist\/utils\.js was not produced by this build; it built dist\/index\.cjs, dist\/index\.js\./)).toBe(1);
    expect(run.output).toContain('→ The build wrote no declarations: set `dts: true`');
    expect(ws.read('packages/ui/dist/index.js')).toBe(before);
    const result = ws.json(RESULT);
    expect(result.status).toBe('failure');
    expect(result.errors.map((e: { code: string }) => e.code)).toEqual(['BS_PACKAGE_CONTRACT', 'BS_PACKAGE_CONTRACT']);
  });

  it('builds with a warning when packageJson.check is "warn"', async () => {
    ws.write(
      'packages/ui/build.config.ts',
      "import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({ entry: 'src/index.ts', formats: ['esm', 'cjs'], packageJson: { check: 'warn' } });\n",
    );

    const run = await ws.nx(['run', '@demo/ui:build']);

    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/warning BS_PACKAGE_CONTRACT: packages\/ui\/package\.json:\d+:\d+: types: \.\/dist\/index\.d\.ts was not produced by this build/);
    expect(ws.read('packages/ui/dist/index.js')).toContain('changed');
    const result = ws.json(RESULT);
    expect(result.status).toBe('success');
    expect(result.warnings.map((w: { code?: string }) => w.code)).toEqual(['BS_PACKAGE_CONTRACT', 'BS_PACKAGE_CONTRACT']);
  });
});

describe('failure summaries through nx', () => {
  let ws: Workspace;

  beforeAll(() => {
    // An adapter that fails with an error of its own that it never prints, as the dts step's
    // "tsc wrote no declaration" did: only the engine can make it reach the terminal.
    const adapter = `module.exports = {
  name: 'made-up',
  isAvailable: async () => ({ ok: true }),
  build: async (input) => ({ ok: false, diagnostics: [{ severity: 'error', message: 'wrote no declaration for entry src/index.ts', file: require('path').join(input.packageRoot, 'src/index.ts'), line: 1, column: 1, builder: 'made-up' }] }),
};
`;
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/a', '@demo/a', { config: "import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({ builder: { module: './adapter.cjs' } });\n" }),
      'packages/a/adapter.cjs': adapter,
      ...libraryFiles('packages/b', '@demo/b'),
    });
  });
  afterAll(() => ws?.dispose());

  it('print every error of a failed package in a batch, once, with code, location and message', async () => {
    const run = await ws.nx(['run-many', '-t', 'build']);

    expect(run.code, run.output).not.toBe(0);
    expect(count(run.output, 'BS_BUILD_FAILED packages/a/src/index.ts:1:1: wrote no declaration for entry src/index.ts')).toBe(1);
    expect(run.output).toContain('✖ @demo/a failed (BS_BUILD_FAILED) with made-up (development): 1 error');
    // The other package of the batch still builds (Nx shows only the failed task's output).
    expect(run.output).toContain('✔  nx run @demo/b:build');
  });
});
