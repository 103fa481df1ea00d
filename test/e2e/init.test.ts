import { mkdirSync, symlinkSync } from 'node:fs';
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

describe('nx g @repo/build-system:init and .gitignore', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), libraryFiles('packages/ui', '@demo/ui'), { plugins: [] });
    // The helper writes a .gitignore for its workspaces; this test starts without one.
    ws.remove('.gitignore');
  });
  afterAll(() => ws?.dispose());

  it('creates it when missing (shown by --dry-run first) and adds nothing the second time', async () => {
    const dry = await ws.nx(['g', '@repo/build-system:init', '--skipPackageJson', '--dry-run', '--no-interactive']);
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toContain('CREATE .gitignore');
    expect(ws.exists('.gitignore')).toBe(false);

    const first = await ws.nx(['g', '@repo/build-system:init', '--skipPackageJson', '--no-interactive']);
    expect(first.code, first.output).toBe(0);
    const written = ws.read('.gitignore');
    expect(written.split('\n')).toEqual(expect.arrayContaining(['.build-system/', '.nx/build-system/']));

    const second = await ws.nx(['g', '@repo/build-system:init', '--skipPackageJson', '--no-interactive']);
    expect(second.code, second.output).toBe(0);
    expect(second.output).not.toContain('.gitignore');
    expect(ws.read('.gitignore')).toBe(written);
  });
});

describe('init, a commit and two builds', () => {
  let ws: Workspace;
  const git = (...args: string[]) => ws.run('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args]);

  beforeAll(async () => {
    ws = Workspace.create(
      inject('installDir'),
      {
        ...libraryFiles('packages/ui', '@demo/ui'),
        ...libraryFiles('apps/web', '@demo/web', { dependencies: { '@demo/ui': '*' }, source: "export { greet } from '@demo/ui';\n" }),
      },
      { plugins: [] },
    );
    mkdirSync(ws.path('node_modules/@demo'));
    symlinkSync('../../packages/ui', ws.path('node_modules/@demo/ui'));
    // What create-nx-workspace writes: .nx/cache and .nx/workspace-data, not .nx or our folders.
    ws.write('.gitignore', 'node_modules\ndist\n.nx/cache\n.nx/workspace-data\n');
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
  });
  afterAll(() => ws?.dispose());

  it('before init, inference warns once that the result folders are not git-ignored', async () => {
    ws.write('nx.json', JSON.stringify({ ...ws.json('nx.json'), plugins: ['@repo/build-system/plugin'] }, null, 2));
    const show = await ws.nx(['show', 'projects']);
    expect(show.code, show.output).toBe(0);
    expect(show.output.match(/not git-ignored/g)).toHaveLength(1);
    expect(show.output).toContain('packages/ui/.build-system/');
    expect(show.output).toContain('apps/web/.build-system/');
    expect(show.output).toContain('.build-system/ .nx/build-system/');
    await git('checkout', 'nx.json');
  });

  it('leave git status clean, and the second build is all cache hits', async () => {
    const init = await ws.nx(['g', '@repo/build-system:init', '--skipPackageJson', '--no-interactive']);
    expect(init.code, init.output).toBe(0);
    await git('add', '-A');
    await git('commit', '-q', '-m', 'init');
    expect((await git('status', '--porcelain')).stdout).toBe('');

    const first = await ws.nx(['run-many', '-t', 'build']);
    expect(first.code, first.output).toBe(0);
    expect(first.output).not.toContain('not git-ignored');
    expect(ws.exists('apps/web/.build-system/result.json')).toBe(true);
    expect(ws.exists('.nx/build-system/runs/latest.json')).toBe(true);
    const second = await ws.nx(['run-many', '-t', 'build']);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/from the cache instead of running the command for 2 out of 2 tasks/);
    expect((await git('status', '--porcelain')).stdout).toBe('');
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
