import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDeclarationGenerator } from '../../../src/adapters/dts-generator';
import { findTypeScript, runTsc } from '../../../src/adapters/tsc/compiler';
import { runSharedTsc } from '../../../src/adapters/tsc/shared-compiler';
import { createLibraryWorkspace, filesUnder, typeCheckConsumer } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, writeFiles } from '../helpers/workspace';

/** Which generator writes declarations, and what oxc's isolated declarations write (esbuild bundles). */
const tempDir = useTempDirs();

const ISOLATED = { compilerOptions: { target: 'es2022', module: 'nodenext', rootDir: 'src', strict: true, skipLibCheck: true, types: [], isolatedDeclarations: true, declarationMap: true }, include: ['src'] };

/** A lib whose every export has its type written out: what isolatedDeclarations asks for. */
const CLEAN_LIB = {
  'src/index.ts': [
    "import { shout } from './shout.js';",
    "import type { Shape } from './shapes/shape.js';",
    "export type { Shape };",
    "export * from './shapes/area.js';",
    '/** Greets someone, loudly. */',
    'export function greet(name: string): string {',
    '  return shout(`hello ${name}`);',
    '}',
    "export const version: string = '1';",
    'export class Greeter {',
    '  private count = 0;',
    '  constructor(public readonly name: string) {}',
    '  greet(): string {',
    '    this.count++;',
    '    return greet(this.name);',
    '  }',
    '}',
    'export default greet;',
    '',
  ].join('\n'),
  'src/shapes/shape.ts': "export type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };\n",
  'src/shapes/area.ts': "import type { Shape } from './shape.js';\nexport function area(s: Shape): number {\n  return s.kind === 'circle' ? Math.PI * s.r ** 2 : s.side ** 2;\n}\n",
  // Not imported by any entry: tsc declares it (the tsconfig includes it), oxc does not reach it.
  'src/unused.ts': 'export const unused: number = 1;\n',
};

function wsRoot(): string {
  const root = tempDir('bs-dtsgen-');
  fs.mkdirSync(path.join(root, 'packages/lib'), { recursive: true });
  return root;
}

describe('choosing the declaration generator', () => {
  it('auto picks oxc when isolatedDeclarations comes through an extends chain, naming the file that sets it', () => {
    const root = wsRoot();
    fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.resolve('node_modules/oxc-transform'), path.join(root, 'node_modules/oxc-transform'), 'dir');
    writeFiles(root, {
      'tsconfig.root.json': JSON.stringify({ compilerOptions: { isolatedDeclarations: true } }),
      'packages/tsconfig.base.json': '{ // comments, as tsconfigs have\n "extends": "../tsconfig.root.json", "compilerOptions": { "strict": true } }',
      'packages/lib/tsconfig.json': JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: {} }),
    });
    const ctx = { workspaceRoot: root, packageRoot: path.join(root, 'packages/lib') };

    expect(chooseDeclarationGenerator('auto', path.join(ctx.packageRoot, 'tsconfig.json'), ctx)).toEqual({ generator: 'oxc', reason: 'isolatedDeclarations: true (tsconfig.root.json)' });
    expect(chooseDeclarationGenerator(undefined, path.join(ctx.packageRoot, 'tsconfig.json'), ctx).generator).toBe('oxc');
  });

  it('auto picks tsc when the nearest tsconfig of the chain turns isolatedDeclarations off', () => {
    const root = wsRoot();
    writeFiles(root, {
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { isolatedDeclarations: true } }),
      'packages/lib/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { isolatedDeclarations: false } }),
    });
    const ctx = { workspaceRoot: root, packageRoot: path.join(root, 'packages/lib') };

    expect(chooseDeclarationGenerator('auto', path.join(ctx.packageRoot, 'tsconfig.json'), ctx)).toEqual({ generator: 'tsc', reason: 'packages/lib/tsconfig.json does not set isolatedDeclarations' });
  });

  it('auto picks tsc, saying how to get oxc, when isolatedDeclarations is set and oxc-transform is not installed', () => {
    const root = wsRoot();
    writeFiles(root, { 'packages/lib/tsconfig.json': JSON.stringify({ compilerOptions: { isolatedDeclarations: true } }) });
    const ctx = { workspaceRoot: root, packageRoot: path.join(root, 'packages/lib') };

    expect(chooseDeclarationGenerator('auto', path.join(ctx.packageRoot, 'tsconfig.json'), ctx)).toEqual({
      generator: 'tsc',
      reason: 'isolatedDeclarations: true (packages/lib/tsconfig.json), but oxc-transform is not installed (`npm i -D oxc-transform` writes them without TypeScript)',
    });
  });

  it.each(['oxc', 'tsc', 'tsgo'] as const)('a named generator (%s) is used whatever the tsconfig says', (generator) => {
    const root = wsRoot();
    const ctx = { workspaceRoot: root, packageRoot: path.join(root, 'packages/lib') };
    expect(chooseDeclarationGenerator(generator, path.join(ctx.packageRoot, 'tsconfig.json'), ctx)).toEqual({ generator, reason: `dts.generator: '${generator}'` });
  });
});

describe('oxc isolated declarations', () => {
  it('writes the declarations tsc writes, in the same layout and with declaration maps, for an isolated-declarations-clean lib', async () => {
    const files = { ...CLEAN_LIB, 'tsconfig.json': JSON.stringify(ISOLATED) };
    const oxcWs = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }", { files });
    const tscWs = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: { generator: 'tsc' } }", { files });
    fs.rmSync(path.join(oxcWs.pkg, 'src/shout.ts'), { force: true });
    fs.rmSync(path.join(tscWs.pkg, 'src/shout.ts'), { force: true });
    writeFiles(oxcWs.pkg, { 'src/shout.ts': 'export function shout(text: string): string {\n  return `${text.toUpperCase()}!`;\n}\n' });
    writeFiles(tscWs.pkg, { 'src/shout.ts': 'export function shout(text: string): string {\n  return `${text.toUpperCase()}!`;\n}\n' });

    const [oxc, tsc] = [await buildPackage(oxcWs, { project: 'greet' }), await buildPackage(tscWs, { project: 'greet' })];

    expect(oxc.errors).toEqual([]);
    expect(tsc.errors).toEqual([]);
    expect(fs.readFileSync(path.join(oxcWs.pkg, '.build-system/build.log'), 'utf8')).toContain('Declarations: oxc (isolatedDeclarations: true (packages/greet/tsconfig.json))');
    const declared = (root: string, pkg: string) => filesUnder(root, path.join(pkg, 'dist')).filter((f) => f.includes('.d.ts'));
    // tsc also declares src/unused.ts, which its tsconfig includes and no entry imports.
    expect(declared(oxcWs.root, oxcWs.pkg)).toEqual(declared(tscWs.root, tscWs.pkg).filter((f) => !f.includes('unused')));
    expect(declared(oxcWs.root, oxcWs.pkg)).toEqual([
      'packages/greet/dist/index.d.ts',
      'packages/greet/dist/index.d.ts.map',
      'packages/greet/dist/shapes/area.d.ts',
      'packages/greet/dist/shapes/area.d.ts.map',
      'packages/greet/dist/shapes/shape.d.ts',
      'packages/greet/dist/shapes/shape.d.ts.map',
      'packages/greet/dist/shout.d.ts',
      'packages/greet/dist/shout.d.ts.map',
    ]);
    // The same declarations, printed differently: oxc indents with tabs and writes double quotes.
    const normalized = (file: string) => fs.readFileSync(file, 'utf8').replace(/^\t+/gm, (t) => '    '.repeat(t.length)).replace(/'/g, '"');
    for (const file of ['index.d.ts', 'shapes/area.d.ts', 'shapes/shape.d.ts', 'shout.d.ts']) {
      expect(normalized(path.join(oxcWs.pkg, 'dist', file)), file).toBe(normalized(path.join(tscWs.pkg, 'dist', file)));
      const map = (pkg: string) => JSON.parse(fs.readFileSync(path.join(pkg, 'dist', `${file}.map`), 'utf8')) as Record<string, unknown>;
      expect({ ...map(oxcWs.pkg), mappings: '' }, `${file}.map`).toEqual({ ...map(tscWs.pkg), mappings: '' });
    }
    expect(typeCheckConsumer(oxcWs, path.join(oxcWs.pkg, 'dist/index.d.ts'))).toEqual({ status: 0, output: '' });
  });

  it('fails the build on an isolated-declarations error, with its TypeScript code, file, line and column', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: { generator: 'oxc' } }", {
      // The é before the error: columns count characters, not UTF-8 bytes.
      files: { 'src/shout.ts': '// é\nexport function shout(text: string) {\n  return text.toUpperCase();\n}\nexport const n = Math.max(1, 2);\n' },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'BS_BUILD_FAILED', builderCode: 'TS9007', file: `${ws.pkgRel}/src/shout.ts`, line: 2, column: 17, message: expect.stringContaining('explicit return type') }),
      expect.objectContaining({ code: 'BS_BUILD_FAILED', builderCode: 'TS9010', file: `${ws.pkgRel}/src/shout.ts`, line: 5, column: 14 }),
    ]);
    expect(fs.readFileSync(path.join(ws.pkg, '.build-system/build.log'), 'utf8')).toContain(`${ws.pkgRel}/src/shout.ts:2:17`);
  });

  it('says oxc-transform is missing when dts.generator is oxc, with the install command', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: { generator: 'oxc' } }", { packages: ['esbuild', 'typescript'] });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILDER_UNAVAILABLE', hint: expect.stringContaining('npm i -D oxc-transform') })]);
  });

  it('says @typescript/native-preview is missing when dts.generator is tsgo, with the install command', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: { generator: 'tsgo' } }", { packages: ['esbuild', 'typescript'] });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILDER_UNAVAILABLE', hint: expect.stringContaining('npm i -D @typescript/native-preview') })]);
  });
});

describe('the shared TypeScript compiler', () => {
  it('gives the diagnostics, emitted files and program files of a child tsc, run after run', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }", {
      files: { 'src/shout.ts': 'export function shout(text: string): string {\n  const count: number = text;\n  return `${text}${count}`;\n}\n' },
    });
    const ts = findTypeScript({ workspaceRoot: ws.root, packageRoot: ws.pkg })!;
    const run = (outDir: string) => ['-p', 'tsconfig.json', '--pretty', 'false', '--listEmittedFiles', '--listFiles', '--declaration', '--emitDeclarationOnly', '--noEmitOnError', 'false', '--outDir', outDir];
    const options = { cwd: ws.pkg, workspaceRoot: ws.root, env: process.env, signal: new AbortController().signal, log: () => undefined, builder: 'esbuild' };
    const comparable = (r: Awaited<ReturnType<typeof runTsc>>, outDir: string) => ({
      exitCode: r.exitCode,
      diagnostics: r.diagnostics,
      emitted: r.emitted.map((f) => path.relative(outDir, f)),
      programFiles: r.programFiles,
    });

    const child = comparable(await runTsc(ts, run(path.join(ws.pkg, 'a')), options), path.join(ws.pkg, 'a'));
    const shared = comparable(await runSharedTsc(ts, run(path.join(ws.pkg, 'b')), options), path.join(ws.pkg, 'b'));
    // The second run reads TypeScript's lib files from the cache the first one filled.
    const again = comparable(await runSharedTsc(ts, run(path.join(ws.pkg, 'c')), options), path.join(ws.pkg, 'c'));

    expect(child.diagnostics).toEqual([expect.objectContaining({ code: 'TS2322', line: 2, column: 9 })]);
    expect([...child.emitted].sort()).toEqual(['index.d.ts', 'shout.d.ts']);
    expect(shared).toEqual(child);
    expect(again).toEqual(child);

    // The built package compiles on its worker thread (dist/adapters/tsc/shared-compiler-worker.js).
    const built = require(path.resolve(__dirname, '../../../dist/adapters/tsc/shared-compiler.js')) as typeof import('../../../src/adapters/tsc/shared-compiler');
    const onThread = comparable(await built.runSharedTsc(ts, run(path.join(ws.pkg, 'd')), options), path.join(ws.pkg, 'd'));
    expect(onThread).toEqual(child);
  });

  it('a cancelled compile on the worker thread reports cancelled, and the next one still compiles', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }");
    const ts = findTypeScript({ workspaceRoot: ws.root, packageRoot: ws.pkg })!;
    const built = require(path.resolve(__dirname, '../../../dist/adapters/tsc/shared-compiler.js')) as typeof import('../../../src/adapters/tsc/shared-compiler');
    const args = (outDir: string) => ['-p', 'tsconfig.json', '--pretty', 'false', '--listEmittedFiles', '--declaration', '--emitDeclarationOnly', '--outDir', outDir];
    const options = (signal: AbortSignal) => ({ cwd: ws.pkg, workspaceRoot: ws.root, env: process.env, signal, log: () => undefined, builder: 'esbuild' });
    const abort = new AbortController();

    const cancelled = built.runSharedTsc(ts, args(path.join(ws.pkg, 'x')), options(abort.signal));
    const next = built.runSharedTsc(ts, args(path.join(ws.pkg, 'y')), options(new AbortController().signal));
    abort.abort();

    expect((await cancelled).cancelled).toBe(true);
    const after = await next;
    expect(after.exitCode).toBe(0);
    expect(after.emitted.map((f) => path.relative(path.join(ws.pkg, 'y'), f)).sort()).toEqual(['index.d.ts', 'shout.d.ts']);
  });
});
