import { builtinModules } from 'node:module';
import type { InputOptions, OutputOptions, RolldownPlugin } from 'rolldown';
import type { OutputFormat } from '../../config/schema';
import { outExtension } from '../esbuild/output-names';
import { bundlelessPlugin } from '../rollup/plugins';
import type { AdapterInput } from '../types';

/** One rolldown build: input options, and the outputs written from it. */
export interface RolldownBuildPlan {
  inputOptions: InputOptions;
  outputs: OutputOptions[];
}

const ROLLDOWN_FORMAT: Record<OutputFormat, 'esm' | 'cjs' | 'iife'> = { esm: 'esm', cjs: 'cjs', iife: 'iife' };

/**
 * The build config's options as one rolldown build with one output per format. Rolldown compiles
 * TypeScript, applies `define` and `target` (oxc's transform) and minifies itself, so unlike the
 * rollup adapter no plugin is added. `builderOptions` are extra rolldown input options (plugins,
 * `resolve`, `treeshake`, `transform` merged over ours...); `output` is merged into every output;
 * `name` is the global of an iife build.
 */
export function fromBuildConfig(input: AdapterInput, onLog: NonNullable<InputOptions['onLog']>): RolldownBuildPlan {
  const {
    config: _config,
    output: extraOutput,
    name,
    transform: extraTransform,
    external: extraExternal,
    onLog: _onLog,
    onwarn: _onwarn,
    plugins: extraPlugins,
    ...extraInput
  } = input.builderOptions as InputOptions & { config?: unknown; output?: OutputOptions; name?: unknown };
  // Bundleless: every module is an input and keeps its own file (preserveModules), named by its path under modules.root.
  const bundleless = input.bundle === false && input.modules ? input.modules : undefined;
  const inputOptions: InputOptions = {
    input: bundleless ? bundleless.files : Object.fromEntries(input.entries.map((e) => [e.name, e.file])),
    // Relative paths in plugins and messages mean the package folder, as under `rolldown` run there.
    cwd: input.packageRoot,
    platform: input.platform,
    external: withExtraExternal([...externalPatterns(input), ...(bundleless ? [BARE_IMPORT] : [])], extraExternal),
    // rollup's bundleless plugin (an import of a source the build does not emit fails) fits rolldown's plugin API.
    plugins: [...(bundleless ? [bundlelessPlugin(bundleless) as unknown as RolldownPlugin] : []), extraPlugins],
    transform: { target: input.target, ...extraTransform, define: { ...input.define, ...extraTransform?.define } },
    // Explicit only when the engine chose a file other than the package's tsconfig.json (see find-tsconfig.ts).
    ...(input.tsconfig ? { tsconfig: input.tsconfig } : {}),
    ...extraInput,
    onLog,
  };
  const sourcemap = input.sourcemap === 'inline' ? 'inline' : input.sourcemap ? 'hidden' : false;
  const outputs = input.formats.map((format): OutputOptions => {
    const ext = input.extension ?? outExtension(format, input.packageType);
    return {
      dir: input.outDir,
      format: ROLLDOWN_FORMAT[format],
      entryFileNames: `[name]${ext}`,
      chunkFileNames: `[name]-[hash]${ext}`,
      ...(bundleless ? { preserveModules: true, preserveModulesRoot: bundleless.root } : {}),
      sourcemap,
      minify: input.minify,
      // postBanner/postFooter go on after minifying, so a comment or a `#!` line survives it.
      ...(input.banner !== undefined ? { postBanner: input.banner } : {}),
      ...(input.footer !== undefined ? { postFooter: input.footer } : {}),
      // Named exports like esbuild's CommonJS output, and no warning for mixing default and named.
      ...(format === 'esm' ? {} : { exports: 'named' as const }),
      ...(format === 'iife' && typeof name === 'string' ? { name } : {}),
      ...extraOutput,
    };
  });
  return { inputOptions, outputs };
}

/**
 * `external` names and their subpaths, `node:` ids, and for node builds the built-ins. Patterns,
 * not a function: rolldown matches strings and regular expressions natively, where a function
 * would be a call into JavaScript for every import.
 */
export function externalPatterns(input: Pick<AdapterInput, 'external' | 'platform'>): Array<string | RegExp> {
  const builtins = input.platform === 'node' ? builtinModules.filter((m) => !m.startsWith('_')) : [];
  return [/^node:/, ...builtins, ...input.external.map((name) => new RegExp(`^${escapeRegExp(name)}(?:/|$)`))];
}

/** `builderOptions.external` adds to ours: more patterns, or a function asked about what ours leave bundled. */
function withExtraExternal(ours: Array<string | RegExp>, extra: InputOptions['external']): InputOptions['external'] {
  if (extra === undefined) return ours;
  if (typeof extra !== 'function') return [...ours, ...(Array.isArray(extra) ? extra : [extra])];
  return (id, importer, isResolved) => ours.some((p) => (typeof p === 'string' ? p === id : p.test(id))) || extra(id, importer, isResolved);
}

/** Bundleless, every bare import stays an import: only the package's own modules are emitted. */
const BARE_IMPORT = /^(?!\.\.?(?:\/|$)|\/|[A-Za-z]:[\\/]|\0)/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
