import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

const ISOLATED = JSON.stringify({
  compilerOptions: { target: 'es2022', module: 'nodenext', rootDir: 'src', strict: true, skipLibCheck: true, types: [], isolatedDeclarations: true },
  include: ['src'],
});

function library(name: string, shout: string): Record<string, string> {
  return {
    [`packages/${name}/package.json`]: JSON.stringify({
      name: `@e2e/${name}`,
      version: '1.0.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    }),
    [`packages/${name}/tsconfig.json`]: ISOLATED,
    [`packages/${name}/build.config.ts`]: "export default { entry: 'src/index.ts', dts: true };\n",
    [`packages/${name}/src/index.ts`]: "import { shout } from './shout.js';\nexport function greet(name: string): string {\n  return shout(`hello ${name}`);\n}\n",
    [`packages/${name}/src/shout.ts`]: shout,
  };
}

/**
 * `dts: true` with `isolatedDeclarations` through the real nx CLI, in a workspace without
 * TypeScript: the declarations can only come from oxc, and an outside consumer type-checks them.
 */
describe('declarations from oxc isolated declarations', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...library('good', 'export function shout(text: string): string {\n  return `${text.toUpperCase()}!`;\n}\n'),
      ...library('bad', '// the return type is missing\nexport function shout(text: string) {\n  return text.toUpperCase();\n}\n'),
    });
    // No TypeScript in the workspace: nothing could start it.
    rmSync(ws.path('node_modules/typescript'), { force: true });
    rmSync(ws.path('node_modules/.bin/tsc'), { force: true });
  });
  afterAll(() => ws?.dispose());

  it('builds the declarations of a package with isolatedDeclarations without TypeScript, and an outside consumer type-checks them', async () => {
    const run = await ws.nx(['run', '@e2e/good:build']);
    expect(run.code, run.output).toBe(0);
    expect(ws.read('packages/good/dist/index.d.ts')).toBe('export declare function greet(name: string): string;\n');
    expect(ws.read('packages/good/dist/shout.d.ts')).toBe('export declare function shout(text: string): string;\n');
    expect(ws.read('packages/good/.build-system/build.log')).toContain('Declarations: oxc (isolatedDeclarations: true (packages/good/tsconfig.json))');

    // The consumer: its own folder, its own TypeScript (this repo's), the package linked in.
    const consumer = mkdtempSync(join(tmpdir(), 'bs-e2e-consumer-'));
    try {
      mkdirSync(join(consumer, 'node_modules/@e2e'), { recursive: true });
      symlinkSync(ws.path('packages/good'), join(consumer, 'node_modules/@e2e/good'), 'dir');
      writeFileSync(join(consumer, 'main.mts'), "import { greet } from '@e2e/good';\nexport const s: string = greet('x');\n// @ts-expect-error greet takes a string\ngreet(1);\n");
      const tsc = createRequire(__filename).resolve('typescript/bin/tsc');
      const check = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', 'main.mts'], { cwd: consumer, encoding: 'utf8' });
      expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });

  it('fails on an isolated-declarations error and shows it at file:line:col', async () => {
    const run = await ws.nx(['run', '@e2e/bad:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('packages/bad/src/shout.ts:2:17');
    expect(run.output).toContain('Function must have an explicit return type annotation with --isolatedDeclarations.');
    expect(ws.json('packages/bad/.build-system/result.json').errors).toEqual([
      expect.objectContaining({ code: 'BS_BUILD_FAILED', builderCode: 'TS9007', file: 'packages/bad/src/shout.ts', line: 2, column: 17 }),
    ]);
  });
});
