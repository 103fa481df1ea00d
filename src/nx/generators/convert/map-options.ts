import { posix } from 'node:path';
import { readJson, type Tree } from '@nx/devkit';
import type { ConvertibleTarget } from './find-target';
import { BUILDER_BY_EXECUTOR } from './find-target';
import { readTsconfigChain, type TsconfigChain } from './tsconfig-chain';

export type Format = 'esm' | 'cjs';

/** What convert writes into build.config.ts, plus what it learned about the old build. */
export interface ConvertedBuild {
  builder: 'esbuild' | 'tsc' | 'rollup';
  /** Package-relative entry files; `name` only when the old target renamed the output. */
  entries: Array<{ file: string; name?: string }>;
  formats: Format[];
  /** undefined: the default (the package's dependencies and peerDependencies). */
  external?: string[];
  outDir: string;
  sourcemap: boolean | 'inline' | 'external';
  tsconfig?: string;
  platform?: string;
  minify: boolean;
  target?: string;
  dts: boolean;
  generatePackageJson: boolean;
  builderOptions?: Record<string, unknown>;
  environments: Record<string, { minify?: boolean; sourcemap?: boolean | 'inline' | 'external' }>;
  /** Workspace-relative folder the old build wrote to. */
  oldOutputPath?: string;
  /** The old build also wrote a package.json into oldOutputPath. */
  oldWrotePackageJson: boolean;
  /** The rootDir the old build compiled with (workspace-relative), when the tsconfig must say it. */
  rootDir?: { wanted: string; because: string };
  tsconfigChain?: TsconfigChain;
  /** bundled npm packages stay external unless thirdParty: true (@nx/esbuild). */
  thirdParty: boolean;
  /** Old options with no equivalent, each with what to do instead. */
  notCarried: string[];
}

interface Ctx {
  tree: Tree;
  root: string;
  build: ConvertedBuild;
  executor: string;
  options: Record<string, unknown>;
}

type Handler = (value: unknown, ctx: Ctx) => void;

const toPackagePath = (root: string, p: unknown) => posix.normalize(posix.relative(root || '.', String(p).split('\\').join('/')));
const notCarried = (ctx: Ctx, key: string, why: string) => ctx.build.notCarried.push(`${key}: ${why}`);
const isInside = (parent: string, child: string) => parent === '' ? child !== '' : child.startsWith(`${parent}/`);

function sourcemapOf(value: unknown, key: string, ctx: Ctx): ConvertedBuild['sourcemap'] {
  if (value === 'inline') return 'inline';
  if (value === 'external') return 'external';
  if (value === 'both') notCarried(ctx, key, '"both" (inline and external): the converted build writes external .map files only');
  return value === true || value === 'linked' || value === 'both';
}

/** One handler per option Nx's three build executors take; a key without one is reported. */
const HANDLERS: Record<string, Handler> = {
  main: () => undefined,
  additionalEntryPoints: (v, ctx) => {
    if (Array.isArray(v)) ctx.build.entries.push(...v.map((e) => ({ file: toPackagePath(ctx.root, e) })));
  },
  outputFileName: (v, ctx) => {
    const name = String(v).replace(/\.[cm]?js$/, '');
    const main = ctx.build.entries[0];
    if (ctx.build.builder === 'tsc') notCarried(ctx, 'outputFileName', 'tsc names each output after its source file');
    else if (main && name !== posix.basename(main.file).replace(/\.[^.]+$/, '')) main.name = name;
  },
  outputPath: (v, ctx) => {
    ctx.build.oldOutputPath = posix.normalize(String(v)).replace(/\/$/, '');
  },
  tsConfig: (v, ctx) => {
    ctx.build.tsconfig = toPackagePath(ctx.root, v);
  },
  format: (v, ctx) => {
    const formats = (Array.isArray(v) ? v : [v]).map((f) => (f === 'es' ? 'esm' : f));
    const unknown = formats.filter((f) => f !== 'esm' && f !== 'cjs');
    if (unknown.length) notCarried(ctx, 'format', `${unknown.join(', ')}: only esm and cjs are converted`);
    const known = formats.filter((f): f is Format => f === 'esm' || f === 'cjs');
    if (known.length) ctx.build.formats = [...new Set(known)];
  },
  platform: (v, ctx) => {
    if (typeof v === 'string') ctx.build.platform = v;
  },
  target: (v, ctx) => {
    if (typeof v === 'string') ctx.build.target = v;
  },
  sourcemap: (v, ctx) => {
    ctx.build.sourcemap = sourcemapOf(v, 'sourcemap', ctx);
  },
  sourceMap: (v, ctx) => {
    ctx.build.sourcemap = sourcemapOf(v, 'sourceMap', ctx);
  },
  minify: (v, ctx) => {
    ctx.build.minify = v === true;
  },
  external: (v, ctx) => {
    if (ctx.build.builder === 'tsc') {
      if (v !== undefined && v !== 'none' && !(Array.isArray(v) && v.length === 0)) notCarried(ctx, 'external', 'tsc bundles nothing, so every import stays external already');
      return;
    }
    if (Array.isArray(v)) ctx.build.external = v.map(String);
    else if (v !== undefined) notCarried(ctx, 'external', `${JSON.stringify(v)}: list the module names in \`external\``);
  },
  declaration: (v, ctx) => {
    ctx.build.dts = v === true;
  },
  declarationRootDir: (v, ctx) => {
    if (typeof v === 'string') ctx.build.rootDir = { wanted: normalize(v), because: `declarationRootDir "${v}"` };
  },
  // Workspace-relative, as @nx/js:tsc resolves it.
  rootDir: (v, ctx) => {
    if (typeof v === 'string') ctx.build.rootDir = { wanted: normalize(v), because: `rootDir "${v}" of the old target` };
  },
  generatePackageJson: () => undefined,
  generateExportsField: (v, ctx) => {
    if (v === true && !ctx.build.generatePackageJson) notCarried(ctx, 'generateExportsField', 'exports are written only with packageJson.generate (the package.json in outDir)');
  },
  project: (v, ctx) => {
    if (toPackagePath(ctx.root, v) !== 'package.json') notCarried(ctx, 'project', `${String(v)}: the build reads the package's own package.json`);
  },
  thirdParty: (v, ctx) => {
    ctx.build.thirdParty = v === true;
  },
  bundle: (v, ctx) => {
    if (v === false) notCarried(ctx, 'bundle', 'false (one output per source file): the converted build bundles each entry; use builder: "tsc" for unbundled output');
  },
  deleteOutputPath: (v, ctx) => {
    if (v === false) notCarried(ctx, 'deleteOutputPath', 'false: every build replaces outDir as a whole');
  },
  clean: (v, ctx) => {
    if (v === false) notCarried(ctx, 'clean', 'false: every build replaces outDir as a whole');
  },
  watch: (v, ctx) => {
    if (v === true) notCarried(ctx, 'watch', 'run `nx build <project> --watch` instead');
  },
  skipTypeCheck: () => undefined,
  assets: (v, ctx) => {
    if (Array.isArray(v) ? v.length > 0 : Boolean(v)) notCarried(ctx, 'assets', 'build.config.ts copies no assets; add a post hook (hooks.post) that copies them into outDir');
  },
  esbuildOptions: (v, ctx) => {
    if (ctx.build.builder === 'esbuild' && v && typeof v === 'object') ctx.build.builderOptions = v as Record<string, unknown>;
  },
  outputHashing: (v, ctx) => {
    if (v !== undefined && v !== 'none') notCarried(ctx, 'outputHashing', `"${String(v)}": outputs are named after their entries`);
  },
  compiler: (v, ctx) => {
    if (ctx.build.builder === 'rollup' && v !== undefined) notCarried(ctx, 'compiler', `"${String(v)}": the rollup builder transforms TypeScript with esbuild`);
  },
};

/** Options whose only meaning was in the old executor; each gets its reason. */
const NO_EQUIVALENT: Record<string, string> = {
  esbuildConfig: 'move its options into builderOptions',
  metafile: 'the result (.build-system/result.json) lists every output with size and hash',
  rollupConfig: 'its plugins do not run; port what they do to builderOptions or hooks',
  extractCss: 'CSS is emitted as the builder does by default',
  javascriptEnabled: 'no less loader',
  skipTypeField: 'the package.json `type` decides the output extensions',
  transformers: 'TypeScript transformer plugins do not run',
  externalBuildTargets: 'dependencies build first through the inferred target (dependsOn ^build)',
  generateLockfile: 'no lockfile is written into outDir',
  updateBuildableProjectDepsInPackageJson: 'workspace dependencies are not added to package.json',
  buildableProjectDepsInPackageJsonType: 'workspace dependencies are not added to package.json',
  babelUpwardRootMode: 'no babel',
  useLegacyTypescriptPlugin: 'no rollup TypeScript plugin',
  allowJs: 'set allowJs in the tsconfig',
  outputFileExtensionForCjs: 'CommonJS is .cjs in a "module" package and .js otherwise',
  outputFileExtensionForEsm: 'ESM is .js in a "module" package and .mjs otherwise',
  buildLibsFromSource: 'dependencies are always read from their build outputs',
  stripLeadingPaths: 'tsc mirrors rootDir; esbuild names outputs after entries',
};

export function mapTarget(tree: Tree, project: { name: string; root: string }, target: ConvertibleTarget): ConvertedBuild {
  const options = target.options ?? {};
  const builder = BUILDER_BY_EXECUTOR[target.executor];
  const root = project.root === '.' ? '' : project.root.replace(/\/$/, '');
  const build: ConvertedBuild = {
    builder,
    entries: [{ file: options.main ? toPackagePath(root, options.main) : 'src/index.ts' }],
    formats: [],
    outDir: 'dist',
    sourcemap: false,
    minify: false,
    dts: builder === 'tsc',
    generatePackageJson: false,
    environments: {},
    oldWrotePackageJson: false,
    thirdParty: false,
    notCarried: [],
  };
  const ctx: Ctx = { tree, root, build, executor: target.executor, options };
  // Handlers that read the entry list (outputFileName) run after the entries are known.
  const order = Object.keys(options).sort((a, b) => Number(a === 'outputFileName') - Number(b === 'outputFileName'));
  for (const key of order) {
    const handler = HANDLERS[key];
    if (handler) handler(options[key], ctx);
    else notCarried(ctx, key, NO_EQUIVALENT[key] ?? 'no equivalent in build.config.ts');
  }
  if (builder === 'tsc' && options.declaration === false) build.dts = false;
  build.tsconfigChain = build.tsconfig ? readTsconfigChain(tree, posix.join(root, build.tsconfig)) : undefined;
  if (!build.formats.length) build.formats = [defaultFormat(tree, root, builder, build.tsconfigChain)];
  // thirdParty: true bundled npm packages, so the default (dependencies stay external) does not apply.
  if (builder === 'esbuild' && build.thirdParty && !build.external) build.external = [];
  placeOutputs(build, root, target.executor, options);
  keepRootDir(build, root);
  // @nx/esbuild's default target; ours is es2022.
  if (builder === 'esbuild' && build.target === undefined) build.target = 'esnext';
  if (builder === 'esbuild' && options.skipTypeCheck !== true && !build.dts) {
    notCarried(ctx, 'skipTypeCheck', '@nx/esbuild type-checked before bundling; the converted build type-checks only with dts: true, so keep a typecheck target (or set dts: true)');
  }
  for (const [name, config] of Object.entries(target.configurations ?? {})) mapConfiguration(build, name, config as Record<string, unknown>);
  if (target.defaultConfiguration) {
    build.notCarried.push(`defaultConfiguration "${target.defaultConfiguration}": the environment is the one given with -c, else ci when CI is set, else development`);
  }
  // What Nx's generators write anyway is what the inferred target does too.
  const usual = { dependsOn: '["^build"]', outputs: '["{options.outputPath}"]' } as Record<string, string>;
  for (const key of ['dependsOn', 'inputs', 'outputs'] as const) {
    if (target[key] !== undefined && JSON.stringify(target[key]) !== usual[key]) {
      build.notCarried.push(`target ${key}: the inferred target sets its own (see \`nx show project ${project.name}\`)`);
    }
  }
  return build;
}

/**
 * outDir must be inside the package (the plugin's safety rule), so an output folder outside it
 * moves to `<package>/dist`; one inside it stays where it was.
 */
function placeOutputs(build: ConvertedBuild, root: string, executor: string, options: Record<string, unknown>): void {
  const old = build.oldOutputPath;
  const inside = old !== undefined && isInside(root, old);
  if (inside) build.outDir = posix.relative(root || '.', old!);
  build.oldWrotePackageJson =
    executor === '@nx/js:tsc'
      ? options.generatePackageJson !== false
      : executor === '@nx/esbuild:esbuild'
        ? // generated, or the package's own package.json copied as an asset
          true
        : options.generatePackageJson !== false && options.skipPackageJson !== true;
  // When the old output folder was the package (outside the source folder), outDir must be one too.
  build.generatePackageJson = build.oldWrotePackageJson && !inside;
  if (build.oldWrotePackageJson && inside && options.generatePackageJson === true) {
    build.notCarried.push(`generatePackageJson: ${old} is inside the package, whose own package.json is the one consumers load; set packageJson.generate to write another into outDir`);
  }
}

/**
 * @nx/js:tsc compiled with rootDir = its `rootDir` option or the project root, whatever the
 * tsconfig said, so outputs sat at `<outputPath>/src/...`. An inherited rootDir (an integrated
 * workspace's tsconfig.base.json sets ".") would mirror the workspace instead:
 * `dist/libs/x/src/index.js` under outDir. Declarations of @nx/esbuild follow declarationRootDir.
 */
function keepRootDir(build: ConvertedBuild, root: string): void {
  if (build.builder === 'tsc' && !build.rootDir) build.rootDir = { wanted: root, because: '@nx/js:tsc compiles with rootDir = the project root' };
  if (build.builder === 'esbuild' && build.dts && !build.rootDir && build.tsconfigChain?.rootDir && !isInsideOrSame(root, build.tsconfigChain.rootDir.value)) {
    // An inherited rootDir above the package puts declarations under <outDir>/libs/x/src: keep them beside the bundles.
    const mainDir = posix.dirname(posix.join(root, build.entries[0].file));
    build.rootDir = { wanted: normalize(mainDir), because: `declarations go beside the bundles: ${build.tsconfigChain.rootDir.file} sets rootDir above the package` };
  }
  // Already what the tsconfig says: nothing to change.
  if (build.rootDir && build.tsconfigChain?.rootDir?.value === build.rootDir.wanted) build.rootDir = undefined;
}

function mapConfiguration(build: ConvertedBuild, name: string, config: Record<string, unknown>): void {
  const env: ConvertedBuild['environments'][string] = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'minify') env.minify = value === true;
    else if (key === 'sourcemap' || key === 'sourceMap') env.sourcemap = value === 'inline' ? 'inline' : value === true || value === 'linked' || value === 'external';
    else build.notCarried.push(`configurations.${name}.${key}: only minify and sourcemap are converted into environments.${name}`);
  }
  if (Object.keys(env).length) build.environments[name] = env;
}

/** What each executor emitted without a `format` option. */
function defaultFormat(tree: Tree, root: string, builder: ConvertedBuild['builder'], chain: TsconfigChain | undefined): Format {
  const type = packageType(tree, root);
  if (builder === 'esbuild') return 'esm';
  const module = chain?.module?.value;
  if (module === 'commonjs') return 'cjs';
  if (module && /^(es\d+|es6|esnext|preserve)$/.test(module)) return 'esm';
  return type === 'module' ? 'esm' : 'cjs';
}

export function packageType(tree: Tree, root: string): string | undefined {
  const file = posix.join(root, 'package.json');
  return tree.exists(file) ? readJson<{ type?: string }>(tree, file).type : undefined;
}

function isInsideOrSame(parent: string, child: string): boolean {
  return parent === child || isInside(parent, child);
}

function normalize(path: string): string {
  const p = posix.normalize(path);
  return p === '.' ? '' : p.replace(/\/$/, '');
}
