import { join, resolve } from 'node:path';
import { BuildSystemError, suggest } from '../errors';
import type { ModuleList } from './bundleless-modules';
import type { EnvironmentOverride, OutputFormat, OutputVariantOverride, OutputVariantSetting, PackageBuildConfig } from './schema';

/** One entry point of a build, as the engine and the adapters get it. */
export interface ResolvedEntry {
  /** Output name without extension, e.g. `index`. */
  name: string;
  /** Absolute path of the source file. */
  file: string;
}

/** One output of `outputs`, with every inherited option filled in. */
export interface ResolvedOutputVariant {
  name: string;
  format: OutputFormat;
  entries: ResolvedEntry[];
  /** `false`: bundleless, one output file per module of `modules`. */
  bundle: boolean;
  /** With `bundle: false`: the modules to emit (see bundleless-modules.ts). */
  modules?: ModuleList;
  minify: boolean;
  define: Record<string, string>;
  sourcemap: boolean | 'inline' | 'external';
  platform: 'node' | 'browser' | 'neutral';
  target: string[];
  /** Folder the output is written into (absolute): outDir, or `dir` under it. */
  outDir: string;
  /** `dir` as configured, posix, without a trailing slash; '' for outDir itself. */
  dir: string;
  /** As configured; unset means the builder's default for the format and package type. */
  extension?: string;
  banner?: string;
  footer?: string;
  cjsInterop: boolean;
}

/** What each output inherits: the top-level options after the environment is merged. */
export interface OutputDefaults {
  entries: ResolvedEntry[];
  bundle: boolean;
  minify: boolean;
  define: Record<string, string>;
  sourcemap: ResolvedOutputVariant['sourcemap'];
  platform: ResolvedOutputVariant['platform'];
  target: string[];
  outDir: string;
}

export interface ResolveOutputsContext {
  environment: string;
  /** The environment layers in the order they apply (ci inherits production). */
  layers: EnvironmentOverride[];
  configFile: string;
  resolveEntries: (entry: OutputVariantSetting['entry']) => ResolvedEntry[];
  /** For a bundleless output: its modules, and its entries named by their place under the modules' root. */
  bundleless: (entries: ResolvedEntry[], format: OutputFormat) => { entries: ResolvedEntry[]; modules: ModuleList };
}

/**
 * `outputs` with the environment applied: options an environment sets at its top level reach
 * every output through `defaults` (unless the output sets them itself), and
 * `environments.<env>.outputs.<name>` changes one output. Undefined when the config has no
 * `outputs`. Throws BS_CONFIG_INVALID for a combination with no single meaning.
 */
export function resolveOutputs(config: PackageBuildConfig, defaults: OutputDefaults, ctx: ResolveOutputsContext): ResolvedOutputVariant[] | undefined {
  const invalid = (message: string, hint: string) => new BuildSystemError('BS_CONFIG_INVALID', message, { file: resolve(ctx.configFile), hint });
  const overrides = ctx.layers.map((l) => l.outputs).filter((o): o is Record<string, OutputVariantOverride> => o !== undefined);
  if (!config.outputs) {
    if (overrides.length) {
      throw invalid(
        `environments.${ctx.environment}.outputs changes outputs by name, but the config declares no \`outputs\`.`,
        'Declare the outputs at the top level (outputs: [{ name, format, ... }]) or set the options at the top level of the environment.',
      );
    }
    return undefined;
  }
  if (config.formats) {
    throw invalid(
      '`formats` and `outputs` are both set: with `outputs`, each output has its own `format` and the top-level `formats` would be ignored.',
      'Remove `formats` and give each output its `format`, or remove `outputs`.',
    );
  }
  const layerWithFormats = ctx.layers.find((l) => l.formats);
  if (layerWithFormats) {
    throw invalid(
      `environments.${ctx.environment} sets \`formats\`, but the config declares \`outputs\`, each with its own format.`,
      `Change the format of one output with environments.${ctx.environment}.outputs.<name>.format instead.`,
    );
  }
  const names = config.outputs.map((o) => o.name);
  for (const layer of overrides) {
    for (const name of Object.keys(layer)) {
      if (!names.includes(name)) {
        const near = suggest(name, names);
        throw invalid(
          `environments.${ctx.environment}.outputs.${name}: there is no output named "${name}"${near ? ` (did you mean "${near}"?)` : ''}. Outputs: ${names.join(', ')}.`,
          'Use the name of an output declared in the top-level `outputs`.',
        );
      }
    }
  }
  return config.outputs.map((declared) => {
    const variant = overrides.reduce<OutputVariantSetting>((acc, layer) => mergeVariant(acc, layer[declared.name]), declared);
    // An option set at the environment's top level beats the base output's own value only when
    // the output does not set it: an output's own choice (its minify, its define) is why it exists.
    const { format } = variant;
    if (variant.cjsInterop && format !== 'cjs') {
      throw invalid(`outputs "${variant.name}": cjsInterop applies to CommonJS only, and this output is ${format}.`, 'Remove cjsInterop from this output, or set its format to "cjs".');
    }
    const target = variant.target ?? defaults.target;
    const dir = (variant.dir ?? '').split('\\').join('/').replace(/^\.\/?/, '').replace(/\/+$/, '');
    const bundle = variant.bundle ?? defaults.bundle;
    const entries = variant.entry === undefined ? defaults.entries : ctx.resolveEntries(variant.entry);
    const modules = bundle ? undefined : ctx.bundleless(entries, format);
    return {
      name: variant.name,
      format,
      entries: modules ? modules.entries : entries,
      bundle,
      ...(modules ? { modules: modules.modules } : {}),
      minify: variant.minify ?? defaults.minify,
      define: { ...defaults.define, ...variant.define },
      sourcemap: variant.sourcemap ?? defaults.sourcemap,
      platform: variant.platform ?? defaults.platform,
      target: Array.isArray(target) ? target : [target],
      outDir: dir ? join(defaults.outDir, dir) : defaults.outDir,
      dir,
      ...(variant.extension !== undefined ? { extension: variant.extension } : {}),
      ...(variant.banner !== undefined ? { banner: variant.banner } : {}),
      ...(variant.footer !== undefined ? { footer: variant.footer } : {}),
      cjsInterop: variant.cjsInterop ?? false,
    };
  });
}

/** An environment's change to one output: `define` merges key by key, the rest replaces. */
function mergeVariant(base: OutputVariantSetting, over: OutputVariantOverride | undefined): OutputVariantSetting {
  if (!over) return base;
  const merged: OutputVariantSetting = { ...base };
  for (const [key, value] of Object.entries(over) as Array<[keyof OutputVariantOverride, unknown]>) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (base.define && over.define) merged.define = { ...base.define, ...over.define };
  return merged;
}
