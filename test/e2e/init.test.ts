import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

describe('nx g @repo/build-system:init', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), libraryFiles('packages/ui', '@demo/ui'), { plugins: [] });
  });
  afterAll(() => ws?.dispose());

  it('registers the plugin once, however often it runs, and the package then has a build target', async () => {
    const before = await ws.nx(['show', 'project', '@demo/ui', '--json']);
    expect(JSON.parse(before.stdout).targets.build).toBeUndefined();

    for (let i = 0; i < 2; i++) {
      const run = await ws.nx(['g', '@repo/build-system:init', '--skipPackageJson', '--no-interactive']);
      expect(run.code, run.output).toBe(0);
    }
    const plugins = ws.json('nx.json').plugins;
    expect(plugins.filter((p: { plugin?: string }) => p.plugin === '@repo/build-system/plugin')).toHaveLength(1);

    const after = await ws.nx(['show', 'project', '@demo/ui', '--json']);
    expect(JSON.parse(after.stdout).targets.build.executor).toBe('@repo/build-system:build');
    const build = await ws.nx(['run', '@demo/ui:build']);
    expect(build.code, build.output).toBe(0);
  });
});

describe('nx g @repo/build-system:configuration', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      {
        'packages/lib/package.json': JSON.stringify({ name: '@demo/lib', version: '1.0.0', type: 'module' }),
        'packages/lib/src/index.ts': 'export const answer = () => 42;\n',
        'packages/old/package.json': JSON.stringify({ name: '@demo/old', version: '1.0.0' }),
        'packages/old/project.json': JSON.stringify({ name: '@demo/old', targets: { build: { command: 'echo old' } } }),
        'packages/old/src/index.ts': 'export const old = 1;\n',
      },
      { plugins: [] },
    );
  });
  afterAll(() => ws?.dispose());

  it('in CI takes the defaults, writes build.config.ts, and the package builds with no project.json target', async () => {
    const gen = await ws.nx(['g', '@repo/build-system:configuration', '@demo/lib', '--skipPackageJson'], { env: { CI: 'true' } });
    expect(gen.code, gen.output).toBe(0);
    expect(ws.read('packages/lib/build.config.ts')).toContain("entry: 'src/index.ts'");
    expect(ws.json('nx.json').plugins).toEqual([{ plugin: '@repo/build-system/plugin', options: { buildTargetName: 'build', cleanTargetName: 'clean' } }]);
    expect(ws.exists('packages/lib/project.json')).toBe(false);

    const build = await ws.nx(['run', '@demo/lib:build'], { env: { CI: 'true' } });
    expect(build.code, build.output).toBe(0);
    expect(ws.json('packages/lib/.build-system/result.json')).toMatchObject({ status: 'success', environment: 'ci' });
  });

  it('refuses to replace an existing config or build target unless --force', async () => {
    const again = await ws.nx(['g', '@repo/build-system:configuration', '@demo/lib', '--skipPackageJson'], { env: { CI: 'true' } });
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('already exists');

    const old = await ws.nx(['g', '@repo/build-system:configuration', '@demo/old', '--skipPackageJson'], { env: { CI: 'true' } });
    expect(old.code).not.toBe(0);
    expect(old.output).toContain('already has a "build" target');
    expect(ws.exists('packages/old/build.config.ts')).toBe(false);

    const forced = await ws.nx(['g', '@repo/build-system:configuration', '@demo/old', '--force', '--formats=esm,cjs', '--skipPackageJson'], {
      env: { CI: 'true' },
    });
    expect(forced.code, forced.output).toBe(0);
    expect(ws.json('packages/old/project.json').targets.build).toBeUndefined();
    expect(ws.read('packages/old/build.config.ts')).toContain("formats: ['esm', 'cjs']");
    const show = await ws.nx(['show', 'project', '@demo/old', '--json']);
    expect(JSON.parse(show.stdout).targets.build.executor).toBe('@repo/build-system:build');
  });
});
