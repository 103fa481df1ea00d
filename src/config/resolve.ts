import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { BuildSystemError, suggest } from '../errors';
import { type ModuleList, listModules, moduleOutputName } from './bundleless-modules';
import { DEFAULTS, PUBLISH_DEFAULTS } from './defaults';
import { findTsconfig } from './find-tsconfig';
import { resolveOutputs, type ResolvedEntry, type ResolvedOutputVariant } from './resolve-outputs';
import type { BuilderSetting, DtsGenerator, EnvironmentOverride, FinishStep, HookDefinition, OutputFormat, PackageBuildConfig } from './schema';

export const STANDARD_ENVIRONMENTS = ['development', 'ci', 'production'] as const;

export type { ResolvedEntry, ResolvedOutputVariant } from './resolve-outputs';

/**
 * The per-output part of a resolved build: what one adapter run needs to know about the files it
 * makes. Adapters receive it as part of AdapterInput (src/adapters/types.ts).
 */
export interface ResolvedOutput {
  /**
   * Output names follow the source layout when `bundle` is false: an entry is named by its path
   * under `modules.root` (`src/cli/main.ts` → `cli/main`).
   */
  entries: ResolvedEntry[];
  /**
   * `false`: bundleless. Every file of `modules.files` becomes one output file at its place under
   * `modules.root`, relative imports pointing at the emitted names and bare imports kept as imports.
   */
  bundle: boolean;
  /** With `bundle: false`: the modules to emit (absolute, sorted) and the folder the output mirrors (see bundleless-modules.ts). */
  modules?: ModuleList;
  formats: OutputFormat[];
  platform: 'node' | 'browser' | 'neutral';
  target: string[];
  sourcemap: boolean | 'inline' | 'external';
  minify: boolean;
  external: string[];
  define: Record<string, string>;
  dts: boolean;
  /** What writes the declarations when `dts` is on (`dts: true` is `auto`). */
  dtsGenerator: DtsGenerator;
  /**
   * The tsconfig the builders use (absolute): build.config's `tsconfig`, else the build tsconfig
   * beside a solution `tsconfig.json` (see find-tsconfig.ts). Undefined when that is the package's
   * own `tsconfig.json` (each builder then finds it as it always does) or there is none.
   */
  tsconfig?: string;
  packageType: 'module' | 'commonjs';
  /** Passed through untouched from the config. */
  builderOptions: Record<string, unknown>;
  /**
   * The output of `outputs` this is (its `name`): `formats` then holds its one format, and the
   * adapter's outDir is the output's folder (write there, with no per-format sub-folder). Unset
   * for a build without `outputs`.
   */
  variant?: string;
  /** Extension of the JavaScript files (".cjs", ".production.js"); unset: the builder's default for the format. */
  extension?: string;
  /** Text put at the top of every JavaScript file. */
  banner?: string;
  /** Text put at the end of every JavaScript file (with `cjsInterop`, the interop line too). */
  footer?: string;
}

/** Every key of ResolvedOutput, once: `resolvedOutput` copies exactly these (the compiler checks both ways). */
const OUTPUT_KEYS = ['entries', 'bundle', 'modules', 'formats', 'platform', 'target', 'sourcemap', 'minify', 'external', 'define', 'dts', 'dtsGenerator', 'tsconfig', 'packageType', 'builderOptions', 'variant', 'extension', 'banner', 'footer'] as const satisfies ReadonlyArray<keyof ResolvedOutput>;
type MissingOutputKeys = Exclude<keyof ResolvedOutput, (typeof OUTPUT_KEYS)[number]>;
const _allOutputKeysListed: [MissingOutputKeys] extends [never] ? true : MissingOutputKeys = true;
void _allOutputKeysListed;

/** The output part of a resolved build, without the engine's own settings (hooks, publish, lock...). */
export function resolvedOutput(build: ResolvedOutput): ResolvedOutput {
  const out: Partial<Record<keyof ResolvedOutput, unknown>> = {};
  for (const key of OUTPUT_KEYS) if (build[key] !== undefined) out[key] = build[key];
  return out as ResolvedOutput;
}

/** Everything the engine needs, with every path absolute (made so exactly once, here). */
export interface ResolvedBuild extends ResolvedOutput {
  project: string;
  environment: string;
  /** Where the environment name came from. */
  environmentSource: 'configuration' | 'ci' | 'default';
  workspaceRoot: string;
  packageRoot: string;
  configFile: string;
  /** Local files the config imported (absolute). */
  configImports: string[];
  outDir: string;
  builder: BuilderSetting;
  /** Globs relative to packageRoot; empty means "everything under outDir". */
  artifacts: string[];
  hooks: { pre: HookDefinition[]; post: HookDefinition[] };
  /** `copy`, each item as { from, to? } (from: package-relative file or glob; to: outDir-relative). */
  copy: Array<{ from: string; to?: string }>;
  /** `finish`: steps run in the staging folder before the checks and the artifact list. */
  finish: FinishStep[];
  env: { required: string[]; defaults: Record<string, string> };
  clean: { beforeBuild: boolean; paths: string[] };
  /** Where the BuildResult JSON and the log go. */
  resultFile: string;
  logFile: string;
  /** Publishing after a successful build; absent when the environment configures none. */
  publish?: ResolvedPublish;
  /** `packageJson` settings. */
  packageJson: { generate: boolean; check: 'error' | 'warn' | 'off' };
  /** Builder time limit (BS_BUILD_TIMEOUT). */
  buildTimeoutMs: number;
  /**
   * The config's `outputs`, each with what it inherits filled in; undefined without `outputs`
   * (then one build of `formats`). With outputs, `formats` lists their formats.
   */
  outputs?: ResolvedOutputVariant[];
}

/** `publish` after merging, with defaults applied and the target classified. */
export interface ResolvedPublish {
  /** `to` as configured. May hold credentials (a URL's user:password or query): never log it. */
  to: string;
  /** directory: `to` is `dir:<folder>`; http: an http(s) URL; module: a custom publisher gets `to`. */
  kind: 'directory' | 'http' | 'module';
  /** kind directory: the absolute target folder. */
  dir?: string;
  /** kind module: an absolute file path, or a package name resolved from the package root. */
  module?: string;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
  tokenEnv?: string;
}

/** Folder (relative to the package root) that holds result.json and build.log. */
export const RESULT_DIR = '.build-system';
export const RESULT_FILE = `${RESULT_DIR}/result.json`;
export const LOG_FILE = `${RESULT_DIR}/build.log`;
/** The per-package build lock (never an Nx output: it must not be cached or restored). */
export const LOCK_FILE = `${RESULT_DIR}/lock`;
/** Fingerprint of the last config value that passed validation (see validate-once.ts). */
export const VALIDATION_STAMP = `${RESULT_DIR}/validated`;
/** Content hash of the config last evaluated safely in isolation (config/probe.ts). */
export const EVALUATION_STAMP = `${RESULT_DIR}/evaluated`;

export interface ResolveOptions {
  project: string;
  workspaceRoot: string;
  packageRoot: string;
  configFile: string;
  configImports?: string[];
  /** Nx configuration name (`-c`), if any. */
  configuration?: string;
  /** process.env by default; injected by tests. */
  env?: NodeJS.ProcessEnv;
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Environment name: the Nx configuration, else `ci` when CI is set, else `development`. */
export function resolveEnvironmentName(
  config: PackageBuildConfig,
  configuration: string | undefined,
  env: NodeJS.ProcessEnv,
): { name: string; source: ResolvedBuild['environmentSource'] } {
  if (configuration) {
    const known = [...new Set([...STANDARD_ENVIRONMENTS, ...Object.keys(config.environments ?? {})])];
    if (!known.includes(configuration)) {
      const hint = suggest(configuration, known);
      throw new BuildSystemError(
        'BS_ENVIRONMENT_UNKNOWN',
        `Environment "${configuration}" is not defined${hint ? ` — did you mean "${hint}"?` : '.'} Known: ${known.join(', ')}.`,
      );
    }
    return { name: configuration, source: 'configuration' };
  }
  return isCI(env) ? { name: 'ci', source: 'ci' } : { name: 'development', source: 'default' };
}

/** `dts: true` is `{ generator: 'auto' }`; `false` keeps the generator only for the record. */
export function resolveDts(value: boolean | { generator?: DtsGenerator }): { dts: boolean; dtsGenerator: DtsGenerator } {
  if (typeof value === 'boolean') return { dts: value, dtsGenerator: 'auto' };
  return { dts: true, dtsGenerator: value.generator ?? 'auto' };
}

/** Base config with the environment's overrides deep-merged over it; `ci` inherits `production`. */
export function applyEnvironment(config: PackageBuildConfig, environment: string): EnvironmentOverride {
  // `outputs` is a list at the top level and changes by name in an environment: resolveOutputs merges it.
  const { environments: _environments, name: _name, outputs: _outputs, ...base } = config;
  return environmentLayers(config, environment).reduce<EnvironmentOverride>((acc, { outputs: _byName, ...layer }) => deepMerge(acc, layer), base);
}

/** The environment overrides that apply, in order: `ci` inherits `production`. */
export function environmentLayers(config: PackageBuildConfig, environment: string): EnvironmentOverride[] {
  const environments = config.environments ?? {};
  const layers: EnvironmentOverride[] = [];
  if (environment === 'ci' && environments.production) layers.push(environments.production);
  if (environments[environment]) layers.push(environments[environment]);
  return layers;
}

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge<T extends object>(base: T, over: Partial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value as Record<string, unknown>) : value;
  }
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function resolveBuild(config: PackageBuildConfig, options: ResolveOptions): ResolvedBuild {
  const env = options.env ?? process.env;
  const { name: environment, source } = resolveEnvironmentName(config, options.configuration, env);
  const merged = applyEnvironment(config, environment);
  const packageRoot = resolve(options.packageRoot);
  const pkg = readPackageJson(packageRoot);
  const outDir = resolve(packageRoot, merged.outDir ?? DEFAULTS.outDir);
  const target = merged.target ?? DEFAULTS.target;
  const bundle = merged.bundle ?? DEFAULTS.bundle;
  const exclude = merged.bundlelessExclude ?? DEFAULTS.bundlelessExclude;
  // Outputs that all name their own entries need no top-level one (nor the src/index.ts default).
  const ownEntries = merged.entry === undefined && config.outputs?.every((o) => o.entry !== undefined) === true;
  const configured = ownEntries ? [] : resolveEntries(merged.entry, packageRoot);
  const base: { entries: ResolvedEntry[]; modules?: ModuleList } = bundle || ownEntries ? { entries: configured } : bundleless(configured, packageRoot, exclude, merged.formats, options.configFile);
  const outputs = resolveOutputs(
    config,
    {
      entries: configured,
      bundle,
      minify: merged.minify ?? DEFAULTS.minify,
      define: merged.define ?? {},
      sourcemap: merged.sourcemap ?? DEFAULTS.sourcemap,
      platform: merged.platform ?? DEFAULTS.platform,
      target: Array.isArray(target) ? target : [target],
      outDir,
    },
    {
      environment,
      layers: environmentLayers(config, environment),
      configFile: options.configFile,
      resolveEntries: (entry) => resolveEntries(entry, packageRoot),
      bundleless: (entries, format) => bundleless(entries, packageRoot, exclude, [format], options.configFile),
    },
  );
  const entries = ownEntries ? uniqueEntries(outputs!.flatMap((o) => o.entries)) : base.entries;
  const modules = outputs ? undefined : base.modules;
  return {
    project: options.project,
    environment,
    environmentSource: source,
    workspaceRoot: resolve(options.workspaceRoot),
    packageRoot,
    configFile: resolve(options.configFile),
    configImports: options.configImports ?? [resolve(options.configFile)],
    packageType: pkg.type === 'module' ? 'module' : 'commonjs',
    entries,
    bundle,
    ...(modules ? { modules } : {}),
    outDir,
    formats: [...new Set(outputs ? outputs.map((o) => o.format) : (merged.formats ?? DEFAULTS.formats))],
    platform: merged.platform ?? DEFAULTS.platform,
    target: Array.isArray(target) ? target : [target],
    sourcemap: merged.sourcemap ?? DEFAULTS.sourcemap,
    minify: merged.minify ?? DEFAULTS.minify,
    buildTimeoutMs: merged.buildTimeoutMs ?? DEFAULTS.buildTimeoutMs,
    external: merged.external ?? defaultExternals(pkg),
    define: merged.define ?? {},
    // `auto` picks esbuild when any output is bundleless.
    builder: bundlelessBuilder(merged.builder ?? DEFAULTS.builder, outputs ? outputs.every((o) => o.bundle) : bundle),
    builderOptions: merged.builderOptions ?? {},
    ...resolveDts(merged.dts ?? DEFAULTS.dts),
    tsconfig: merged.tsconfig ? resolve(packageRoot, merged.tsconfig) : buildTsconfig(packageRoot),
    artifacts: merged.artifacts ?? [],
    hooks: { pre: merged.hooks?.pre ?? [], post: merged.hooks?.post ?? [] },
    copy: (merged.copy ?? []).map((item) => (typeof item === 'string' ? { from: item } : item)),
    finish: merged.finish ?? [],
    env: { required: merged.env?.required ?? [], defaults: merged.env?.defaults ?? {} },
    clean: { beforeBuild: merged.clean?.beforeBuild ?? false, paths: merged.clean?.paths ?? [] },
    resultFile: join(packageRoot, RESULT_FILE),
    logFile: join(packageRoot, LOG_FILE),
    packageJson: { generate: config.packageJson?.generate ?? false, check: merged.packageJson?.check ?? 'error' },
    ...(merged.publish ? { publish: resolvePublish(merged.publish, packageRoot, environment, options.configFile) } : {}),
    ...(outputs ? { outputs } : {}),
  };
}

/** `bundle: false`: the modules to emit and the entries named by their place under the modules' root. */
function bundleless(entries: ResolvedEntry[], packageRoot: string, exclude: string[], formats: OutputFormat[] | undefined, configFile: string): { entries: ResolvedEntry[]; modules: ModuleList } {
  if (formats?.includes('iife')) {
    throw new BuildSystemError('BS_CONFIG_INVALID', '`bundle: false` cannot write the iife format: a script loaded by a <script> tag cannot import its modules.', {
      file: resolve(configFile),
      hint: "Build the iife in a bundled build (leave `bundle` unset), and the bundleless output as 'esm' and/or 'cjs'.",
    });
  }
  const modules = listModules(entries.map((e) => e.file), packageRoot, exclude);
  return { entries: entries.map((e) => ({ name: moduleOutputName(e.file, modules.root), file: e.file })), modules };
}

/** `bundle: false` with `auto` means esbuild, which builds in process (bun's bundleless build is a child process per format). */
function bundlelessBuilder(builder: BuilderSetting, bundle: boolean): BuilderSetting {
  return !bundle && builder === 'auto' ? 'esbuild' : builder;
}

/** Checks what only the merged settings can show (`to` present, a scheme the built-ins know). */
function resolvePublish(publish: NonNullable<EnvironmentOverride['publish']>, packageRoot: string, environment: string, configFile: string): ResolvedPublish {
  const invalid = (message: string) =>
    new BuildSystemError('BS_CONFIG_INVALID', `"publish.to" ${message} (environment "${environment}").`, {
      file: resolve(configFile),
      hint: 'Set publish.to to "dir:<folder>" or an http(s):// URL, or add publish.module for any other target; see docs/publishing.md.',
    });
  const { to, module } = publish;
  if (!to) throw invalid('is missing: an environment sets `publish` but neither it nor the base config says where to');
  let kind: ResolvedPublish['kind'];
  let dir: string | undefined;
  if (module) kind = 'module';
  else if (to.startsWith('dir:') && to.length > 4) {
    kind = 'directory';
    dir = resolve(packageRoot, to.slice(4));
  } else if (/^https?:\/\/[^/?#]/i.test(to)) kind = 'http';
  else throw invalid(`must start with "dir:", "http://" or "https://" when no publish.module is set; got "${to.replace(/[?#].*$/, '').replace(/\/\/[^/@]*@/, '//')}"`);
  return {
    to,
    kind,
    ...(dir ? { dir } : {}),
    ...(module ? { module: module.startsWith('.') || isAbsolute(module) ? resolve(packageRoot, module) : module } : {}),
    retries: publish.retries ?? PUBLISH_DEFAULTS.retries,
    baseDelayMs: publish.baseDelayMs ?? PUBLISH_DEFAULTS.baseDelayMs,
    maxDelayMs: publish.maxDelayMs ?? PUBLISH_DEFAULTS.maxDelayMs,
    timeoutMs: publish.timeoutMs ?? PUBLISH_DEFAULTS.timeoutMs,
    headers: publish.headers ?? {},
    ...(publish.tokenEnv ? { tokenEnv: publish.tokenEnv } : {}),
  };
}

/**
 * Only a tsconfig other than the package's `tsconfig.json` is passed on: esbuild and bun read an
 * explicit tsconfig in place of every tsconfig.json they would find, which would change builds
 * that bundle files of other folders.
 */
function buildTsconfig(packageRoot: string): string | undefined {
  const found = findTsconfig(packageRoot);
  return found && found.file !== 'tsconfig.json' ? join(packageRoot, found.file) : undefined;
}

interface PackageJson {
  type?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(packageRoot: string): PackageJson {
  const file = join(packageRoot, 'package.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (e) {
    throw new BuildSystemError('BS_CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`, { file });
  }
}

function defaultExternals(pkg: PackageJson): string[] {
  return [...new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])].sort();
}

const DEFAULT_ENTRY_CANDIDATES = ['src/index.ts', 'src/index.tsx', 'src/index.mts', 'src/index.js', 'src/index.mjs', 'index.ts', 'index.js'];

function resolveEntries(entry: PackageBuildConfig['entry'], packageRoot: string): ResolvedEntry[] {
  if (entry === undefined) {
    const found = DEFAULT_ENTRY_CANDIDATES.find((c) => existsSync(join(packageRoot, c)));
    if (!found) {
      throw new BuildSystemError(
        'BS_ENTRY_NOT_FOUND',
        `No \`entry\` is set and none of ${DEFAULT_ENTRY_CANDIDATES.join(', ')} exists in ${packageRoot}.`,
        { hint: 'Set `entry` in build.config.ts, e.g. entry: "src/main.ts".' },
      );
    }
    entry = found;
  }
  const pairs: Array<[string, string]> =
    typeof entry === 'string'
      ? [[nameOf(entry), entry]]
      : Array.isArray(entry)
        ? entry.map((e) => [nameOf(e), e])
        : Object.entries(entry);
  const seen = new Set<string>();
  return pairs.map(([name, path]) => {
    const file = isAbsolute(path) ? path : resolve(packageRoot, path);
    if (!existsSync(file)) {
      throw new BuildSystemError('BS_ENTRY_NOT_FOUND', `Entry "${path}" does not exist (looked for ${relative(process.cwd(), file) || file}).`, {
        file,
      });
    }
    if (seen.has(name)) {
      throw new BuildSystemError(
        'BS_CONFIG_INVALID',
        `Two entries would both be written as "${name}". Use a map to name them: entry: { a: "...", b: "..." }.`,
      );
    }
    seen.add(name);
    return { name, file };
  });
}

function uniqueEntries(entries: ResolvedEntry[]): ResolvedEntry[] {
  return [...new Map(entries.map((e) => [`${e.name}\0${e.file}`, e])).values()];
}

function nameOf(path: string): string {
  return basename(path, extname(path));
}
