import { compileConfig, evaluateCompiledConfig, type CompiledConfig } from './load';
import { applyEnvironment, resolveDts, STANDARD_ENVIRONMENTS } from './resolve';
import { DEFAULTS } from './defaults';
import type { BuilderSetting } from './schema';
import { validateBuildConfig } from './validate';
import { fingerprint } from './validate-once';

/** What inference needs to know about a config, across every environment. */
export interface ConfigSummary {
  /** Absolute paths of the config and its local imports. */
  imports: string[];
  /** sha256 over the config and its imports when it evaluated in isolation (see ConfigVouchers). */
  contentHash?: string;
  /** fingerprint() of the value it evaluated to, which passed validation (see ConfigVouchers). */
  fingerprint?: string;
  /** Every environment the target accepts as a configuration. */
  environments: string[];
  /** Output folders (package-relative) over all environments. */
  outDirs: string[];
  /** Builders named over all environments. */
  builders: BuilderSetting[];
  cacheInclude: string[];
  cacheExclude: string[];
  /** Required and defaulted env var names (their values are inputs too). */
  envNames: string[];
  /** `packageJson.sync`: the build target gets the sync generator that writes package.json entry points. */
  packageJsonSync?: boolean;
  /** Some environment writes declarations (`dts: true`): the build runs TypeScript. */
  dts?: boolean;
  /** Some environment may write them with oxc (generator `auto` or `oxc`): oxc-transform's version is an input. */
  dtsOxc?: boolean;
  /** Some environment builds with rollup from the build config (no `builderOptions.config`): rollup runs esbuild's transform. */
  rollupTransform?: boolean;
}

/** Loads, validates and summarizes a config for the inference plugin. Throws BuildSystemError. */
export async function inspectBuildConfig(file: string, displayName: string): Promise<ConfigSummary> {
  return inspectCompiledConfig(await compileConfig(file), displayName);
}

/** Evaluates, validates and summarizes a compiled config (what the isolated worker runs). */
export async function inspectCompiledConfig(compiled: CompiledConfig, displayName: string): Promise<ConfigSummary> {
  const loaded = await evaluateCompiledConfig(compiled);
  const config = validateBuildConfig(loaded.raw, displayName);
  const environments = [...new Set([...STANDARD_ENVIRONMENTS, ...Object.keys(config.environments ?? {})])];
  const merged = environments.map((env) => applyEnvironment(config, env));
  const collect = <T>(pick: (m: (typeof merged)[number]) => T[] | undefined) => [...new Set(merged.flatMap((m) => pick(m) ?? []))];
  return {
    imports: loaded.imports,
    contentHash: compiled.contentHash,
    fingerprint: fingerprint(loaded.raw),
    environments,
    outDirs: collect((m) => [m.outDir ?? DEFAULTS.outDir]),
    builders: [...new Map(merged.map((m) => m.builder ?? DEFAULTS.builder).map((b) => [JSON.stringify(b), b])).values()],
    // Copied files are inputs: a changed README must not be served from cache.
    cacheInclude: collect((m) => [...(m.cache?.include ?? []), ...(m.copy ?? []).map((item) => (typeof item === 'string' ? item : item.from))]),
    cacheExclude: collect((m) => m.cache?.exclude),
    envNames: collect((m) => [...(m.env?.required ?? []), ...Object.keys(m.env?.defaults ?? {})]).sort(),
    ...(config.packageJson?.sync ? { packageJsonSync: true } : {}),
    ...declarationSummary(merged.map((m) => resolveDts(m.dts ?? DEFAULTS.dts))),
    rollupTransform: merged.some((m) => m.builder === 'rollup' && typeof m.builderOptions?.config !== 'string'),
  };
}

function declarationSummary(settings: Array<ReturnType<typeof resolveDts>>): Pick<ConfigSummary, 'dts' | 'dtsOxc'> {
  const on = settings.filter((s) => s.dts);
  return { dts: on.length > 0, ...(on.some((s) => s.dtsGenerator === 'auto' || s.dtsGenerator === 'oxc') ? { dtsOxc: true } : {}) };
}
