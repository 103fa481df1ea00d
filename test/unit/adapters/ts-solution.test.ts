import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../../../src/engine/run-build';
import type { BuildResult } from '../../../src/result/schema';
import { runNode } from '../helpers/fixture-library';
import { createTsSolutionWorkspace, type TsSolutionWorkspace } from '../helpers/ts-solution';
import { TEST_ENV, useTempDirs } from '../helpers/workspace';

/** Builds on the layout `create-nx-workspace --preset=ts` writes (see helpers/ts-solution.ts). */
const tempDir = useTempDirs();

function build(ws: TsSolutionWorkspace, name: 'a' | 'b'): Promise<BuildResult> {
  return runBuild({ project: name, workspaceRoot: ws.root, packageRoot: `packages/${name}`, env: TEST_ENV });
}

function filesNamed(root: string, pattern: RegExp): string[] {
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && pattern.test(e.name) && !path.relative(root, e.parentPath).split(path.sep).includes('node_modules'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

describe('a TS-solution workspace (create-nx-workspace --preset=ts)', () => {
  it.each(['esbuild', 'rolldown'])("dts: true builds both libraries from tsconfig.lib.json with %s, b against a's declarations, with a declaration per format", async (builder) => {
    const config = `{ builder: '${builder}', formats: ['esm', 'cjs'], dts: true }`;
    const ws = createTsSolutionWorkspace(tempDir, { a: config, b: config });

    const a = await build(ws, 'a');
    const b = await build(ws, 'b');

    expect([a.errors, b.errors]).toEqual([[], []]);
    const dist = path.join(ws.pkg('b'), 'dist');
    expect(filesNamed(dist, /\.d\.c?ts$/).sort()).toEqual(['index.d.cts', 'index.d.ts', 'lib/b.d.cts', 'lib/b.d.ts']);
    expect(fs.readFileSync(path.join(dist, 'lib/b.d.ts'), 'utf8')).toContain("import { type Greeting } from '@org/a';");
    expect(fs.readFileSync(path.join(dist, 'index.d.cts'), 'utf8')).toMatch(/^export \* from '\.\/lib\/b\.cjs';\n\/\/# sourceMappingURL=index\.d\.cts\.map$/);
    // The maps point at the sources from where they lie after the swap.
    for (const map of filesNamed(dist, /\.d\.[cm]?ts\.map$/)) {
      const json = JSON.parse(fs.readFileSync(path.join(dist, map), 'utf8')) as { file: string; sources: string[] };
      expect(fs.existsSync(path.join(dist, path.dirname(map), json.file))).toBe(true);
      for (const source of json.sources) expect(fs.existsSync(path.resolve(dist, path.dirname(map), source))).toBe(true);
    }
    // No build info is written where the tsconfig says, nor anywhere else.
    expect(filesNamed(ws.root, /\.tsbuildinfo$/)).toEqual([]);
  }, 120_000);

  it("without a project reference to a, b's declarations still land beside its bundles (a's sources are read, not emitted)", async () => {
    const config = "{ builder: 'esbuild', dts: true }";
    const ws = createTsSolutionWorkspace(tempDir, { a: config, b: config }, { referenceA: false });

    const b = await build(ws, 'b');

    expect(b.errors).toEqual([]);
    expect(filesNamed(path.join(ws.pkg('b'), 'dist'), /\.d\.ts$/).sort()).toEqual(['index.d.ts', 'lib/b.d.ts']);
    expect(fs.existsSync(path.join(ws.pkg('a'), 'dist'))).toBe(false);
  }, 120_000);

  it('says a referenced library must be built first when its declarations are missing', async () => {
    const config = "{ builder: 'esbuild', dts: true }";
    const ws = createTsSolutionWorkspace(tempDir, { a: config, b: config });

    const b = await build(ws, 'b');

    expect(b.status).toBe('failure');
    expect(b.errors).toEqual([
      expect.objectContaining({
        builderCode: 'TS6305',
        file: 'packages/b/src/lib/b.ts',
        line: 1,
        message: expect.stringContaining('packages/a/dist/index.d.ts is the declaration of a project this tsconfig references: build that project first'),
      }),
    ]);
  }, 120_000);

  it('the tsc builder writes ESM and CommonJS with declarations for each, and Node loads both', async () => {
    const config = "{ builder: 'tsc', formats: ['esm', 'cjs'], dts: true }";
    const ws = createTsSolutionWorkspace(tempDir, { a: config, b: config });

    const a = await build(ws, 'a');
    const b = await build(ws, 'b');

    expect([a.errors, b.errors]).toEqual([[], []]);
    for (const name of ['a', 'b'] as const) {
      const dist = path.join(ws.pkg(name), 'dist');
      expect(filesNamed(dist, /^index\.(d\.ts|js)$|^package\.json$/).sort()).toEqual(['cjs/index.d.ts', 'cjs/index.js', 'cjs/package.json', 'index.d.ts', 'index.js']);
    }
    expect(runNode(['-e', `console.log(require(${JSON.stringify(path.join(ws.pkg('a'), 'dist/cjs/index.js'))}).a().text)`])).toBe('a');
    const esm = JSON.stringify(path.join(ws.pkg('b'), 'dist/index.js'));
    expect(runNode(['--input-type=module', '-e', `const m = await import(${esm}); console.log(m.b().text);`])).toBe('ab');
    expect(filesNamed(ws.root, /\.tsbuildinfo$/)).toEqual([]);
  }, 120_000);

  it('reports an inherited option that the tsconfig makes invalid at the line of tsconfig.base.json that sets it', async () => {
    const ws = createTsSolutionWorkspace(tempDir, { a: "{ builder: 'tsc', formats: ['cjs'] }", b: "{ builder: 'tsc' }" }, { libCompilerOptions: { module: 'commonjs', moduleResolution: 'node10' } });
    const base = fs.readFileSync(path.join(ws.root, 'tsconfig.base.json'), 'utf8').split('\n');

    const a = await build(ws, 'a');

    expect(a.status).toBe('failure');
    expect(a.errors).toEqual([
      expect.objectContaining({
        builderCode: 'TS5098',
        file: 'tsconfig.base.json',
        line: base.findIndex((l) => l.includes('"customConditions"')) + 1,
        column: 5,
      }),
    ]);
  }, 120_000);
});
