import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { declarationFileFor } from '../adapters/esbuild/output-names';
import { packageNameOf } from '../config/module-loader';
import { BuildSystemError } from '../errors';
import { leavesBase } from '../paths';
import { entryPointFields, packagePath, subpathOf, type EntryOutput, type PlannedEntry } from './entry-points';

/**
 * `packageJson.generate`: a package.json written into the staging folder (so it swaps in with the
 * outputs it describes) that makes outDir itself an installable package, the way @nx/js:tsc and
 * @nx/esbuild's `generatePackageJson` did. Entry points come from what the builder produced, never
 * from the source package.json (whose paths are relative to the package root, not to outDir).
 */
export interface OutputPackageJsonInput {
  project: string;
  workspaceRoot: string;
  packageRoot: string;
  /** The staging folder that becomes outDir. */
  dir: string;
  packageType: 'module' | 'commonjs';
  /** Entry names in config order; the first (or the one named `index`) is the `.` export. */
  entries: Array<{ name: string }>;
  /** Entry bundles the adapter reported (absolute paths inside `dir`). */
  entryFiles: string[];
  /** Modules the build left as imports (config `external`). */
  external: string[];
}

export interface OutputPackageJson {
  file: string;
  manifest: Record<string, unknown>;
  warnings: string[];
}

/** Source fields that describe the source folder or the workspace, not the built package. */
const NOT_CARRIED = ['main', 'module', 'types', 'typings', 'exports', 'bin', 'files', 'scripts', 'devDependencies', 'nx', 'workspaces'];
/** Fields written from what was built (or a fallback), in this order. */
const WRITTEN = ['name', 'version', 'type', 'dependencies'];

export async function writeOutputPackageJson(input: OutputPackageJsonInput): Promise<OutputPackageJson> {
  const file = join(input.dir, 'package.json');
  if (existsSync(file)) {
    throw new BuildSystemError('BS_PACKAGE_JSON_CONFLICT', `packageJson.generate is set, but the builder already wrote ${relative(input.dir, file)} into outDir.`, {
      file,
      hint: 'Remove packageJson.generate from build.config.ts, or stop the builder (builderOptions, a copied asset) from writing package.json.',
    });
  }
  const warnings: string[] = [];
  const source = readJson(join(input.packageRoot, 'package.json')) ?? {};
  const carried = Object.fromEntries(Object.entries(source).filter(([key]) => !NOT_CARRIED.includes(key) && !WRITTEN.includes(key)));
  if (source.bin !== undefined) warnings.push('packageJson.generate does not carry `bin` into the generated package.json: its paths are relative to the source folder.');

  const points = entryPoints(input, warnings);
  const dependencies = source.dependencies ?? dependenciesOfExternals(input, warnings);
  const manifest: Record<string, unknown> = {
    // Nx's generatePackageJson used the same fallbacks for a project without package.json.
    name: source.name ?? input.project,
    version: source.version ?? '0.0.1',
    ...carried,
    type: input.packageType,
    ...points,
    ...(dependencies && Object.keys(dependencies).length ? { dependencies } : {}),
  };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, manifest, warnings };
}

type Format = 'esm' | 'cjs';

/**
 * main/module/types/exports from the entry bundles that exist, as paths relative to outDir, by the
 * same rules as the sync generator's package.json (entry-points.ts): one plan, built from what the
 * builder wrote instead of what it will write.
 */
function entryPoints(input: OutputPackageJsonInput, warnings: string[]): Record<string, unknown> {
  const main = input.entries.find((e) => e.name === 'index') ?? input.entries[0];
  const plan: PlannedEntry[] = [];
  for (const entry of input.entries) {
    const built = builtFormats(input, entry.name);
    if (!built.length) {
      warnings.push(`packageJson.generate: no ESM or CommonJS output of entry "${entry.name}" was found, so it has no export.`);
      continue;
    }
    plan.push({ name: entry.name, subpath: subpathOf(entry.name, entry === main), outputs: built });
  }
  const fields = entryPointFields(plan, input.packageType);
  return { ...fields, exports: { ...fields.exports, './package.json': './package.json' } };
}

/** The bundles of one entry by the module format Node gives them (extension, then nearest `type`). */
function builtFormats(input: OutputPackageJsonInput, name: string): EntryOutput[] {
  const out: EntryOutput[] = [];
  for (const js of input.entryFiles) {
    const match = /^(.*)\.(js|mjs|cjs)$/.exec(basename(js));
    if (!match || match[1] !== name || js.endsWith('.global.js')) continue;
    const format = formatOf(js, input);
    if (out.some((o) => o.format === format)) continue;
    // Declarations are named after the JavaScript they describe: index.cjs ↔ index.d.cts.
    const types = declarationFileFor(js);
    out.push({ format, js: packagePath(input.dir, js), ...(types && existsSync(types) ? { types: packagePath(input.dir, types) } : {}) });
  }
  return out;
}

function formatOf(js: string, input: OutputPackageJsonInput): Format {
  if (js.endsWith('.mjs')) return 'esm';
  if (js.endsWith('.cjs')) return 'cjs';
  // A `.js` file is what the nearest package.json `type` says (tsc puts other formats in
  // `<outDir>/<format>/` with such a marker); the generated one at the root says packageType.
  for (let dir = dirname(js); dir !== input.dir && !leavesBase(relative(input.dir, dir)); dir = dirname(dir)) {
    const type = readJson(join(dir, 'package.json'))?.type;
    if (type !== undefined) return type === 'module' ? 'esm' : 'cjs';
  }
  return input.packageType === 'module' ? 'esm' : 'cjs';
}

/**
 * Without a `dependencies` field in the package's own package.json, the packages the build left
 * external get the workspace root's version ranges: that is the list the builder was given, so it
 * names what the output imports (tsc, which bundles nothing, has none: list them in package.json).
 */
function dependenciesOfExternals(input: OutputPackageJsonInput, warnings: string[]): Record<string, string> | undefined {
  const names = [...new Set(input.external.map(externalPackage).filter((n): n is string => n !== undefined))].sort();
  if (!names.length) return undefined;
  const root = readJson(join(input.workspaceRoot, 'package.json')) ?? {};
  const ranges: Record<string, string> = { ...root.optionalDependencies, ...root.peerDependencies, ...root.devDependencies, ...root.dependencies };
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    if (ranges[name]) found[name] = ranges[name];
    else missing.push(name);
  }
  if (missing.length) {
    warnings.push(`packageJson.generate: no version of ${missing.join(', ')} in the workspace package.json; add ${missing.length > 1 ? 'them' : 'it'} to the dependencies of ${relative(input.workspaceRoot, resolve(input.packageRoot, 'package.json'))}.`);
  }
  return found;
}

/** Paths, globs and Node builtins name no package. */
function externalPackage(spec: string): string | undefined {
  if (/^[./]|^node:|\*/.test(spec) || builtinModules.includes(spec.split('/')[0])) return undefined;
  return spec.startsWith('@') && !spec.includes('/') ? undefined : packageNameOf(spec);
}

interface Manifest {
  [key: string]: unknown;
  name?: string;
  version?: string;
  type?: string;
  bin?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readJson(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new BuildSystemError('BS_CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`, { file });
  }
}
