import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Workspace } from './workspace';

/**
 * The workspace `npx create-nx-workspace@23.2.1 <name> --preset=ts --pm=<npm|pnpm> --nxCloud=skip
 * --interactive=false` writes (the newest create-nx-workspace on this registry), with two libs made
 * by `nx g @nx/js:lib packages/<lib> --no-interactive` (defaults: bundler tsc, no linter, no test
 * runner), after `nx add @repo/build-system`. Recorded from real runs; only what the plugin reads is
 * kept (no README, .prettierrc, .vscode). On top of what Nx writes, as real packages have: b imports
 * a by its package name (with the project reference `nx sync` adds), and each package.json has a
 * `build` npm script.
 */
export const PRESET_TS = {
  createNxWorkspace: '23.2.1',
  /** The root devDependencies it writes, pinned to what it installed (the install is cached by them). */
  versions: { nx: '23.2.1', '@nx/js': '23.2.1', '@nx/devkit': '23.2.1', typescript: '6.0.3', tslib: '2.9.1', '@types/node': '22.20.7' },
} as const;

/** Dev tools the preset-ts test runs, installed beside the workspace packages (never plugin dependencies). */
export const PRESET_TS_TOOLS = { publint: '0.3.25', '@arethetypeswrong/cli': '0.18.5', pnpm: '12.23.0' } as const;

export type PackageManager = 'npm' | 'pnpm';

/** The workspace name; Nx derives the package scope and the source condition from it. */
export const PRESET_NAME = 'preset';
export const LIBS = ['a', 'b'] as const;
export const packageName = (lib: string) => `@${PRESET_NAME}/${lib}`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every file of the workspace, relative to its root. `plugin` is the spec of @repo/build-system (a file: tarball). */
/**
 * `nx`: the Nx the workspace runs. The preset's own (23.2.1, with @nx/js and its TypeScript plugin),
 * or another, e.g. the workspace moved to Nx 24, where this registry has no @nx/js: then the
 * @nx/js entries are left out and the layout (tsconfigs, package.json files) stays as written.
 */
export interface PresetNx {
  version: string;
  withNxJs: boolean;
  /**
   * An install holding the preset's other devDependencies (@types/node, tslib), for a workspace
   * linked to an install that lacks them: the libs' tsconfig.lib.json names `types: ["node"]`.
   */
  presetInstallDir?: string;
}

export const PRESET_OWN_NX: PresetNx = { version: PRESET_TS.versions.nx, withNxJs: true };

export function presetTsFiles(pm: PackageManager, plugin: { spec: string; esbuild: string }, nx: PresetNx = PRESET_OWN_NX): Record<string, string> {
  const v = PRESET_TS.versions;
  const files: Record<string, string> = {
    'package.json': json({
      name: `@${PRESET_NAME}/source`,
      version: '0.0.0',
      license: 'MIT',
      scripts: {},
      private: true,
      dependencies: {},
      devDependencies: {
        ...(nx.withNxJs ? { '@nx/js': v['@nx/js'] } : {}),
        // What `nx add @repo/build-system` adds; already here, the generator installs nothing.
        '@repo/build-system': plugin.spec,
        '@types/node': '^22.0.0',
        esbuild: plugin.esbuild,
        nx: nx.version,
        tslib: '^2.3.0',
        typescript: '~6.0.3',
      },
      // npm gets workspaces here; pnpm gets pnpm-workspace.yaml instead.
      ...(pm === 'npm' ? { workspaces: ['packages/*'] } : {}),
    }),
    'nx.json': json({
      $schema: './node_modules/nx/schemas/nx-schema.json',
      analytics: false,
      namedInputs: { default: ['{projectRoot}/**/*', 'sharedGlobals'], production: ['default'], sharedGlobals: [] },
      plugins: [
        ...(nx.withNxJs
          ? [
              {
                plugin: '@nx/js/typescript',
                options: {
                  typecheck: { targetName: 'typecheck' },
                  build: { targetName: 'build', configName: 'tsconfig.lib.json', buildDepsName: 'build-deps', watchDepsName: 'watch-deps' },
                },
              },
            ]
          : []),
        // What `nx add @repo/build-system` (its init generator) registers.
        { plugin: '@repo/build-system/plugin', options: { buildTargetName: 'build', cleanTargetName: 'clean' } },
      ],
    }),
    'tsconfig.base.json': json({
      compilerOptions: {
        composite: true,
        declarationMap: true,
        emitDeclarationOnly: true,
        importHelpers: true,
        isolatedModules: true,
        lib: ['es2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        noEmitOnError: true,
        noFallthroughCasesInSwitch: true,
        noImplicitOverride: true,
        noImplicitReturns: true,
        noUnusedLocals: true,
        skipLibCheck: true,
        strict: true,
        target: 'es2022',
        // Nx 23.2 names the source condition after the workspace, not `development`.
        customConditions: [`@${PRESET_NAME}/source`],
      },
    }),
    'tsconfig.json': json({ extends: './tsconfig.base.json', compileOnSave: false, files: [], references: LIBS.map((l) => ({ path: `./packages/${l}` })) }),
    // The lines of create-nx-workspace's .gitignore that matter here, and those `nx add` appends.
    '.gitignore': 'dist\ntmp\nout-tsc\nnode_modules\n.nx/cache\n.nx/workspace-data\n\n# @repo/build-system: build results per package, run summaries\n.build-system/\n.nx/build-system/\n',
    ...libFiles('a', pm),
    ...libFiles('b', pm, 'a'),
  };
  // create-nx-workspace allows nx's build script. esbuild (a dependency of the plugin) is added
  // the way `pnpm approve-builds` does: pnpm 12 fails the install (ERR_PNPM_IGNORED_BUILDS) until then.
  if (pm === 'pnpm') files['pnpm-workspace.yaml'] = "packages:\n  - 'packages/*'\n\nautoInstallPeers: true\nallowBuilds:\n  nx: true\n  esbuild: true\n";
  return files;
}

/** One `nx g @nx/js:lib packages/<lib>`; with `dependency`, the lib imports that one by name. */
function libFiles(lib: string, pm: PackageManager, dependency?: string): Record<string, string> {
  const dir = `packages/${lib}`;
  const body = dependency ? `  return '${lib}' + ${dependency}();` : `  return '${lib}';`;
  return {
    [`${dir}/package.json`]: json({
      name: packageName(lib),
      version: '0.0.1',
      private: true,
      type: 'module',
      main: './dist/index.js',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      exports: {
        './package.json': './package.json',
        '.': { [`@${PRESET_NAME}/source`]: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
      },
      // Not from Nx: a real package's own build command, the one @nx/js/typescript infers.
      scripts: { build: 'tsc --build tsconfig.lib.json' },
      dependencies: { tslib: '^2.3.0', ...(dependency ? { [packageName(dependency)]: pm === 'pnpm' ? 'workspace:*' : '*' } : {}) },
    }),
    [`${dir}/tsconfig.json`]: json({ extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.lib.json' }] }),
    [`${dir}/tsconfig.lib.json`]: json({
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        rootDir: 'src',
        outDir: 'dist',
        tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo',
        emitDeclarationOnly: false,
        forceConsistentCasingInFileNames: true,
        types: ['node'],
      },
      include: ['src/**/*.ts'],
      references: dependency ? [{ path: `../${dependency}/tsconfig.lib.json` }] : [],
    }),
    [`${dir}/src/index.ts`]: `export * from './lib/${lib}.js';\n`,
    [`${dir}/src/lib/${lib}.ts`]: `${dependency ? `import { ${dependency} } from '${packageName(dependency)}';\n\n` : ''}export function ${lib}(): string {\n${body}\n}\n`,
  };
}

/**
 * The fixture as a workspace. npm: node_modules links to the install global-setup made once per run
 * (with the workspace links npm would make). pnpm: a real `pnpm install`, its store kept between
 * runs in the OS temp dir, so only the first run downloads.
 */
export function createPresetTsWorkspace(pm: PackageManager, installDir: string, tarball: string, nx: PresetNx = PRESET_OWN_NX): Workspace {
  const esbuild = JSON.parse(readFileSync(join(installDir, 'node_modules/@repo/build-system/package.json'), 'utf8')).dependencies.esbuild as string;
  const files = presetTsFiles(pm, { spec: `file:${tarball}`, esbuild }, nx);
  if (pm === 'npm') {
    const ws = Workspace.create(installDir, files);
    for (const dep of ['@types/node', 'tslib']) {
      if (nx.presetInstallDir && !existsSync(ws.path(`node_modules/${dep}`))) {
        mkdirSync(dirname(ws.path(`node_modules/${dep}`)), { recursive: true });
        symlinkSync(join(nx.presetInstallDir, 'node_modules', dep), ws.path(`node_modules/${dep}`));
      }
    }
    mkdirSync(ws.path(`node_modules/@${PRESET_NAME}`));
    for (const lib of LIBS) symlinkSync(`../../packages/${lib}`, ws.path(`node_modules/${packageName(lib)}`));
    return ws;
  }
  const ws = Workspace.adopt(mkdtempSync(join(tmpdir(), 'bs-e2e-preset-pnpm-')));
  for (const [path, content] of Object.entries(files)) ws.write(path, content);
  try {
    execFileSync(pnpmBin(installDir), ['install', ...pnpmCache.flags], { cwd: ws.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...pnpmCache.env, CI: 'true' } });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    rmSync(ws.root, { recursive: true, force: true });
    throw new Error(`pnpm install in the preset-ts fixture failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
  return ws;
}

/** pnpm's own bin folder (pnpm, pnpx), not the install's node_modules/.bin. */
export const pnpmBin = (installDir: string) => join(installDir, 'node_modules/pnpm/pnpm');

/** A store and metadata cache kept between runs (keyed by the pnpm version), so later installs download nothing. */
const pnpmCacheDir = join(tmpdir(), `build-system-e2e-pnpm-${PRESET_TS_TOOLS.pnpm}`);
export const pnpmCache = {
  flags: ['--store-dir', join(pnpmCacheDir, 'store'), '--prefer-offline', '--reporter=append-only'],
  env: { PNPM_CONFIG_CACHE_DIR: join(pnpmCacheDir, 'cache') },
};
