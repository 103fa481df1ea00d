import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { BuildSystemError, isBuildSystemError } from '../errors';
import { characterColumn, codeFrame } from './code-frame';
import { CONFIG_FILE_NAMES } from './config-file-names';
import { bundleModule, evaluateModule, moduleSpecifiers, packageNameOf } from './module-loader';
import { relativePosix } from '../paths';

export { CONFIG_FILE_NAMES };

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** The exported value, not yet validated. */
  raw: unknown;
  /** Absolute paths of every local file the config pulled in, the config itself first. */
  imports: string[];
  /** sha256 over the config and its imports: same hash, same config. */
  contentHash: string;
}

/** The first build.config.* in a package folder, or undefined. */
export function findConfigFile(packageRoot: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const file = join(packageRoot, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

// Loading is pure for a given content hash, so a batch that loads the same config twice
// (build then clean, or a watch rebuild) pays once.
const cache = new Map<string, LoadedConfig>();

/**
 * Bundles the config with esbuild (relative imports inlined, packages left external), evaluates
 * it as CommonJS in memory and takes the default export (or `buildConfig`). Works for
 * .ts/.mts/.cts/.js/.mjs/.cjs on Node 20 with no TypeScript loader installed.
 */
export interface LoadOptions {
  /**
   * Runs after the config is compiled and hashed, before it is evaluated here (not for a config
   * this process already evaluated): the engine evaluates it in isolation first (config/probe.ts).
   */
  beforeEvaluate?: (compiled: CompiledConfig) => Promise<void>;
}

/** A config compiled to CommonJS, not yet evaluated: plain data, so it can be posted to a worker. */
export interface CompiledConfig {
  /** Absolute path of the config file. */
  file: string;
  code: string;
  /** The config first, then every local file it pulls in (absolute). */
  imports: string[];
  /** sha256 over the config and its imports. */
  contentHash: string;
}

/** Compiles the config (esbuild) and hashes it with its imports. Throws BS_CONFIG_NOT_FOUND / BS_CONFIG_SYNTAX. */
export async function compileConfig(file: string): Promise<CompiledConfig> {
  const abs = resolve(file);
  if (!existsSync(abs)) {
    throw new BuildSystemError('BS_CONFIG_NOT_FOUND', `Config file ${abs} does not exist.`, { file: abs });
  }
  const { code, imports } = await compile(abs);
  const hash = createHash('sha256');
  for (const f of imports) hash.update(f).update('\0').update(readFileSync(f)).update('\0');
  return { file: abs, code, imports, contentHash: hash.digest('hex') };
}

export async function loadBuildConfig(file: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const compiled = await compileConfig(file);
  const cached = cache.get(`${compiled.file}\0${compiled.contentHash}`);
  if (cached) return cached;
  await options.beforeEvaluate?.(compiled);
  return evaluateCompiledConfig(compiled);
}

/** Evaluates a compiled config and takes its export (remembered per content hash). Throws BuildSystemError. */
export async function evaluateCompiledConfig(compiled: CompiledConfig): Promise<LoadedConfig> {
  const { file, imports, contentHash } = compiled;
  const key = `${file}\0${contentHash}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const exports = await evaluate(compiled.code, file);
  let raw: unknown;
  try {
    // A config may export a promise (`export default loadConfig()`); its rejection is a throw too.
    raw = await pickExport(exports, file);
  } catch (e) {
    throw isBuildSystemError(e) ? e : evaluationFailed(e, file);
  }
  const loaded: LoadedConfig = { file, raw, imports, contentHash };
  cache.set(key, loaded);
  return loaded;
}

const SELF = '@repo/build-system';
const SHIM = { defineBuildConfig: <T>(config: T): T => config };

/**
 * The config as CommonJS, and every local file it pulls in (the config first). Most configs import
 * nothing but `@repo/build-system` (and `node:` builtins): those are compiled alone with esbuild's
 * transform, several times cheaper than a bundle (no resolution, no file system), which is what a
 * cold project graph of 1000 packages pays per config. Anything else is bundled.
 */
async function compile(abs: string): Promise<{ imports: string[]; code: string }> {
  const source = readFileSync(abs, 'utf8');
  const specifiers = moduleSpecifiers(source);
  if (specifiers?.every((s) => s === SELF || s.startsWith('node:'))) {
    const esbuild = await import('esbuild');
    let code: string;
    try {
      code = (await esbuild.transform(source, { loader: /\.[cm]?ts$/.test(abs) ? 'ts' : 'js', format: 'cjs', platform: 'node', target: 'node20', sourcefile: abs, sourcemap: 'inline', logLevel: 'silent' })).code;
    } catch (e) {
      throw syntaxError(withFile(e, abs), abs);
    }
    return { imports: [abs], code };
  }
  let bundle: import('esbuild').BuildResult<{ write: false; metafile: true }>;
  try {
    bundle = await bundleModule(abs, { plugins: [selfImportShim] });
  } catch (e) {
    throw syntaxError(e, abs);
  }
  const imports = Object.keys(bundle.metafile.inputs)
    .filter((p) => !p.startsWith('build-system-shim:'))
    .map((p) => resolve(dirname(abs), p));
  return { imports: [abs, ...imports.filter((f) => f !== abs)], code: bundle.outputFiles[0].text };
}

/** transform errors name the sourcefile as given (absolute); syntaxError resolves it against the config's folder. */
function withFile(e: unknown, abs: string): unknown {
  for (const m of (e as { errors?: import('esbuild').Message[] })?.errors ?? []) if (m.location) m.location.file = abs;
  return e;
}

// `import { defineBuildConfig } from '@repo/build-system'` must work even where the config's folder
// cannot resolve this package, and must not load the whole plugin just to evaluate a config.
const selfImportShim: import('esbuild').Plugin = {
  name: 'build-system-self-import',
  setup(build) {
    build.onResolve({ filter: /^@repo\/build-system$/ }, () => ({ path: 'define', namespace: 'build-system-shim' }));
    build.onLoad({ filter: /.*/, namespace: 'build-system-shim' }, () => ({
      contents: 'export const defineBuildConfig = (config) => config;',
      loader: 'js',
    }));
  },
};

async function evaluate(code: string, file: string): Promise<Record<string, unknown>> {
  try {
    return evaluateModule(code, file, { [SELF]: SHIM }) as Record<string, unknown>;
  } catch (e) {
    throw evaluationFailed(e, file);
  }
}

function evaluationFailed(e: unknown, file: string): BuildSystemError {
  const err = e as NodeJS.ErrnoException;
  // require() of a package the config imports (packages are left external) that is not installed.
  const missing = err?.code === 'MODULE_NOT_FOUND' ? /Cannot find module '([^'./][^']*)'/.exec(err.message)?.[1] : undefined;
  return new BuildSystemError('BS_CONFIG_LOAD_FAILED', `Evaluating ${file} threw: ${err?.message ?? String(e)}`, {
    file,
    ...(missing ? { hint: `Install "${missing}" in the workspace (npm i -D ${packageNameOf(missing)}), or remove the import; ${basename(file)} imports it and it is resolved from ${dirname(file)}.` } : {}),
    detail: err?.stack ? indent(err.stack.split('\n').slice(0, 6).join('\n')) : undefined,
  });
}

function pickExport(exports: Record<string, unknown>, file: string): unknown {
  const isEsm = exports && typeof exports === 'object' && (exports as { __esModule?: boolean }).__esModule;
  if (exports && typeof exports === 'object') {
    if ('default' in exports && exports.default !== undefined) return exports.default;
    if ('buildConfig' in exports && exports.buildConfig !== undefined) return exports.buildConfig;
  }
  // A CommonJS config (`module.exports = defineBuildConfig({...})`) has no default export.
  if (!isEsm && exports && typeof exports === 'object' && Object.keys(exports).length > 0) return exports;
  const names = exports && typeof exports === 'object' ? Object.keys(exports).filter((k) => k !== '__esModule') : [];
  throw new BuildSystemError(
    'BS_CONFIG_NO_EXPORT',
    `${file} has no default export${names.length ? ` (it exports: ${names.join(', ')})` : ''}. Expected \`export default defineBuildConfig({ ... })\`.`,
    { file },
  );
}

function syntaxError(e: unknown, file: string): BuildSystemError {
  const errors = (e as { errors?: import('esbuild').Message[] })?.errors;
  const first = errors?.[0];
  if (!first) {
    return new BuildSystemError('BS_CONFIG_LOAD_FAILED', `Could not compile ${file}: ${(e as Error)?.message ?? e}`, { file });
  }
  const loc = first.location;
  const at = loc ? resolve(dirname(file), loc.file) : file;
  const line = loc?.line;
  const column = loc ? characterColumn(loc.lineText, loc.column) : undefined;
  let frame: string | undefined;
  if (line && column && existsSync(at)) frame = codeFrame(readFileSync(at, 'utf8'), line, column);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  const unresolved = UNRESOLVED.exec(first.text)?.[1];
  return new BuildSystemError(
    'BS_CONFIG_SYNTAX',
    unresolved ? `Could not resolve the import "${unresolved}" from ${dirname(at)}${more}` : `${first.text}${more}`,
    {
      file: at,
      line,
      column,
      detail: frame,
      ...(unresolved ? { hint: unresolvedImportHint(unresolved, at) } : {}),
    },
  );
}

// esbuild's text for an import it cannot find (packages are external, so this is a local path).
const UNRESOLVED = /^Could not resolve "([^"]+)"/;

function unresolvedImportHint(specifier: string, importer: string): string {
  const local = specifier.startsWith('.') || isAbsolute(specifier);
  return local
    ? `Fix the path "${specifier}" in ${basename(importer)}: no file ${resolve(dirname(importer), specifier)}(.ts, .js, /index.ts...) exists. Relative imports resolve from the importing file's folder.`
    : `Install "${specifier}" in the workspace, or fix the import in ${basename(importer)}; it is resolved from ${dirname(importer)}.`;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Workspace-relative paths of the config's local imports, for Nx inputs. */
export function importsRelativeTo(root: string, loaded: LoadedConfig): string[] {
  return loaded.imports.map((f) => relativePosix(root, f));
}
