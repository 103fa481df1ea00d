import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace, filesUnder, importGreet, requireGreet } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const build = (ws: TestWorkspace, request: Parameters<typeof buildPackage>[1] = {}) => buildPackage(ws, { project: 'greet', ...request });

describe('tsc builder', () => {
  it('reports a type error with its TypeScript code, file, line and column', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc' }", {
      files: { 'src/shout.ts': 'export function shout(text: string): string {\n  const count: number = text;\n  return `${text}${count}`;\n}\n' },
    });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      {
        code: 'BS_BUILD_FAILED',
        phase: 'build',
        message: "Type 'string' is not assignable to type 'number'.",
        file: `${ws.pkgRel}/src/shout.ts`,
        line: 2,
        column: 9,
        builderCode: 'TS2322',
      },
    ]);
  });

  it('writes CommonJS for a CommonJS package to outDir, and ESM to outDir/esm with a package.json saying so', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc', formats: ['cjs', 'esm'] }", {
      files: {
        'package.json': JSON.stringify({ name: 'greet-lib', version: '1.0.0', private: true, type: 'commonjs' }),
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, types: [] }, include: ['src'] }),
      },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(requireGreet(path.join(ws.pkg, 'dist/index.js'), 'cjs')).toBe('HELLO CJS!');
    expect(importGreet(path.join(ws.pkg, 'dist/esm/index.js'), 'esm')).toBe('HELLO ESM!');
    expect(JSON.parse(fs.readFileSync(path.join(ws.pkg, 'dist/esm/package.json'), 'utf8'))).toEqual({ type: 'module' });
  });

  it('keeps build info out of the outputs, so a composite project rebuilds every output each time', async () => {
    const tsconfig = {
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: [], composite: true, rootDir: 'src', tsBuildInfoFile: './.cache/greet.tsbuildinfo' },
      include: ['src'],
    };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc' }", { files: { 'tsconfig.json': JSON.stringify(tsconfig) } });

    const first = await build(ws);
    const second = await build(ws);

    expect(first.status).toBe('success');
    expect(second.status).toBe('success');
    expect(second.artifacts.map((a) => a.path)).toEqual(first.artifacts.map((a) => a.path));
    expect(filesUnder(ws.root, path.join(ws.pkg, 'dist'))).toEqual([
      `${ws.pkgRel}/dist/index.d.ts`,
      `${ws.pkgRel}/dist/index.js`,
      `${ws.pkgRel}/dist/shout.d.ts`,
      `${ws.pkgRel}/dist/shout.js`,
    ]);
    expect(fs.existsSync(path.join(ws.pkg, '.cache'))).toBe(false);
  });

  it('fails with BS_ARTIFACT_MISSING when an entry is not part of the tsconfig program', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc', entry: 'src/index.ts' }", {
      files: { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true, types: [], rootDir: 'src' }, files: ['src/shout.ts'] }) },
    });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_ARTIFACT_MISSING', message: expect.stringContaining(`${ws.pkgRel}/dist/index.js`) })]);
  });

  it('refuses an iife build and a package without a tsconfig, saying why', async () => {
    const iife = createLibraryWorkspace(tempDir, "{ builder: 'tsc', formats: ['iife'] }");
    const noTsconfig = createLibraryWorkspace(tempDir, "{ builder: 'tsc' }");
    fs.rmSync(path.join(noTsconfig.pkg, 'tsconfig.json'));

    const [a, b] = [await build(iife), await build(noTsconfig)];

    expect(a.errors[0].message).toMatch(/tsc cannot emit an iife bundle/);
    expect(b.errors[0].message).toMatch(/tsconfig\.json does not exist/);
  });
  it('says a solution tsconfig with no tsconfig.lib.json or tsconfig.build.json beside it compiles nothing, and names the referenced tsconfig to point at', async () => {
    const lib = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: [], composite: true }, include: ['src'] };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc' }", {
      files: {
        'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.src.json' }, { path: './tsconfig.spec.json' }] }),
        'tsconfig.src.json': JSON.stringify(lib),
        'tsconfig.spec.json': JSON.stringify({ ...lib, include: ['test'] }),
      },
    });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BS_BUILD_FAILED',
        file: `${ws.pkgRel}/tsconfig.json`,
        message: expect.stringContaining(
          `tsconfig.json is a solution tsconfig ("files": [] and "references" to tsconfig.src.json, tsconfig.spec.json): it compiles nothing itself. Point the build at the tsconfig that holds the package's sources: set \`tsconfig: 'tsconfig.src.json'\` in build.config.ts.`,
        ),
      }),
    ]);
    expect(JSON.stringify(result)).not.toMatch(/--clean/);
  });

  it.each(['tsconfig.lib.json', 'tsconfig.build.json'])('builds from %s when tsconfig.json is a solution file, without being told', async (name) => {
    const lib = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: [], composite: true, rootDir: 'src' }, include: ['src'] };
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc' }", {
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
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc', tsconfig: 'tsconfig.lib.json' }", {
      files: {
        'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.lib.json' }] }),
        'tsconfig.lib.json': JSON.stringify(lib),
      },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(result.status).toBe('success');
  });
});
