import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace, typeCheckConsumer, typeCheckDualConsumer } from '../helpers/fixture-library';
import { buildPackage, useTempDirs } from '../helpers/workspace';

/** `dts: true` for the bundlers, through the workspace's tsc (shown here with esbuild). */
const tempDir = useTempDirs();

describe('declarations for bundled builds', () => {
  it('adds <entry>.d.ts re-exporting the declaration when tsc mirrors the package root', async () => {
    const tsconfig = { compilerOptions: { module: 'nodenext', strict: true, types: [], rootDir: '.' }, include: ['src'] };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }", { files: { 'tsconfig.json': JSON.stringify(tsconfig) } });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => [a.path.slice(ws.pkgRel.length + 1), a.kind])).toEqual([
      ['dist/index.d.ts', 'types'],
      ['dist/index.js', 'entry'],
      ['dist/src/index.d.ts', 'types'],
      ['dist/src/shout.d.ts', 'types'],
    ]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.d.ts'), 'utf8')).toBe("export * from './src/index.js';\n");
    expect(typeCheckConsumer(ws, path.join(ws.pkg, 'dist/index.d.ts'))).toEqual({ status: 0, output: '' });
  });

  it('fails the build on a type error, with its TypeScript code and place', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }", {
      files: { 'src/shout.ts': 'export function shout(text: string): string {\n  const count: number = text;\n  return `${text}${count}`;\n}\n' },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      expect.objectContaining({ builderCode: 'TS2322', file: `${ws.pkgRel}/src/shout.ts`, line: 2, column: 9 }),
    ]);
  });
  it('says a solution tsconfig with no tsconfig.lib.json or tsconfig.build.json beside it compiles nothing, and names the referenced tsconfig to point at', async () => {
    const lib = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: [], composite: true }, include: ['src'] };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }", {
      files: {
        'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.src.json' }, { path: './tsconfig.spec.json' }] }),
        'tsconfig.src.json': JSON.stringify(lib),
        'tsconfig.spec.json': JSON.stringify({ ...lib, include: ['test'] }),
      },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BS_BUILD_FAILED',
        file: `${ws.pkgRel}/tsconfig.json`,
        message: expect.stringContaining(
          `dts: tsconfig.json is a solution tsconfig ("files": [] and "references" to tsconfig.src.json, tsconfig.spec.json): it compiles nothing itself. Point the build at the tsconfig that holds the package's sources: set \`tsconfig: 'tsconfig.src.json'\` in build.config.ts.`,
        ),
      }),
    ]);
    expect(JSON.stringify(result)).not.toMatch(/--clean/);
  });

  it.each(['tsconfig.lib.json', 'tsconfig.build.json'])('builds from %s when tsconfig.json is a solution file, without being told', async (name) => {
    const lib = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: [], composite: true, rootDir: 'src' }, include: ['src'] };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }", {
      files: {
        'tsconfig.json': JSON.stringify({ files: [], include: [], references: [{ path: `./${name}` }] }),
        [name]: JSON.stringify(lib),
      },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => a.path)).toContain(`${ws.pkgRel}/dist/index.d.ts`);
  });

  it('builds from the referenced tsconfig once the config points at it', async () => {
    const lib = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: [], composite: true }, include: ['src'] };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true, tsconfig: 'tsconfig.lib.json' }", {
      files: {
        'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.lib.json' }] }),
        'tsconfig.lib.json': JSON.stringify(lib),
      },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    expect(result.status).toBe('success');
  });
});

describe('declarations per format', () => {
  it('a CommonJS package that also ships ESM gets .d.mts beside index.mjs, and consumers of both formats type-check', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', formats: ['cjs', 'esm'], dts: true }", {
      files: { 'package.json': JSON.stringify({ name: 'greet-lib', version: '1.0.0', private: true, type: 'commonjs' }) },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    const kinds = Object.fromEntries(result.artifacts.map((a) => [a.path.slice(ws.pkgRel.length + 1), a.kind]));
    expect(kinds).toMatchObject({ 'dist/index.js': 'entry', 'dist/index.mjs': 'entry', 'dist/index.d.ts': 'types', 'dist/index.d.mts': 'types', 'dist/shout.d.mts': 'types' });
    expect(kinds['dist/index.d.cts']).toBeUndefined();
    const checks = typeCheckDualConsumer(ws, { import: { types: 'dist/index.d.mts', default: 'dist/index.mjs' }, require: { types: 'dist/index.d.ts', default: 'dist/index.js' } });
    for (const check of Object.values(checks)) expect(check).toMatchObject({ output: '', status: 0 });
    expect(checks.nodenext.declarations).toEqual(expect.arrayContaining(['dist/index.d.mts', 'dist/index.d.ts']));
  }, 120_000);
});
