// Synthetic npm-workspaces monorepos for the benchmark: N packages of M TypeScript modules, wired
// to a dependency DAG drawn from a fixed-seed PRNG, with one of four kinds of build wiring.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const VARIANTS = ['plugin', 'run-commands', 'nx-esbuild', 'nx-tsc'];
/** Variants whose build writes dist/index.d.ts. */
const DECLARING_VARIANTS = ['nx-tsc', 'nx-js-typescript', 'plugin-dts'];
/**
 * Variants only the project-graph scenarios use (never in the default run): `nx-js-typescript` is
 * Nx's own `@nx/js/typescript` inference plugin, the closest counterpart of this plugin's inference.
 */
export const GRAPH_ONLY_VARIANTS = ['nx-js-typescript'];
/**
 * The floors of the single-package scenarios: an executor that runs no builder (it writes a one-line
 * dist/index.js), forked by Nx like every executor but `nx:run-commands`. `noop` wires it in
 * project.json; `noop-inferred` infers it from build.config.ts with a minimal createNodes plugin (no
 * hooks, no config loading), so it adds exactly what any inference plugin costs: Nx's plugin worker.
 */
export const FLOOR_VARIANTS = ['noop', 'noop-inferred'];
/** The plugin with `runSummary: false` (no postTasksExecution hook): single-package scenarios only. */
export const OPTION_VARIANTS = ['plugin-no-summary'];
/** The plugin with `dts: true`: the declaration scenarios. */
export const DTS_VARIANTS = ['plugin-dts'];
/**
 * The peer builders' CLIs, as extra targets of the run-commands workspace (so they build the very
 * packages the esbuild rows build): target name → command, run in the package folder. Only written
 * when the workspace is linked to the peers install (createWorkspace's `peersDir`).
 */
export const PEER_TARGETS = {
  'build-tsdown': 'tsdown src/index.ts --format esm --platform node -d dist --no-fixed-extension --no-config --no-dts --logLevel warn',
  'build-tsdown-dts': 'tsdown src/index.ts --format esm --platform node -d dist --no-fixed-extension --no-config --dts --logLevel warn',
  'build-tsup': 'tsup src/index.ts --format esm --platform node -d dist --silent',
  'build-tsup-dts': 'tsup src/index.ts --format esm --platform node -d dist --dts --silent',
  'build-rolldown': 'rolldown src/index.ts -f esm -p node -d dist',
};
const PEER_PACKAGES = ['tsdown', 'tsup', 'rolldown'];
export const ALL_WORKSPACE_VARIANTS = [...VARIANTS, ...GRAPH_ONLY_VARIANTS, ...FLOOR_VARIANTS, ...OPTION_VARIANTS, ...DTS_VARIANTS];

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const packageName = (i) => `p${String(i).padStart(3, '0')}`;

/**
 * Parents of each package: package i depends on up to 3 packages with a lower index, so p000 is
 * always a root with no dependencies (a single-package build really builds one package).
 */
export function dependencyDag(n, seed = 42) {
  const rand = prng(seed);
  const parents = [];
  for (let i = 0; i < n; i++) {
    const wanted = i === 0 ? 0 : Math.min(i, Math.floor(rand() * 4));
    const set = new Set();
    while (set.size < wanted) set.add(Math.floor(rand() * i));
    parents.push([...set].sort((a, b) => a - b));
  }
  return parents;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    declaration: true,
    skipLibCheck: true,
    types: [],
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src/**/*.ts'],
};

/**
 * Writes a workspace at `root` for one variant and links it to the toolchain install.
 * `toolchainDir` is the cached npm install (its node_modules and package-lock.json are reused);
 * `peersDir`, the peers install (preparePeers): with it, the run-commands workspace gets PEER_TARGETS.
 */
export function createWorkspace(root, { variant, packages, modules, toolchainDir, peersDir, seed = 42, skipModules = [] }) {
  if (!ALL_WORKSPACE_VARIANTS.includes(variant)) throw new Error(`Unknown variant "${variant}"; expected one of ${ALL_WORKSPACE_VARIANTS.join(', ')}.`);
  const dag = dependencyDag(packages, seed);
  mkdirSync(root, { recursive: true });

  const toolchainPkg = JSON.parse(readFileSync(join(toolchainDir, 'package.json'), 'utf8'));
  writeJson(join(root, 'package.json'), {
    name: 'bench-workspace',
    private: true,
    workspaces: ['packages/*'],
    devDependencies: toolchainPkg.devDependencies ?? {},
  });
  writeJson(join(root, 'nx.json'), {
    $schema: './node_modules/nx/schemas/nx-schema.json',
    namedInputs: { default: ['{projectRoot}/**/*'], production: ['default'] },
    // Nx 23.3 and 24 keep the cache (and its database) of a git repository with a commit in
    // ~/.nx/<repo id>/, shared and never removed; a configured folder keeps both in the workspace
    // (Nx 24 checks who owns a configured folder, but not one inside the workspace).
    cacheDirectory: '.nx/cache',
    ...(variant === 'plugin' || variant === 'plugin-dts' ? { plugins: ['@repo/build-system/plugin'] } : {}),
    ...(variant === 'noop-inferred' ? { plugins: ['bench-noop/plugin'] } : {}),
    ...(variant === 'plugin-no-summary' ? { plugins: [{ plugin: '@repo/build-system/plugin', options: { runSummary: false } }] } : {}),
    ...(variant === 'nx-js-typescript' ? { plugins: [{ plugin: '@nx/js/typescript', options: { build: { targetName: 'build' } } }] } : {}),
  });
  if (variant === 'nx-js-typescript') {
    // The TypeScript project-references layout @nx/js/typescript expects (what `create-nx-workspace
    // --preset=ts` writes): shared options in tsconfig.base.json, a solution tsconfig.json at the root.
    writeJson(join(root, 'tsconfig.base.json'), TS_SOLUTION_BASE);
    writeJson(join(root, 'tsconfig.json'), {
      extends: './tsconfig.base.json',
      compileOnSave: false,
      files: [],
      references: Array.from({ length: packages }, (_, i) => ({ path: `./packages/${packageName(i)}` })),
    });
  }
  writeFileSync(join(root, '.gitignore'), 'node_modules\ndist\n.nx\n.build-system\n');
  // Nx needs the lockfile to hash externalDependencies inputs.
  copyFileSync(join(toolchainDir, 'package-lock.json'), join(root, 'package-lock.json'));
  linkNodeModules(root, toolchainDir, packages, skipModules, peersDir);
  if (FLOOR_VARIANTS.includes(variant)) writeNoopPackage(root);

  for (let i = 0; i < packages; i++) {
    const name = packageName(i);
    const dir = join(root, 'packages', name);
    const parents = dag[i].map(packageName);
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeJson(join(dir, 'package.json'), {
      name,
      version: '0.0.0',
      private: true,
      type: 'module',
      main: './dist/index.js',
      // Only the variants that write declarations name them: the plugin checks every entry point
      // of package.json against what its build wrote (the package contract).
      ...(DECLARING_VARIANTS.includes(variant)
        ? { types: './dist/index.d.ts', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }
        : { exports: { '.': { default: './dist/index.js' } } }),
      dependencies: Object.fromEntries(parents.map((p) => [p, '*'])),
    });
    if (variant === 'nx-js-typescript') writeTsSolutionConfigs(dir, parents);
    else writeJson(join(dir, 'tsconfig.json'), TSCONFIG);
    writeSources(join(dir, 'src'), name, parents, modules);
    writeBuildWiring(dir, variant, name, parents, { peers: Boolean(peersDir) });
  }
  // A real workspace is a git repository; Nx reads .gitignore to leave dist/ out of hashes and watches.
  // The first commit is the base `nx affected --base=HEAD` compares the working tree with.
  const git = (...args) => execFileSync('git', args, { cwd: root, stdio: 'ignore', env: { ...process.env, ...GIT_IDENTITY } });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', 'bench workspace');
  return { root, dag };
}

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@localhost',
};

/**
 * node_modules/bench-noop: the floor executor and its inference plugin. A real folder in
 * node_modules, like an installed package: a plugin that resolves to a path inside the workspace
 * is a local plugin to Nx, which loads it through its TypeScript transpiler (slower).
 */
function writeNoopPackage(root) {
  const dir = join(root, 'node_modules', 'bench-noop');
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, 'package.json'), { name: 'bench-noop', version: '0.0.0', private: true, executors: './executors.json' });
  writeJson(join(dir, 'executors.json'), { executors: { build: { implementation: './build.js', schema: './schema.json', description: 'Writes dist/index.js; runs no builder.' } } });
  writeJson(join(dir, 'schema.json'), { $schema: 'https://json-schema.org/schema', type: 'object', properties: {} });
  writeFileSync(
    join(dir, 'build.js'),
    [
      "const { mkdirSync, writeFileSync } = require('node:fs');",
      "const { join } = require('node:path');",
      'module.exports = async function build(_options, context) {',
      '  const root = context.projectsConfigurations.projects[context.projectName].root;',
      "  mkdirSync(join(context.root, root, 'dist'), { recursive: true });",
      "  writeFileSync(join(context.root, root, 'dist', 'index.js'), 'export {};\\n');",
      '  return { success: true };',
      '};',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'plugin.js'),
    [
      "const { dirname } = require('node:path');",
      "exports.name = 'bench-noop';",
      'exports.createNodes = [',
      "  '**/build.config.ts',",
      '  async (files) =>',
      '    files.map((file) => [',
      '      file,',
      "      { projects: { [dirname(file)]: { targets: { build: { executor: 'bench-noop:build', cache: true, dependsOn: ['^build'], outputs: ['{projectRoot}/dist'] } } } } },",
      '    ]),',
      '];',
      '',
    ].join('\n'),
  );
}

const TS_SOLUTION_BASE = {
  compilerOptions: {
    composite: true,
    declarationMap: true,
    emitDeclarationOnly: false,
    importHelpers: false,
    isolatedModules: true,
    lib: ['es2022'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    noEmitOnError: true,
    skipLibCheck: true,
    strict: true,
    target: 'ES2022',
    types: [],
    declaration: true,
  },
};

/** Per package: a tsconfig.json that only references tsconfig.lib.json, the build config. */
function writeTsSolutionConfigs(dir, parents) {
  writeJson(join(dir, 'tsconfig.json'), {
    extends: '../../tsconfig.base.json',
    files: [],
    include: [],
    references: [{ path: './tsconfig.lib.json' }],
  });
  writeJson(join(dir, 'tsconfig.lib.json'), {
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo' },
    include: ['src/**/*.ts'],
    // What `nx sync` (@nx/js:typescript-sync) writes for workspace dependencies.
    references: parents.map((p) => ({ path: `../${p}/tsconfig.lib.json` })),
  });
}

function writeBuildWiring(dir, variant, name, parents, { peers }) {
  const projectRoot = `packages/${name}`;
  if (variant === 'nx-js-typescript') return; // targets inferred from tsconfig.lib.json
  if (variant === 'plugin' || variant === 'plugin-no-summary' || variant === 'noop-inferred') {
    writeFileSync(join(dir, 'build.config.ts'), "export default { entry: 'src/index.ts', formats: ['esm'] };\n");
    return;
  }
  if (variant === 'plugin-dts') {
    writeFileSync(join(dir, 'build.config.ts'), "export default { entry: 'src/index.ts', formats: ['esm'], dts: true };\n");
    return;
  }
  const common = { cache: true, dependsOn: ['^build'], outputs: ['{projectRoot}/dist'] };
  let build;
  const targets = {};
  if (variant === 'run-commands') {
    build = {
      executor: 'nx:run-commands',
      ...common,
      options: {
        command: 'esbuild src/index.ts --bundle --format=esm --platform=node --outdir=dist --packages=external',
        cwd: projectRoot,
      },
    };
    // The same package through tsc, for the single-package comparison with @nx/js:tsc.
    targets['build-tsc'] = {
      executor: 'nx:run-commands',
      cache: true,
      dependsOn: ['^build-tsc'],
      outputs: ['{projectRoot}/dist'],
      options: { command: 'tsc -p tsconfig.json', cwd: projectRoot },
    };
    if (peers) {
      for (const [target, command] of Object.entries(PEER_TARGETS)) {
        // rolldown's CLI does not read package.json: the workspace packages are named external.
        const external = target === 'build-rolldown' && parents.length ? ` -e ${parents.join(',')}` : '';
        targets[target] = { executor: 'nx:run-commands', cache: true, dependsOn: [`^${target}`], outputs: ['{projectRoot}/dist'], options: { command: command + external, cwd: projectRoot } };
      }
    }
  } else if (variant === 'noop') {
    build = { executor: 'bench-noop:build', ...common, options: {} };
  } else if (variant === 'nx-esbuild') {
    build = {
      executor: '@nx/esbuild:esbuild',
      ...common,
      options: {
        main: `${projectRoot}/src/index.ts`,
        outputPath: `${projectRoot}/dist`,
        tsConfig: `${projectRoot}/tsconfig.json`,
        format: ['esm'],
        platform: 'node',
        bundle: true,
        thirdParty: false,
        // Workspace packages too: the same as esbuild's --packages=external.
        external: parents,
        // The esbuild CLI neither type-checks nor emits declarations (the shared tsconfig asks for
        // them, and @nx/esbuild would turn type-checking back on to produce them).
        skipTypeCheck: true,
        declaration: false,
        generatePackageJson: false,
      },
    };
  } else {
    build = {
      executor: '@nx/js:tsc',
      ...common,
      options: {
        main: `${projectRoot}/src/index.ts`,
        outputPath: `${projectRoot}/dist`,
        tsConfig: `${projectRoot}/tsconfig.json`,
        rootDir: `${projectRoot}/src`,
        generatePackageJson: false,
      },
    };
  }
  writeJson(join(dir, 'project.json'), {
    name,
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    sourceRoot: `${projectRoot}/src`,
    projectType: 'library',
    targets: { build, ...targets },
  });
}

/**
 * index.ts re-exports every module; module k imports module k-1 and, for module 0, each parent
 * package. Enough real TypeScript (interfaces, generics, classes) for builders to do some work.
 */
function writeSources(srcDir, name, parents, modules) {
  const mod = (k) => `m${String(k).padStart(3, '0')}`;
  for (let k = 0; k < modules; k++) {
    const lines = [];
    if (k === 0) {
      parents.forEach((p) => lines.push(`import { value as ${p}Value } from '${p}';`));
    } else {
      lines.push(`import { ${mod(k - 1)}Total } from './${mod(k - 1)}.js';`);
    }
    const upstream = k === 0 ? parents.map((p) => `${p}Value`).join(' + ') || '0' : `${mod(k - 1)}Total`;
    lines.push(
      '',
      `export interface ${cap(mod(k))}Item<T> {`,
      '  id: number;',
      '  label: string;',
      '  payload: T;',
      '  tags: readonly string[];',
      '}',
      '',
      `export class ${cap(mod(k))}Store<T> {`,
      `  private readonly items = new Map<number, ${cap(mod(k))}Item<T>>();`,
      '',
      `  add(item: ${cap(mod(k))}Item<T>): this {`,
      '    this.items.set(item.id, item);',
      '    return this;',
      '  }',
      '',
      `  find(predicate: (item: ${cap(mod(k))}Item<T>) => boolean): ${cap(mod(k))}Item<T> | undefined {`,
      '    for (const item of this.items.values()) if (predicate(item)) return item;',
      '    return undefined;',
      '  }',
      '',
      '  get size(): number {',
      '    return this.items.size;',
      '  }',
      '}',
      '',
      `export function ${mod(k)}Compute(values: number[], factor = ${k + 1}): number {`,
      '  return values.reduce((sum, v, i) => sum + v * factor + i, 0);',
      '}',
      '',
      `export function ${mod(k)}Describe(item: ${cap(mod(k))}Item<unknown>): string {`,
      `  return \`${name}/${mod(k)}#\${item.id}: \${item.label} [\${item.tags.join(', ')}]\`;`,
      '}',
      '',
      `export const ${mod(k)}Total: number = ${mod(k)}Compute([${k}, ${k + 1}, ${k + 2}]) + ${upstream};`,
      '',
    );
    writeFileSync(join(srcDir, `${mod(k)}.ts`), lines.join('\n'));
  }
  const index = [];
  for (let k = 0; k < modules; k++) index.push(`export * from './${mod(k)}.js';`);
  index.push(`import { ${mod(modules - 1)}Total } from './${mod(modules - 1)}.js';`, '');
  index.push(`export const name = '${name}';`, `export const value: number = ${mod(modules - 1)}Total;`, '');
  writeFileSync(join(srcDir, 'index.ts'), index.join('\n'));
}

/**
 * node_modules made of symlinks to every entry of the toolchain's node_modules (.bin included, but
 * not the `skip` entries), plus the workspace packages themselves, as `npm install` would link them.
 */
function linkNodeModules(root, toolchainDir, packages, skip, peersDir) {
  const from = join(toolchainDir, 'node_modules');
  const to = join(root, 'node_modules');
  const binFolder = skip.length > 0 || Boolean(peersDir);
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (skip.includes(entry) || (entry === '.bin' && binFolder)) continue;
    symlinkSync(join(from, entry), join(to, entry), 'dir');
  }
  // Skipped packages leave their commands behind too (bun → bun, bunx), and the peers add theirs:
  // .bin becomes a folder of links.
  if (binFolder && existsSync(join(from, '.bin'))) {
    mkdirSync(join(to, '.bin'));
    for (const bin of readdirSync(join(from, '.bin'))) {
      if (!skip.some((name) => bin === name || bin.startsWith(`${name}x`))) symlinkSync(join(from, '.bin', bin), join(to, '.bin', bin));
    }
  }
  // Only the peers themselves: their dependencies resolve from their real path in the peers install.
  if (peersDir) {
    const peerModules = join(peersDir, 'node_modules');
    for (const name of PEER_PACKAGES) if (!existsSync(join(to, name))) symlinkSync(join(peerModules, name), join(to, name), 'dir');
    for (const bin of readdirSync(join(peerModules, '.bin'))) {
      if (PEER_PACKAGES.some((name) => bin.startsWith(name)) && !existsSync(join(to, '.bin', bin))) symlinkSync(join(peerModules, '.bin', bin), join(to, '.bin', bin));
    }
  }
  for (let i = 0; i < packages; i++) symlinkSync(join('..', 'packages', packageName(i)), join(to, packageName(i)), 'dir');
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function cap(s) {
  return s[0].toUpperCase() + s.slice(1);
}
