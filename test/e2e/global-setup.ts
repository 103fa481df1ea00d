import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { NX_PREVIOUS_MAJOR } from './nx-versions';
import { PRESET_TS, PRESET_TS_TOOLS } from './preset-ts-fixture';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A node_modules with nx and the packed plugin, shared by every e2e workspace of this run. */
    installDir: string;
    /** The `npm pack` tarball of this plugin, made for this run (for `nx add <name>@file:<tarball>`). */
    tarball: string;
    /** The nx version every e2e workspace runs (the one this repo's lockfile pins). */
    nxVersion: string;
    /** The same install with the previous Nx major (nx and @nx/devkit), for the compatibility set. */
    installDirPrevious: string;
    nxVersionPrevious: string;
    /** What a create-nx-workspace --preset=ts workspace installs (its nx, @nx/js, typescript), the plugin, and the dev tools of test/e2e/preset-ts.test.ts. */
    installDirPresetTs: string;
  }
}

const repo = resolve(__dirname, '../..');

/**
 * Installs once per test run what every e2e workspace needs: the third-party packages (cached
 * across runs in the OS temp dir, keyed by their versions) and this plugin from the tarball
 * `npm pack` makes now, unpacked where `npm install <tarball>` would put it. Twice: with the Nx
 * this repo develops against, and with the previous major it still supports; and once more with
 * what a create-nx-workspace --preset=ts workspace has (preset-ts-fixture.ts).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  const locked = (name: string) => lock.packages[`node_modules/${name}`]?.version as string;
  const pluginDeps = Object.fromEntries(Object.keys(pkg.dependencies).map((d) => [d, locked(d)]));
  const deps: Record<string, string> = {
    nx: locked('nx'),
    typescript: locked('typescript'),
    // Linked into a workspace only when a test asks for bun (see Workspace.create).
    bun: locked('bun'),
    rollup: locked('rollup'),
    rolldown: locked('rolldown'),
    // dts through oxc's isolated declarations (test/e2e/declarations.test.ts).
    'oxc-transform': locked('oxc-transform'),
    // A package's own rollup.config with @rollup/plugin-typescript (test/e2e/bundleless.test.ts).
    '@rollup/plugin-typescript': locked('@rollup/plugin-typescript'),
    tslib: locked('tslib'),
    ...pluginDeps,
  };
  // The plugin's @nx/devkit range dedupes with the workspace's: pin it to the nx of each install.
  const previous = { ...deps, nx: NX_PREVIOUS_MAJOR, '@nx/devkit': NX_PREVIOUS_MAJOR };
  // A third install for test/e2e/preset-ts.test.ts: the versions create-nx-workspace installs, no bun, rollup or rolldown.
  const presetTs = { ...pluginDeps, ...PRESET_TS.versions, ...PRESET_TS_TOOLS };

  const packDir = mkdtempSync(join(tmpdir(), 'build-system-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');

  const installDir = installOnce(deps, join(packDir, tarball));
  const installDirPrevious = installOnce(previous, join(packDir, tarball));
  const installDirPresetTs = installOnce(presetTs, join(packDir, tarball));

  project.provide('installDir', installDir);
  project.provide('tarball', join(packDir, tarball));
  project.provide('nxVersion', deps.nx);
  project.provide('installDirPrevious', installDirPrevious);
  project.provide('nxVersionPrevious', previous.nx);
  project.provide('installDirPresetTs', installDirPresetTs);
  return () => rmSync(packDir, { recursive: true, force: true });
}

/** The packages of `deps` in a temp folder kept between runs, with this run's plugin unpacked into it. */
function installOnce(deps: Record<string, string>, tarball: string): string {
  const key = createHash('sha256').update(JSON.stringify(deps)).digest('hex').slice(0, 12);
  const installDir = join(tmpdir(), `build-system-e2e-${key}`);
  if (!existsSync(join(installDir, '.complete'))) {
    const staging = mkdtempSync(join(tmpdir(), 'build-system-e2e-install-'));
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'e2e-install', private: true, dependencies: deps }, null, 2));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, stdio: 'inherit' });
    writeFileSync(join(staging, '.complete'), '');
    rmSync(installDir, { recursive: true, force: true });
    renameSync(staging, installDir);
  }
  const target = join(installDir, 'node_modules/@repo/build-system');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', target, '--strip-components=1']);
  return installDir;
}
