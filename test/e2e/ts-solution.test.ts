import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tsSolutionFiles } from '../unit/helpers/ts-solution';
import { Workspace } from './workspace';

/**
 * The layout `create-nx-workspace --preset=ts` writes (tsconfig.base.json with composite,
 * declarationMap, nodenext and customConditions; solution tsconfig.json files; tsconfig.lib.json per
 * library), built through the real nx CLI: b imports a, so a's declarations must exist before b's
 * are written, which `dependsOn: ['^build']` orders.
 */
describe('a TS-solution workspace through nx', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      tsSolutionFiles({
        a: "{ builder: 'esbuild', formats: ['esm', 'cjs'], dts: true }",
        b: "{ builder: 'tsc', formats: ['esm', 'cjs'], dts: true }",
      }),
    );
    // What npm workspaces link.
    mkdirSync(ws.path('node_modules/@org'), { recursive: true });
    for (const name of ['a', 'b']) symlinkSync(`../../packages/${name}`, ws.path(`node_modules/@org/${name}`), 'dir');
  });
  afterAll(() => ws?.dispose());

  it('`nx run-many -t build` builds a, then b against its declarations, with declarations for every format', async () => {
    const run = await ws.nx(['run-many', '-t', 'build']);
    expect(run.code, run.output).toBe(0);

    const list = (dir: string) => (readdirSync(ws.path(dir), { recursive: true }) as string[]).map((f) => f.split('\\').join('/')).sort();
    expect(list('packages/a/dist')).toEqual(expect.arrayContaining(['index.cjs', 'index.d.cts', 'index.d.cts.map', 'index.d.ts', 'index.d.ts.map', 'index.js', 'lib/a.d.cts', 'lib/a.d.ts']));
    expect(list('packages/b/dist')).toEqual(expect.arrayContaining(['cjs/index.d.ts', 'cjs/index.js', 'cjs/package.json', 'index.d.ts', 'index.js', 'lib/b.d.ts', 'lib/b.js']));
    expect(list('packages/b/dist').filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    const esm = await ws.run(process.execPath, ['--input-type=module', '-e', "import { b } from './packages/b/dist/index.js'; console.log(b().text)"]);
    expect(esm.stdout.trim(), esm.output).toBe('ab');
  });

  it('names typescript as an input of both builds', async () => {
    for (const project of ['@org/a', '@org/b']) {
      const show = await ws.nx(['show', 'project', project, '--json']);
      expect(show.code, show.output).toBe(0);
      const inputs = JSON.parse(show.stdout).targets.build.inputs as Array<{ externalDependencies?: string[] }>;
      expect(inputs.find((i) => i.externalDependencies)?.externalDependencies).toContain('typescript');
    }
  });
});
