import { existsSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import type { InputOptions, LogLevel, OutputOptions, RollupLog } from 'rollup';
import type { OutputFormat } from '../../config/schema';
import { redirectOutputs, writeBuilds } from '../bundle-outputs';
import { isRelativeOrAbsolute } from '../bundleless';
import { withoutDuplicates } from '../diagnostics';
import { emitDeclarations } from '../dts';
import { loadEsbuild } from '../esbuild';
import { outExtension } from '../esbuild/output-names';
import { formatDiagnostic } from '../format-diagnostic';
import { withUserHandlers, type OnLog, type OnWarn } from '../log-handlers';
import type { AdapterInput, AdapterOutcome, BuilderAdapter, Diagnostic } from '../types';
import { buildConfigInChild } from './config-in-child';
import { loadRollupConfig } from './load-config';
import { bundlelessPlugin, minifyPlugin, typescriptPlugin } from './plugins';

type RollupModule = typeof import('rollup');

/** The workspace's rollup (as the package resolves it); rollup is never bundled with this plugin. */
export function loadRollup(ctx: { workspaceRoot: string; packageRoot: string }): RollupModule {
  let firstError: unknown;
  for (const dir of [ctx.packageRoot, ctx.workspaceRoot]) {
    try {
      return createRequire(join(dir, 'package.json'))('rollup') as RollupModule;
    } catch (e) {
      firstError ??= e;
    }
  }
  throw firstError;
}

/**
 * `builder: 'rollup'`, through rollup's JS API in this process. Either the build config's options
 * (entries, formats, externals, sourcemap, minify, define; TypeScript compiled per module by
 * esbuild's `transform`), or, with `builderOptions.config`, the package's own rollup config with
 * its outputs redirected into the staging folder. See docs/adapters.md.
 */
export const rollupAdapter: BuilderAdapter = {
  name: 'rollup',

  async isAvailable(ctx) {
    try {
      return { ok: true, version: loadRollup(ctx).VERSION };
    } catch (e) {
      return { ok: false, reason: `rollup is not installed in the workspace (${firstLine((e as Error).message)}). Run \`npm i -D rollup\`.` };
    }
  },

  async build(input, signal) {
    if (typeof input.builderOptions.config === 'string' && !(input as ChildInput).inChild) {
      const outcome = await buildConfigInChild(input, signal);
      if (outcome) return withDeclarations(input, signal, outcome);
    }
    const rollup = loadRollup(input);
    const diagnostics: Diagnostic[] = [];
    const record = (level: LogLevel, log: RollupLog) => {
      if (level === 'warn') {
        const d = { ...toDiagnostic(log, 'warning', input.packageRoot), shown: true };
        diagnostics.push(d);
        input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color, frame: !log.frame })}\n${log.frame ? `${log.frame}\n` : ''}`, 'stdout');
      } else {
        input.log(`${log.message}\n`, 'stdout');
      }
    };

    let builds: Array<{ inputOptions: InputOptions; outputs: OutputOptions[] }>;
    const configFile = input.builderOptions.config;
    if (typeof configFile === 'string') {
      // The package's rollup config decides every output: a variant would build all of them again.
      if (input.variant !== undefined) {
        return { ok: false, diagnostics: [{ severity: 'error', message: `builderOptions.config (${configFile}) decides the outputs, so \`outputs\` cannot be used with it (output "${input.variant}").`, builder: 'rollup' }] };
      }
      const loaded = await loadRollupConfig(resolve(input.packageRoot, configFile), input);
      if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
      input.log(`rollup ${rollup.VERSION} with ${configFile}: the config decides inputs, formats and plugins\n`);
      builds = loaded.configs.map(({ output, onLog, onwarn, ...options }) => ({
        inputOptions: { ...options, input: fromPackageRoot(options.input, input.packageRoot), onLog: rollupHandlers(onLog, onwarn, record) },
        outputs: output === undefined ? [] : Array.isArray(output) ? output.map((o) => ({ ...o })) : [{ ...output }],
      }));
      const misplaced = redirectOutputs(builds.flatMap((b) => b.outputs), input, 'rollup');
      if (misplaced.length) return { ok: false, diagnostics: misplaced };
    } else {
      builds = [fromBuildConfig(input, signal, record)];
    }

    const entryFiles = input.bundle === false && typeof configFile !== 'string' ? new Set(input.entries.map((e) => e.file)) : undefined;
    const { ok, emitted } = await writeBuilds(
      builds,
      (options) => rollup.rollup(options),
      signal,
      (e) => {
        const d = { ...toDiagnostic(e as RollupLog, 'error', input.packageRoot), shown: true };
        diagnostics.push(d);
        const frame = (e as RollupLog).frame;
        input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color, frame: !frame })}\n${frame ? `${frame}\n` : ''}`, 'stderr');
      },
      entryFiles,
    );
    if (signal.aborted) return { ok: false, diagnostics };
    return withDeclarations(input, signal, { ok, diagnostics: withoutDuplicates(diagnostics), emitted });
  },
};

/** Set by config-process.ts: this is the child that runs a package's own config. */
type ChildInput = AdapterInput & { inChild?: boolean };

async function withDeclarations(input: AdapterInput, signal: AbortSignal, outcome: AdapterOutcome): Promise<AdapterOutcome> {
  if (!outcome.ok || !input.dts || signal.aborted) return outcome;
  const emitted = outcome.emitted ?? [];
  const types = await emitDeclarations(input, signal, 'rollup', emitted);
  return { ok: types.ok, diagnostics: [...outcome.diagnostics, ...types.diagnostics], emitted: [...emitted, ...types.emitted] };
}

/** The shared onLog/onwarn wrapper (log-handlers.ts) with rollup's option types. */
function rollupHandlers(onLog: InputOptions['onLog'], onwarn: InputOptions['onwarn'], record: (level: LogLevel, log: RollupLog) => void): InputOptions['onLog'] {
  return withUserHandlers(onLog as OnLog<RollupLog> | undefined, onwarn as OnWarn<RollupLog> | undefined, record);
}

/**
 * `rollup -c` resolves relative inputs against the working directory, which is the package under
 * the rollup CLI but the workspace root (or anything) in this process: make them package-relative.
 */
function fromPackageRoot(value: InputOptions['input'], packageRoot: string): InputOptions['input'] {
  const fix = (id: string) => (isAbsolute(id) || !existsSync(resolve(packageRoot, id)) ? id : resolve(packageRoot, id));
  if (typeof value === 'string') return fix(value);
  if (Array.isArray(value)) return value.map(fix);
  return value ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fix(v)])) : value;
}

const ROLLUP_FORMAT: Record<OutputFormat, 'es' | 'cjs' | 'iife'> = { esm: 'es', cjs: 'cjs', iife: 'iife' };

function fromBuildConfig(
  input: AdapterInput,
  signal: AbortSignal,
  record: (level: LogLevel, log: RollupLog) => void,
): { inputOptions: InputOptions; outputs: OutputOptions[] } {
  const esbuild = loadEsbuild(input.workspaceRoot);
  // builderOptions are extra rollup input options (plugins run after the TypeScript one);
  // `output` is merged into every output.
  // `name` is the global of an iife build.
  const { config: _config, output: extraOutput, plugins: extraPlugins, name: _name, ...extraInput } = input.builderOptions as InputOptions & {
    config?: unknown;
    output?: OutputOptions;
    name?: unknown;
  };
  const isExternal = externalMatcher(input);
  // Bundleless: every module is an input and keeps its own file (preserveModules), named by its path under modules.root.
  const bundleless = input.bundle === false && input.modules ? input.modules : undefined;
  const inputOptions: InputOptions = {
    input: bundleless ? bundleless.files : Object.fromEntries(input.entries.map((e) => [e.name, e.file])),
    external: (id) => isExternal(id),
    plugins: [...(bundleless ? [bundlelessPlugin(bundleless)] : []), typescriptPlugin(esbuild, input, signal), extraPlugins],
    ...extraInput,
    onLog: rollupHandlers(extraInput.onLog, extraInput.onwarn, record),
    onwarn: undefined,
  };
  const sourcemap = input.sourcemap === 'inline' ? 'inline' : input.sourcemap ? 'hidden' : false;
  const outputs = input.formats.map((format): OutputOptions => {
    const ext = input.extension ?? outExtension(format, input.packageType);
    return {
      dir: input.outDir,
      format: ROLLUP_FORMAT[format],
      entryFileNames: `[name]${ext}`,
      chunkFileNames: `[name]-[hash]${ext}`,
      ...(bundleless ? { preserveModules: true, preserveModulesRoot: bundleless.root } : {}),
      sourcemap,
      // Named exports like esbuild's CommonJS output, and no warning for mixing default and named.
      ...(format === 'esm' ? {} : { exports: 'named' as const }),
      ...(format === 'iife' && typeof input.builderOptions.name === 'string' ? { name: input.builderOptions.name } : {}),
      // Rollup adds banner and footer before minifying, which would drop comments: the minify step adds them then.
      plugins: input.minify ? [minifyPlugin(esbuild, input, format)] : [],
      ...(!input.minify && input.banner !== undefined ? { banner: input.banner } : {}),
      ...(!input.minify && input.footer !== undefined ? { footer: input.footer } : {}),
      ...extraOutput,
    };
  });
  return { inputOptions, outputs };
}

/**
 * Node built-ins (for node builds), `node:` ids, and each `external` with its subpaths. Bundleless,
 * every bare import: only the package's own modules are emitted.
 */
function externalMatcher(input: AdapterInput): (id: string) => boolean {
  const builtins = new Set(input.platform === 'node' ? builtinModules : []);
  const bare = (id: string) => input.bundle === false && !id.startsWith('\0') && !isRelativeOrAbsolute(id);
  return (id) =>
    id.startsWith('node:') || builtins.has(id) || bare(id) || input.external.some((x) => id === x || id.startsWith(`${x}/`));
}

/** Rollup errors and warnings carry `loc` ({ file, line, column: 0-based }) when they have a place. */
function toDiagnostic(log: RollupLog & { pluginCode?: unknown }, severity: 'error' | 'warning', packageRoot: string): Diagnostic {
  const file = log.loc?.file ?? log.id;
  const code = typeof log.pluginCode === 'string' ? log.pluginCode : log.code;
  return {
    severity,
    ...(code ? { code } : {}),
    message: cleanMessage(log),
    ...(file && isAbsolute(file) ? { file } : file && existsSync(resolve(packageRoot, file)) ? { file: resolve(packageRoot, file) } : {}),
    ...(log.loc ? { line: log.loc.line, column: log.loc.column + 1 } : {}),
    builder: 'rollup',
  };
}

/** Rollup prefixes messages with `[plugin x] <file> (line:col): `; the diagnostic has those as fields. */
function cleanMessage(log: RollupLog): string {
  let message = log.message ?? String(log);
  if (log.plugin) message = message.replace(`[plugin ${log.plugin}] `, '');
  if (log.loc) {
    const at = ` (${log.loc.line}:${log.loc.column}): `;
    const i = message.indexOf(at);
    if (i >= 0 && !message.slice(0, i).includes('\n')) message = message.slice(i + at.length);
  }
  return message;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

