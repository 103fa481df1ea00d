import { describe, expect, it } from 'vitest';
import * as root from '../../../src/index';
import { createNodes } from '../../../src/nx/plugin';
import { configSource, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

type Targets = Record<string, { executor?: string; metadata?: { description?: string } }>;

/** Runs inference over the build.config.* files given, as Nx would call it. */
async function infer(workspaceRoot: string, configFiles: string[], hooks = createNodes): Promise<Record<string, Targets>> {
  const context = { workspaceRoot, nxJsonConfiguration: {}, configFiles } as unknown as Parameters<(typeof createNodes)[1]>[2];
  const results = await hooks[1](configFiles, {}, context);
  return Object.fromEntries(results.flatMap(([, r]) => Object.entries(r.projects ?? {}).map(([projectRoot, p]) => [projectRoot, (p.targets ?? {}) as Targets])));
}

describe('inference: configs that are not ours, and npm scripts that shadow the target', () => {
  it('gives a package with an unbuild build.config.ts no targets, and keeps the others', async () => {
    const ws = tempDir();
    writeFiles(ws, {
      'packages/ub/package.json': '{ "name": "ub" }',
      'packages/ub/build.config.ts': "import { defineBuildConfig } from 'unbuild';\nexport default defineBuildConfig({ entries: ['src/index'] });\n",
      'packages/ours/package.json': '{ "name": "ours" }',
      'packages/ours/build.config.ts': configSource("{ entry: 'src/index.ts' }"),
    });
    const projects = await infer(ws, ['packages/ub/build.config.ts', 'packages/ours/build.config.ts']);
    expect(Object.keys(projects)).toEqual(['packages/ours']);
    expect(projects['packages/ours'].build.executor).toBe('@repo/build-system:build');
  });

  it('says in the description which npm script shadows the build target, and how to keep every other one', async () => {
    const ws = tempDir();
    writeFiles(ws, {
      'packages/legacy/package.json': JSON.stringify({ name: 'legacy', scripts: { build: 'tsc', test: 'vitest' } }),
      'packages/legacy/build.config.ts': configSource("{ entry: 'src/index.ts' }"),
      'packages/fixed/package.json': JSON.stringify({ name: 'fixed', scripts: { build: 'tsc', test: 'vitest' }, nx: { includedScripts: ['test'] } }),
      'packages/fixed/build.config.ts': configSource("{ entry: 'src/index.ts' }"),
    });
    const projects = await infer(ws, ['packages/legacy/build.config.ts', 'packages/fixed/build.config.ts']);
    expect(projects['packages/legacy'].build.metadata?.description).toContain(
      'SHADOWED: the npm script "build" in package.json replaces this target (nx:run-script runs it, not @repo/build-system); to build with @repo/build-system, add "nx": { "includedScripts": ["test"] } to package.json',
    );
    expect(projects['packages/fixed'].build.metadata?.description).not.toContain('SHADOWED');
  });

  it('the package root exports the same createNodes, so "plugins": ["@repo/build-system"] infers the same targets', async () => {
    const ws = tempDir();
    writeFiles(ws, { 'packages/ours/package.json': '{ "name": "ours" }', 'packages/ours/build.config.ts': configSource("{ entry: 'src/index.ts' }") });
    expect(root.createNodes[0]).toBe(createNodes[0]);
    const viaRoot = await infer(ws, ['packages/ours/build.config.ts'], root.createNodes);
    expect(viaRoot).toEqual(await infer(ws, ['packages/ours/build.config.ts']));
    expect(viaRoot['packages/ours'].build.executor).toBe('@repo/build-system:build');
  });
});
