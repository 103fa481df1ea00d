import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBun } from '../../../src/adapters/bun/find-bun';
import { sha256Of } from '../../../src/engine/artifacts';
import { buildResultSchema } from '../../../src/result/schema';
import { createLibraryWorkspace, filesUnder, importGreet, REPO, requireGreet, typeCheckConsumer, typeCheckDualConsumer } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';
import type { BuildResult } from '../../../src/result/schema';

/**
 * Every built-in builder on the same library (test/fixtures/greet-lib): a TypeScript package of two
 * modules, built to ESM and CommonJS with declarations, through runBuild like a real build.
 */
const tempDir = useTempDirs();

/** Temp folders made in beforeAll outlive each test; removed after the file. */
const longLived: string[] = [];
afterAll(() => {
  for (const dir of longLived.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDirOutsideTests(prefix = 'bs-unit-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  longLived.push(dir);
  return dir;
}

function sharedBuild(
  create: () => TestWorkspace,
  build: (ws: TestWorkspace) => Promise<BuildResult>,
  skip?: boolean,
): () => { ws: TestWorkspace; result: BuildResult } {
  let value: { ws: TestWorkspace; result: BuildResult } | undefined;
  beforeAll(async () => {
    if (skip) return;
    const ws = create();
    value = { ws, result: await build(ws) };
  }, 120_000);
  return () => {
    if (!value) throw new Error('the shared build did not run');
    return value;
  };
}

const bunSearch = await findBun({ workspaceRoot: REPO, packageRoot: REPO });
if (!bunSearch.bun) {
  console.warn(`bun tests skipped: no bun binary (${bunSearch.rejected.join('; ') || 'nothing found in node_modules or on PATH'})`);
}

interface BuilderCase {
  name: string;
  config: string;
  /** Package-relative outputs. */
  esm: string;
  cjs: string;
  types: string;
  /** The declaration beside the CommonJS entry, when the builder writes declarations itself. */
  cjsTypes?: string;
  skip?: boolean;
}

const DUAL = "formats: ['esm', 'cjs'], dts: true";
const CASES: BuilderCase[] = [
  { name: 'esbuild', config: `{ builder: 'esbuild', ${DUAL} }`, esm: 'dist/index.js', cjs: 'dist/index.cjs', types: 'dist/index.d.ts', cjsTypes: 'dist/index.d.cts' },
  { name: 'bun', config: `{ builder: 'bun', ${DUAL} }`, esm: 'dist/index.js', cjs: 'dist/index.cjs', types: 'dist/index.d.ts', cjsTypes: 'dist/index.d.cts', skip: !bunSearch.bun },
  { name: 'rollup', config: `{ builder: 'rollup', ${DUAL} }`, esm: 'dist/index.js', cjs: 'dist/index.cjs', types: 'dist/index.d.ts', cjsTypes: 'dist/index.d.cts' },
  { name: 'rolldown', config: `{ builder: 'rolldown', ${DUAL} }`, esm: 'dist/index.js', cjs: 'dist/index.cjs', types: 'dist/index.d.ts', cjsTypes: 'dist/index.d.cts' },
  // tsc mirrors src/ and cannot rename .js: the CommonJS build goes to dist/cjs/ (with a package.json saying so).
  { name: 'tsc', config: `{ builder: 'tsc', ${DUAL} }`, esm: 'dist/index.js', cjs: 'dist/cjs/index.js', types: 'dist/index.d.ts', cjsTypes: 'dist/cjs/index.d.ts' },
  {
    name: 'custom (command)',
    config: `{ builder: 'custom', builderOptions: { command: 'node scripts/custom-build.mjs' }, ${DUAL} }`,
    esm: 'dist/index.js',
    cjs: 'dist/index.cjs',
    types: 'dist/index.d.ts',
  },
  {
    name: 'custom (module)',
    config: `{ builder: 'custom', builderOptions: { module: 'scripts/custom-build.ts' }, ${DUAL} }`,
    esm: 'dist/index.js',
    cjs: 'dist/index.cjs',
    types: 'dist/index.d.ts',
  },
];

const BROKEN_SHOUT = 'export function shout(text: string): string {\n  const broken = ;\n  return text;\n}\n';

describe.each(CASES)('builder $name', (c) => {
  const build = (ws: TestWorkspace) => buildPackage(ws, { project: 'greet' });
  // One successful build per builder, shared by the tests that read its outputs.
  const built = sharedBuild(() => createLibraryWorkspace(tempDirOutsideTests, c.config), build, c.skip);

  it.skipIf(c.skip)('builds ESM that Node imports and CommonJS that Node requires', () => {
    const { ws, result } = built();

    expect(result.errors).toEqual([]);
    expect(result.status).toBe('success');
    expect(importGreet(path.join(ws.pkg, c.esm), 'esm')).toBe('HELLO ESM!');
    expect(requireGreet(path.join(ws.pkg, c.cjs), 'cjs')).toBe('HELLO CJS!');
  });

  it.skipIf(c.skip)('records the builder and lists every output file with its size and sha256', async () => {
    const { ws, result } = built();

    expect(buildResultSchema.safeParse(result).success).toBe(true);
    expect(result.builder.name).toBe(c.name.split(' ')[0]);
    expect(result.artifacts.map((a) => a.path)).toEqual(filesUnder(ws.root, path.join(ws.pkg, 'dist')));
    for (const artifact of result.artifacts) {
      const file = path.join(ws.root, artifact.path);
      expect(artifact.size).toBe(fs.statSync(file).size);
      expect(artifact.sha256).toBe(await sha256Of(file));
    }
    const kinds = Object.fromEntries(result.artifacts.map((a) => [a.path, a.kind]));
    expect(kinds[`${ws.pkgRel}/${c.esm}`]).toBe('entry');
    expect(kinds[`${ws.pkgRel}/${c.cjs}`]).toBe('entry');
    expect(kinds[`${ws.pkgRel}/${c.types}`]).toBe('types');
  });

  it.skipIf(c.skip)('writes declarations that type-check a consumer', () => {
    const { ws } = built();

    const check = typeCheckConsumer(ws, path.join(ws.pkg, c.types));

    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it.skipIf(c.skip || !c.cjsTypes)('gives require and import consumers declarations of the format they load, under nodenext and bundler', () => {
    const { ws } = built();

    const checks = typeCheckDualConsumer(ws, { import: { types: c.types, default: c.esm }, require: { types: c.cjsTypes!, default: c.cjs } });

    for (const check of Object.values(checks)) expect(check).toMatchObject({ output: '', status: 0 });
    // Each consumer file read the declarations beside what it loads.
    expect(checks.nodenext.declarations).toEqual(expect.arrayContaining([c.types, c.cjsTypes]));
    expect(checks.bundler.declarations).toEqual(expect.arrayContaining([c.types, c.cjsTypes]));
  }, 120_000);

  it.skipIf(c.skip)('reports a syntax error with its file, line and column', async () => {
    const ws = createLibraryWorkspace(tempDir, c.config, { files: { 'src/shout.ts': BROKEN_SHOUT } });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors[0]).toMatchObject({ code: 'BS_BUILD_FAILED', phase: 'build', file: `${ws.pkgRel}/src/shout.ts`, line: 2, column: 18 });
    expect(result.artifacts).toEqual([]);
  });
});
