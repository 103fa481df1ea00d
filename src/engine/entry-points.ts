import { relative, sep } from 'node:path';
import { declarationFileFor, outExtension, tscFormatDir } from '../adapters/esbuild/output-names';
import { commonDir, outputPathFor } from '../adapters/tsc/compiler';
import type { ResolvedBuild } from '../config/resolve';
import type { OutputFormat } from '../config/schema';

/**
 * Which files a build writes for its entries, and the package.json entry points (`exports`, `main`,
 * `module`, `types`) that reach them. Pure: it reads no file, so the sync generator, the
 * configuration generator and the package contract check all get the same answer from the config.
 * The naming is the adapters' own (output-names.ts), never a copy of it.
 */
export type EntryPointInputs = Pick<ResolvedBuild, 'packageRoot' | 'entries' | 'outDir' | 'formats' | 'dts' | 'packageType' | 'builder'> & {
  /**
   * Builder tsc only: the folder tsc mirrors into each format's folder (its `rootDir`, absolute).
   * Default: the entries' common folder, which is what tsc computes when the entries are the roots.
   */
  tscRootDir?: string;
};

/** One module format of one entry; paths are package-relative and start with `./`. */
export interface EntryOutput {
  format: OutputFormat;
  js: string;
  /** The declaration beside `js` (when `dts` is on and a declaration can describe it). */
  types?: string;
}

export interface PlannedEntry {
  /** The entry's output name (`index`, `cli`...). */
  name: string;
  /** Its `exports` subpath: `.` for the main entry, `./<name>` for the others. */
  subpath: string;
  outputs: EntryOutput[];
}

/** A value of `exports`: a path, null (excluded), a list of fallbacks or conditions. */
export type ExportsValue = string | null | ExportsValue[] | { [condition: string]: ExportsValue };

export interface EntryPointFields {
  /** Subpath → conditions, in entry order, then `./package.json`. */
  exports: Record<string, ExportsValue>;
  main?: string;
  module?: string;
  types?: string;
}

/**
 * The files the build writes for each entry, per format. The entry named `index` (else the first
 * entry) is `.`; `./<name>` for every other one (`cli/index` → `./cli`).
 */
export function planEntryPoints(inputs: EntryPointInputs): PlannedEntry[] {
  if (inputs.entries.length === 0) return [];
  const main = inputs.entries.find((e) => e.name === 'index') ?? inputs.entries[0];
  const tscRoot = inputs.builder === 'tsc' ? (inputs.tscRootDir ?? commonDir(inputs.entries.map((e) => e.file))) : undefined;
  return inputs.entries.map((entry) => ({
    name: entry.name,
    subpath: subpathOf(entry.name, entry === main),
    outputs: inputs.formats.map((format) => {
      const file = tscRoot
        ? outputPathFor(entry.file, tscRoot, tscFormatDir(format, inputs.packageType, inputs.outDir), 'js')
        : `${inputs.outDir}${sep}${entry.name}${outExtension(format, inputs.packageType)}`;
      const js = packagePath(inputs.packageRoot, file);
      const types = inputs.dts && format !== 'iife' ? declarationFileFor(js) : undefined;
      return { format, js, ...(types ? { types } : {}) };
    }),
  }));
}

/**
 * The entry point fields for a plan. Each format gets its own types: with ESM and CommonJS,
 * `import: { types, default }` and `require: { types, default }`; with one, `{ types, default }`
 * (without declarations, the bare path).
 * An iife bundle is no module entry point: it is left out. `main` is the CommonJS file (else the
 * ESM one), `module` the ESM file, `types` the declaration of the format package.json `type` names.
 */
export function entryPointFields(plan: PlannedEntry[], packageType: 'module' | 'commonjs'): EntryPointFields {
  const exports: Record<string, ExportsValue> = {};
  const fields: EntryPointFields = { exports };
  for (const entry of plan) {
    const esm = entry.outputs.find((o) => o.format === 'esm');
    const cjs = entry.outputs.find((o) => o.format === 'cjs');
    if (!esm && !cjs) continue;
    exports[entry.subpath] = esm && cjs ? { import: conditionsOf(esm), require: conditionsOf(cjs) } : conditionsOf((esm ?? cjs)!);
    if (entry.subpath !== '.') continue;
    fields.main = (cjs ?? esm)!.js;
    if (esm) fields.module = esm.js;
    const native = packageType === 'module' ? esm : cjs;
    const types = (native ?? esm ?? cjs)!.types;
    if (types) fields.types = types;
  }
  if (Object.keys(exports).length > 0) exports['./package.json'] = './package.json';
  return fields;
}

/** The `exports` subpath of an entry: `.` for the main one, `./<name>` (`cli/index` → `./cli`). */
export function subpathOf(name: string, isMain: boolean): string {
  return isMain ? '.' : `./${name.replace(/\/index$/, '')}`;
}

/** Every file the plan names (JavaScript and declarations), package-relative with `./`. */
export function plannedFiles(plan: PlannedEntry[]): Set<string> {
  return new Set(plan.flatMap((e) => e.outputs.flatMap((o) => (o.types ? [o.js, o.types] : [o.js]))));
}

function conditionsOf(output: EntryOutput): ExportsValue {
  return output.types ? { types: output.types, default: output.js } : output.js;
}

/** `./dist/index.js`: package-relative, `/`-separated, as package.json writes paths. */
export function packagePath(packageRoot: string, file: string): string {
  const rel = relative(packageRoot, file).split(sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}
