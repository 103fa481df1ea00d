import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

/**
 * What must hold on every Nx major the plugin supports (the current one, which the whole e2e suite
 * runs on, and the previous one): dependency order inside a batch, a failed dependency stopping
 * its dependents (as Nx reports its own skipped tasks, plain and in the terminal UI), cache hits,
 * the run summary and affected. Nx 24 changed the task graph's edges (nrwl/nx#37224): on 24, a
 * batch that misreads them starts every task at once.
 */
const majors = [
  { nx: inject('nxVersion'), installDir: inject('installDir') },
  { nx: inject('nxVersionPrevious'), installDir: inject('installDirPrevious') },
];

const PACKAGES = ['a', 'b', 'c'];

/** a ← b ← c: each pre hook fails unless its dependency's output is already there. */
function chain(): Record<string, string> {
  const needs = (dep?: string) =>
    `import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({\n  entry: 'src/index.ts',\n  formats: ['esm'],\n${
      dep ? `  hooks: { pre: ["node -e \\"require('fs').accessSync('../${dep}/dist/index.js')\\""] },\n` : ''
    }});\n`;
  const files = {
    ...libraryFiles('packages/a', '@chain/a', { config: needs() }),
    ...libraryFiles('packages/b', '@chain/b', { config: needs('a'), dependencies: { '@chain/a': '*' }, source: "export { greet } from '@chain/a';\n" }),
    ...libraryFiles('packages/c', '@chain/c', { config: needs('b'), dependencies: { '@chain/b': '*' }, source: "export { greet } from '@chain/b';\n" }),
  };
  // Publishable, so an outside consumer can install the packed packages and import them.
  for (const p of PACKAGES) {
    const file = `packages/${p}/package.json`;
    files[file] = JSON.stringify({ ...JSON.parse(files[file]), exports: './dist/index.js', files: ['dist'] }, null, 2);
  }
  return files;
}


describe.each(majors)('on nx $nx', ({ nx, installDir }) => {
  let ws: Workspace;
  const result = (p: string) => ws.json(`packages/${p}/.build-system/result.json`);
  const removeOutputs = () => PACKAGES.forEach((p) => (ws.remove(`packages/${p}/dist`), ws.remove(`packages/${p}/.build-system`)));
  const expectBuiltInOrder = () => {
    for (const [before, after] of [
      ['a', 'b'],
      ['b', 'c'],
    ]) {
      expect(result(before).status).toBe('success');
      expect(Date.parse(result(before).endTime)).toBeLessThanOrEqual(Date.parse(result(after).startTime));
    }
    expect(result('c').status).toBe('success');
  };
  const breakA = () => ws.write('packages/a/src/index.ts', 'export const broken = ;\n');
  const fixA = () => ws.write('packages/a/src/index.ts', 'export function greet(who: string): string {\n  return `hello ${who}`;\n}\n');

  beforeAll(async () => {
    ws = Workspace.create(installDir, chain());
    // npm would link the workspace packages; b and c import their dependency by name.
    mkdirSync(ws.path('node_modules/@chain'));
    for (const p of PACKAGES) symlinkSync(`../../packages/${p}`, ws.path(`node_modules/@chain/${p}`));
    const version = await ws.nx(['--version']);
    expect(version.output).toContain(`Local: v${nx}`);
    await ws.run('git', ['init', '-q', '-b', 'main']);
    await ws.run('git', ['add', '-A']);
    await ws.run('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-q', '-m', 'base']);
  });
  afterAll(() => ws?.dispose());

  for (const daemon of [false, true]) {
    it(`a cold run-many builds the chain in dependency order, then every task is a cache hit (daemon ${daemon ? 'on' : 'off'})`, async () => {
      removeOutputs();
      // A new input of a: none of the three is in the cache (b and c hash a's production files).
      ws.write('packages/a/src/daemon.ts', `export const daemon = ${daemon};\n`);
      const cold = await ws.nx(['run-many', '-t', 'build'], { daemon });
      expect(cold.code, cold.output).toBe(0);
      expect(cold.output).not.toMatch(/flaky/i);
      expect(cold.output).not.toMatch(/from the cache/);
      expectBuiltInOrder();

      const warm = await ws.nx(['run-many', '-t', 'build'], { daemon });
      expect(warm.code, warm.output).toBe(0);
      expect(warm.output).toMatch(/from the cache instead of running the command for 3 out of 3 tasks/);
      // The closing line reaches the terminal only without the daemon: with it, the hook runs in the daemon.
      expect(warm.output.includes('Run summary:'), warm.output).toBe(!daemon);
      if (!daemon) expect(warm.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Run summary: \.nx\/build-system\/runs\/[\w-]+\.json$/);
      const summary = ws.json('.nx/build-system/runs/latest.json');
      expect(summary.tasks.map((t: { cacheHit: boolean }) => t.cacheHit)).toEqual([true, true, true]);
      expect(summary.notRun).toEqual([]);
      ws.remove('packages/a/src/daemon.ts');
    });
  }

  it('the built chain works for an outside consumer that installs the packed packages', async () => {
    const consumer = mkdtempSync(join(tmpdir(), 'bs-e2e-consumer-'));
    try {
      const dependencies: Record<string, string> = {};
      for (const p of PACKAGES) {
        const pack = await ws.run('npm', ['pack', `./packages/${p}`, '--pack-destination', consumer, '--loglevel=error']);
        expect(pack.code, pack.output).toBe(0);
        dependencies[`@chain/${p}`] = `file:./${pack.stdout.trim().split('\n').at(-1)}`;
      }
      writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }));
      const inConsumer = (command: string, args: string[]) => execFileSync(command, args, { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      inConsumer('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error']);
      expect(inConsumer(process.execPath, ['--input-type=module', '-e', "import { greet } from '@chain/c'; console.log(greet('consumer'))"])).toBe('hello consumer\n');
      expect(inConsumer(process.execPath, ['-e', "console.log(require('@chain/c').greet('consumer'))"])).toBe('hello consumer\n');
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });

  it('a failed a leaves b and c not built; Nx lists them as not run and the summary says why', async () => {
    removeOutputs();
    breakA();
    const run = await ws.nx(['run-many', '-t', 'build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/Tasks not run because their dependencies failed[^\n]*:\s+- @chain\/b:build\s+- @chain\/c:build/);
    expect(run.output).not.toMatch(/flaky/i);
    expect(result('a').status).toBe('failure');
    expect(ws.exists('packages/b/.build-system/result.json')).toBe(false);
    expect(ws.exists('packages/c/.build-system/result.json')).toBe(false);
    const summary = ws.json('.nx/build-system/runs/latest.json');
    expect(summary.tasks.map((t: { taskId: string; status: string }) => [t.taskId, t.status])).toEqual([['@chain/a:build', 'failure']]);
    expect(summary.notRun).toEqual(['@chain/b:build', '@chain/c:build']);
    expect(summary.blockedBy).toEqual({ '@chain/b:build': ['@chain/a:build'], '@chain/c:build': ['@chain/b:build'] });
  });

  it('in the terminal UI, the dependents of the failed a are shown as skipped, never as built', async () => {
    removeOutputs();
    breakA();
    const run = await ws.nxInTerminal(['run-many', '-t', 'build']);
    expect(run.code, run.output).not.toBe(0);
    // The live task list marks them skipped (⏭), the same as tasks Nx skips itself.
    expect(run.output).toMatch(/⏭\s+@chain\/b:build/);
    expect(run.output).toMatch(/⏭\s+@chain\/c:build/);
    expect(run.output).toMatch(/✖\s+nx run @chain\/a:build/);
    if (nx.startsWith('23.')) {
      // Nx 23's closing checklist ticks every task a batch was given, skipped or not (fixed in 24);
      // its counts are right.
      expect(run.output).toMatch(/2\/3 targets had not started/);
    } else {
      expect(run.output).toMatch(/⏭\s+nx run @chain\/b:build/);
      expect(run.output).toMatch(/⏭\s+nx run @chain\/c:build/);
      expect(run.output).not.toMatch(/✔\s+nx run @chain\/[bc]:build/);
      expect(run.output).toMatch(/2\/3 targets were skipped/);
    }
    expect(ws.exists('packages/b/.build-system/result.json')).toBe(false);
  });

  it('affected follows the inferred inputs: a source edit rebuilds a and its dependents, a test file edit nothing', async () => {
    fixA();
    const base = await ws.nx(['run-many', '-t', 'build']);
    expect(base.code, base.output).toBe(0);

    ws.write('packages/a/src/index.ts', 'export function greet(who: string): string {\n  return `hi ${who}`;\n}\n');
    const edited = await ws.nx(['affected', '-t', 'build', '--base=HEAD']);
    expect(edited.code, edited.output).toBe(0);
    const ran = ws.json('.nx/build-system/runs/latest.json').tasks;
    expect(Object.fromEntries(ran.map((t: { project: string; cacheHit: boolean }) => [t.project, t.cacheHit]))).toEqual({
      '@chain/a': false,
      '@chain/b': false,
      '@chain/c': false,
    });
    fixA();

    // production excludes *.test.ts: Nx 24 asks which tasks' inputs moved (none); Nx 23 asks which
    // projects changed (a, so a, b and c), and all three are cache hits.
    ws.write('packages/a/src/greet.test.ts', 'export {};\n');
    const testOnly = await ws.nx(['affected', '-t', 'build', '--base=HEAD']);
    expect(testOnly.code, testOnly.output).toBe(0);
    if (nx.startsWith('23.')) expect(testOnly.output).toMatch(/from the cache instead of running the command for 3 out of 3 tasks/);
    else expect(testOnly.output).toMatch(/No tasks were run/);
    ws.remove('packages/a/src/greet.test.ts');
  });
});
