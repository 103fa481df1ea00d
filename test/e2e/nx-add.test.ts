import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * The adoption path, with nothing linked in, on each supported Nx major: a workspace that npm
 * installed itself, a plain `npm i -D` of the packed plugin (no flags: the peer range must accept
 * the workspace's nx), `nx add` (npm installs it and Nx runs our init generator), the configuration
 * generator in CI mode, then a build with no project.json anywhere, daemon off and on.
 * `nx add <name>@<spec>` hands the spec to `npm install -D`, so a `file:` tarball stands in for the
 * registry; npm's cache is warm from global-setup's install, the registry is only asked about versions.
 *
 * The previous major's workspace has its own @nx/devkit, as one made by create-nx-workspace has
 * (through @nx/js): the plugin's @nx/devkit range must dedupe with it.
 */
const majors = [
  { nx: inject('nxVersion'), devkit: undefined },
  { nx: inject('nxVersionPrevious'), devkit: inject('nxVersionPrevious') },
];

describe.each(majors)('nx add @repo/build-system on nx $nx (real npm install of the packed plugin)', ({ nx: nxVersion, devkit }) => {
  let root: string;
  const env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
  const write = (rel: string, content: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  const json = (rel: string) => JSON.parse(readFileSync(join(root, rel), 'utf8'));
  const run = (command: string, args: string[]) => {
    try {
      return { code: 0, output: execFileSync(command, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      return { code: err.status ?? 1, output: `${err.stdout ?? ''}\n${err.stderr ?? ''}` };
    }
  };
  const nx = (...args: string[]) => run(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args]);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bs-e2e-nx-add-'));
    write(
      'package.json',
      JSON.stringify(
        { name: 'adopter', private: true, workspaces: ['packages/*'], devDependencies: { nx: nxVersion, ...(devkit ? { '@nx/devkit': devkit } : {}) } },
        null,
        2,
      ),
    );
    write('nx.json', JSON.stringify({ analytics: false, namedInputs: { default: ['{projectRoot}/**/*'], production: ['default'] } }, null, 2));
    write('.gitignore', 'node_modules\n.nx\ndist\n.build-system\n');
    write('packages/lib/package.json', JSON.stringify({ name: '@demo/lib', version: '1.0.0', type: 'module' }, null, 2));
    write('packages/lib/src/index.ts', 'export const answer = (): number => 42;\n');
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    expect(install.code, install.output).toBe(0);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('installs with a plain npm i -D, no flags, and keeps one @nx/devkit', () => {
    const install = run('npm', ['install', '-D', inject('tarball'), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    expect(install.code, install.output).toBe(0);
    expect(install.output).not.toMatch(/ERESOLVE|peer dep/i);
    const devkits = run('npm', ['ls', '@nx/devkit', '--all', '--parseable']).output.split('\n').filter((l) => l.includes('@nx/devkit'));
    expect(devkits, 'one copy of @nx/devkit').toHaveLength(1);
    if (devkit) expect(json('node_modules/@nx/devkit/package.json').version).toBe(devkit);
    expect(json('node_modules/nx/package.json').version).toBe(nxVersion);
  });

  it('installs the plugin, registers it, and a package then builds with no project.json target', () => {
    const before = nx('show', 'projects', '--with-target', 'build', '--json');
    expect(before.code, before.output).toBe(0);
    expect(JSON.parse(before.output.slice(before.output.indexOf('[')))).toEqual([]);

    const add = nx('add', `@repo/build-system@file:${inject('tarball')}`);
    expect(add.code, add.output).toBe(0);
    expect(add.output).toContain('Package @repo/build-system added successfully');
    const pkg = json('package.json');
    expect(pkg.devDependencies['@repo/build-system']).toMatch(/^file:.*\.tgz$/);
    expect(pkg.devDependencies.esbuild).toBeDefined();
    expect(pkg.dependencies).toBeUndefined();
    expect(json('node_modules/@repo/build-system/package.json').name).toBe('@repo/build-system');
    expect(json('nx.json').plugins).toEqual([{ plugin: '@repo/build-system/plugin', options: { buildTargetName: 'build', cleanTargetName: 'clean' } }]);

    // nx add again: the init generator is idempotent, the plugin stays registered once.
    const again = nx('add', `@repo/build-system@file:${inject('tarball')}`);
    expect(again.code, again.output).toBe(0);
    expect(json('nx.json').plugins).toHaveLength(1);
    const init = nx('g', '@repo/build-system:init', '--no-interactive');
    expect(init.code, init.output).toBe(0);
    expect(json('nx.json').plugins).toHaveLength(1);

    const gen = nx('g', '@repo/build-system:configuration', '@demo/lib');
    expect(gen.code, gen.output).toBe(0);
    expect(readFileSync(join(root, 'packages/lib/build.config.ts'), 'utf8')).toContain("entry: 'src/index.ts'");

    const show = nx('show', 'project', '@demo/lib', '--json');
    expect(show.code, show.output).toBe(0);
    const targets = JSON.parse(show.output.slice(show.output.indexOf('{'))).targets;
    expect(targets.build.executor).toBe('@repo/build-system:build');
    expect(targets.clean.executor).toBe('@repo/build-system:clean');

    const build = nx('run', '@demo/lib:build');
    expect(build.code, build.output).toBe(0);
    expect(json('packages/lib/.build-system/result.json')).toMatchObject({ status: 'success', environment: 'ci', exitCode: 0 });
    expect(readFileSync(join(root, 'packages/lib/dist/index.js'), 'utf8')).toContain('42');
    for (const p of ['packages/lib/project.json', 'project.json']) expect(() => readFileSync(join(root, p))).toThrow();
  });

  it('builds the same with the daemon on, then restores it from the cache', () => {
    const withDaemon = (...args: string[]) => {
      env.NX_DAEMON = 'true';
      try {
        return nx(...args);
      } finally {
        env.NX_DAEMON = 'false';
      }
    };
    try {
      const cold = withDaemon('run', '@demo/lib:build', '--skip-nx-cache');
      expect(cold.code, cold.output).toBe(0);
      expect(json('packages/lib/.build-system/result.json')).toMatchObject({ status: 'success', environment: 'ci' });
      rmSync(join(root, 'packages/lib/dist'), { recursive: true, force: true });
      const warm = withDaemon('run', '@demo/lib:build');
      expect(warm.code, warm.output).toBe(0);
      expect(warm.output).toMatch(/existing outputs match the cache|local cache|from the cache/);
      expect(readFileSync(join(root, 'packages/lib/dist/index.js'), 'utf8')).toContain('42');
    } finally {
      withDaemon('daemon', '--stop');
    }
  });
});
