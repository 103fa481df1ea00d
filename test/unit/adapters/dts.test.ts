import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace, typeCheckConsumer } from '../helpers/fixture-library';
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
});
