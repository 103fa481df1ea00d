import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * Registration that cannot silently fail, and packages as real repositories have them, on each
 * supported Nx major, in a workspace npm installed itself: `nx add` where there is no nx.json yet,
 * a package whose "build" npm script would shadow the inferred target, the package root as the
 * plugin name, and an unbuild build.config.ts that inference must leave alone.
 */
const repo = join(__dirname, '../..');
const lockedVersion = (name: string): string => JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')).packages[`node_modules/${name}`].version;

const majors = [
  { nx: inject('nxVersion'), devkit: undefined },
  { nx: inject('nxVersionPrevious'), devkit: inject('nxVersionPrevious') },
];

describe.each(majors)('registration and npm build scripts on nx $nx', ({ nx: nxVersion, devkit }) => {
  let root: string;
  const env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
  const write = (rel: string, content: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  const json = (rel: string) => JSON.parse(readFileSync(join(root, rel), 'utf8'));
  const run = (command: string, args: string[], extraEnv: Record<string, string> = {}) => {
    try {
      return { code: 0, output: execFileSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      return { code: err.status ?? 1, output: `${err.stdout ?? ''}\n${err.stderr ?? ''}` };
    }
  };
  const nxWith = (extraEnv: Record<string, string>, ...args: string[]) => run(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args], extraEnv);
  const nx = (...args: string[]) => nxWith({}, ...args);
  const showProject = (name: string, extraEnv: Record<string, string> = {}) => {
    const shown = nxWith(extraEnv, 'show', 'project', name, '--json');
    expect(shown.code, shown.output).toBe(0);
    return JSON.parse(shown.output.slice(shown.output.indexOf('{'))) as { targets: Record<string, { executor: string; metadata?: { description?: string } }> };
  };
  const lib = (dir: string, name: string, scripts: Record<string, string>) => {
    write(`${dir}/package.json`, JSON.stringify({ name, version: '1.0.0', type: 'module', main: './dist/index.js', types: './dist/index.d.ts', scripts }, null, 2));
    write(`${dir}/src/index.ts`, 'export const answer = (): number => 42;\n');
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bs-e2e-registration-'));
    // Only package.json: no nx.json, as in a repository that is not an Nx workspace yet.
    write(
      'package.json',
      JSON.stringify(
        { name: 'adopter', private: true, workspaces: ['packages/*'], devDependencies: { nx: nxVersion, typescript: lockedVersion('typescript'), ...(devkit ? { '@nx/devkit': devkit } : {}) } },
        null,
        2,
      ),
    );
    write('.gitignore', 'node_modules\n.nx\ndist\n.build-system\n');
    write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true } }, null, 2));
    lib('packages/lib', '@demo/lib', { build: 'node -e "console.log(\'the old build script ran\')"', test: 'node -e ""' });
    write('packages/lib/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.json', include: ['src'] }, null, 2));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    expect(install.code, install.output).toBe(0);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('nx add in a workspace without nx.json creates it and registers the plugin', () => {
    expect(existsSync(join(root, 'nx.json'))).toBe(false);
    const add = nx('add', `@repo/build-system@file:${inject('tarball')}`);
    expect(add.code, add.output).toBe(0);
    expect(add.output).toContain('Created nx.json');
    expect(json('nx.json').plugins).toEqual([{ plugin: '@repo/build-system/plugin', options: { buildTargetName: 'build', cleanTargetName: 'clean' } }]);
  });

  it('configuration excludes the "build" npm script from Nx inference, says so, and run-many then builds with the plugin', () => {
    expect(showProject('@demo/lib').targets.build.executor).toBe('nx:run-script');
    const gen = nx('g', '@repo/build-system:configuration', '@demo/lib');
    expect(gen.code, gen.output).toBe(0);
    expect(gen.output).toMatch(/npm script "build" \(.*\) would replace the inferred build target; set nx\.includedScripts to \["test"\]/);
    expect(json('packages/lib/package.json').nx).toEqual({ includedScripts: ['test'] });
    // package.json names types: the config emits declarations.
    expect(readFileSync(join(root, 'packages/lib/build.config.ts'), 'utf8')).toContain('dts: true');

    const targets = showProject('@demo/lib').targets;
    expect(targets.build.executor).toBe('@repo/build-system:build');
    expect(targets.test.executor).toBe('nx:run-script');
    expect(targets.build.metadata?.description).not.toContain('SHADOWED');

    const build = nx('run-many', '-t', 'build');
    expect(build.code, build.output).toBe(0);
    expect(build.output).not.toContain('the old build script ran');
    expect(json('packages/lib/.build-system/result.json')).toMatchObject({ status: 'success' });
    for (const file of ['dist/index.js', 'dist/index.d.ts']) expect(existsSync(join(root, 'packages/lib', file)), file).toBe(true);
  });

  it('a hand-written config beside a "build" script: nx show project and list name the script', () => {
    lib('packages/legacy', '@demo/legacy', { build: 'tsc -p tsconfig.json', lint: 'node -e ""' });
    write('packages/legacy/build.config.ts', "import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({ entry: 'src/index.ts' });\n");
    const build = showProject('@demo/legacy').targets.build;
    expect(build.executor).toBe('nx:run-script');
    expect(build.metadata?.description).toContain('SHADOWED: the npm script "build" in package.json replaces this target');
    expect(build.metadata?.description).toContain('"nx": { "includedScripts": ["lint"] }');

    const list = run(process.execPath, ['node_modules/@repo/build-system/dist/cli.js', 'list', '--json']);
    expect(list.code, list.output).toBe(0);
    const legacy = JSON.parse(list.output).find((p: { project: string }) => p.project === '@demo/legacy');
    expect(legacy).toMatchObject({ shadowedBy: { executor: 'nx:run-script', script: 'build' } });
    rmSync(join(root, 'packages/legacy'), { recursive: true, force: true });
  });

  it('"plugins": ["@repo/build-system"] (the package root) infers the same targets', () => {
    const nxJson = json('nx.json');
    write('nx.json', JSON.stringify({ ...nxJson, plugins: ['@repo/build-system'] }, null, 2));
    try {
      const targets = showProject('@demo/lib').targets;
      expect(targets.build.executor).toBe('@repo/build-system:build');
      expect(targets.clean.executor).toBe('@repo/build-system:clean');
      try {
        expect(showProject('@demo/lib', { NX_DAEMON: 'true' }).targets.build.executor, 'daemon on').toBe('@repo/build-system:build');
      } finally {
        nxWith({ NX_DAEMON: 'true' }, 'daemon', '--stop');
      }
      const build = nx('run', '@demo/lib:build', '--skip-nx-cache');
      expect(build.code, build.output).toBe(0);
      expect(json('packages/lib/.build-system/result.json')).toMatchObject({ status: 'success' });
    } finally {
      write('nx.json', JSON.stringify(nxJson, null, 2));
    }
  });

  it('leaves a package with an unbuild build.config.ts alone: no targets of ours, no error, nothing listed', () => {
    write('packages/ub/package.json', JSON.stringify({ name: '@demo/ub', version: '1.0.0', scripts: { build: 'unbuild' } }, null, 2));
    write('packages/ub/build.config.ts', "import { defineBuildConfig } from 'unbuild';\n\nexport default defineBuildConfig({ entries: ['src/index'], declaration: true });\n");
    write('packages/ub/src/index.ts', 'export const ub = 1;\n');
    try {
      const shown = nx('show', 'project', '@demo/ub', '--json');
      expect(shown.code, shown.output).toBe(0);
      expect(shown.output).not.toMatch(/build-system|BS_/);
      const targets = JSON.parse(shown.output.slice(shown.output.indexOf('{'))).targets;
      expect(targets.build.executor).toBe('nx:run-script');
      expect(targets.clean).toBeUndefined();
      const verbose = nxWith({ NX_VERBOSE_LOGGING: 'true' }, 'show', 'project', '@demo/ub', '--json');
      expect(verbose.code, verbose.output).toBe(0);
      expect(verbose.output.match(/packages\/ub\/build\.config\.ts imports unbuild; not a @repo\/build-system config/g) ?? [], verbose.output).toHaveLength(1);

      const list = run(process.execPath, ['node_modules/@repo/build-system/dist/cli.js', 'list', '--json']);
      expect(list.code, list.output).toBe(0);
      expect(JSON.parse(list.output).map((p: { project: string }) => p.project)).toEqual(['@demo/lib']);
    } finally {
      rmSync(join(root, 'packages/ub'), { recursive: true, force: true });
    }
  });
});
