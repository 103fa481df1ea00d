import type { EntryPointFields, ExportsValue } from './entry-points';

/**
 * Writes computed entry points into a package.json object, keeping everything else the user wrote:
 * every other field and its position, `bin`, and any condition or subpath whose files the package
 * ships (the `development` → `./src/index.ts` condition of Nx's TypeScript preset stays first).
 * What points at a file the build does not write and the package does not ship is removed: it
 * could only break a consumer. Pure; `exists` answers for package-relative paths.
 */
export interface MergeOptions {
  /** Files the build writes (package-relative, `./` prefixed; see plannedFiles). */
  planned: Set<string>;
  /** Output folder, package-relative without `./` (`dist`): an existing file there is a stale build output. */
  outDir: string;
  /** Whether a package-relative file exists now (sources, hand-written types, assets). */
  exists: (path: string) => boolean;
}

export interface MergeResult {
  packageJson: Record<string, unknown>;
  /** One line per field that changed, for `nx sync:check` (`exports["."]: …`). */
  changes: string[];
  /** What was left as written but points nowhere (a `bin` the build does not write). */
  warnings: string[];
}

/** The conditions this plugin writes; a user's other conditions are kept where they ship. */
const OWN_CONDITIONS = new Set(['types', 'import', 'require', 'default']);
const TOP_LEVEL = ['main', 'module', 'types'] as const;

export function mergeEntryPoints(packageJson: Record<string, unknown>, fields: EntryPointFields, options: MergeOptions): MergeResult {
  const changes: string[] = [];
  const ships = shipsCheck(options);
  const values: Record<string, unknown> = { exports: mergeExports(packageJson.exports, fields.exports, ships, changes) };
  // `typings` is the older spelling; a package that uses it keeps it.
  const typesKey = 'typings' in packageJson && !('types' in packageJson) ? 'typings' : 'types';
  for (const key of TOP_LEVEL) {
    const field = key === 'types' ? typesKey : key;
    const before = packageJson[field];
    const computed = fields[key];
    if (computed !== undefined) values[field] = computed;
    else if (typeof before === 'string' && ships(before)) values[field] = before;
    else if (before !== undefined) values[field] = undefined;
  }
  for (const [field, value] of Object.entries(values)) {
    if (field === 'exports') continue;
    const before = packageJson[field];
    if (value === undefined && before !== undefined) changes.push(`${field}: removed ${JSON.stringify(before)} (not written by the build, not in the package)`);
    else if (value !== undefined && !sameJson(before, value)) changes.push(`${field}: ${before === undefined ? '' : `${JSON.stringify(before)} → `}${JSON.stringify(value)}`);
  }
  return { packageJson: placeFields(packageJson, values), changes, warnings: binWarnings(packageJson.bin, ships) };
}

/**
 * Existing fields stay where they are; a new one goes before the first existing field that follows
 * it in the usual order (main, module, types, exports), else at the end.
 */
function placeFields(packageJson: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const order = ['main', 'module', 'types', 'typings', 'exports'];
  const out: Record<string, unknown> = {};
  const pending = order.filter((k) => k in values && !(k in packageJson) && values[k] !== undefined);
  const emitBefore = (rank: number) => {
    while (pending.length && order.indexOf(pending[0]) < rank) {
      const key = pending.shift()!;
      out[key] = values[key];
    }
  };
  for (const [key, before] of Object.entries(packageJson)) {
    if (order.includes(key)) emitBefore(order.indexOf(key));
    if (!(key in values)) out[key] = before;
    else if (values[key] !== undefined) out[key] = values[key];
  }
  emitBefore(order.length);
  return out;
}

function mergeExports(before: unknown, ours: Record<string, ExportsValue>, ships: (p: string) => boolean, changes: string[]): ExportsValue | undefined {
  if (Object.keys(ours).length === 0) return before as ExportsValue | undefined;
  const existing = subpathsOf(before);
  const out: Record<string, ExportsValue> = {};
  for (const [subpath, value] of Object.entries(existing)) {
    if (subpath in ours) {
      out[subpath] = mergeConditions(value, ours[subpath], ships, subpath, changes);
      if (!sameJson(value, out[subpath])) changes.push(`exports["${subpath}"]: ${JSON.stringify(value)} → ${JSON.stringify(out[subpath])}`);
    } else if (subpath.includes('*') || shipsAll(value, ships)) {
      out[subpath] = value;
    } else {
      changes.push(`exports["${subpath}"]: removed ${JSON.stringify(value)} (not written by the build, not in the package)`);
    }
  }
  for (const [subpath, value] of Object.entries(ours)) {
    if (subpath in out) continue;
    out[subpath] = value;
    changes.push(`exports["${subpath}"]: ${JSON.stringify(value)}`);
  }
  return out;
}

/** `exports` as subpath → value; the shorthand forms (a path, or conditions alone) are `.`. */
function subpathsOf(exports: unknown): Record<string, ExportsValue> {
  if (exports === undefined) return {};
  if (isObject(exports) && Object.keys(exports).length > 0 && Object.keys(exports).every((k) => k.startsWith('.'))) return exports as Record<string, ExportsValue>;
  return { '.': exports as ExportsValue };
}

/**
 * The user's other conditions first, in their order (Node and TypeScript take the first that
 * matches, so `development` must stay ahead), then ours: they end in the catch-all `default`.
 */
function mergeConditions(before: ExportsValue, ours: ExportsValue, ships: (p: string) => boolean, subpath: string, changes: string[]): ExportsValue {
  if (!isObject(before)) return ours;
  const kept: Record<string, ExportsValue> = {};
  for (const [condition, value] of Object.entries(before)) {
    if (OWN_CONDITIONS.has(condition)) continue;
    if (shipsAll(value, ships)) kept[condition] = value;
    else changes.push(`exports["${subpath}"].${condition}: removed ${JSON.stringify(value)} (not written by the build, not in the package)`);
  }
  if (Object.keys(kept).length === 0) return ours;
  return { ...kept, ...(isObject(ours) ? ours : { default: ours }) };
}

function shipsAll(value: ExportsValue, ships: (p: string) => boolean): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.includes('*') || ships(value);
  if (Array.isArray(value)) return value.every((v) => shipsAll(v, ships));
  return Object.values(value).every((v) => shipsAll(v, ships));
}

/** Written by this build, or a file the package has outside its output folder. */
function shipsCheck({ planned, outDir, exists }: MergeOptions): (path: string) => boolean {
  const dir = `${normalize(outDir).replace(/\/$/, '')}/`;
  return (path) => {
    const file = normalize(path);
    if (planned.has(`./${file}`)) return true;
    return !`${file}/`.startsWith(dir) && exists(`./${file}`);
  };
}

function binWarnings(bin: unknown, ships: (p: string) => boolean): string[] {
  const entries = typeof bin === 'string' ? [['bin', bin]] : isObject(bin) ? Object.entries(bin).map(([k, v]) => [`bin.${k}`, v]) : [];
  return entries
    .filter(([, path]) => typeof path === 'string' && !ships(path))
    .map(([field, path]) => `${field}: ${JSON.stringify(path)} is not written by the build and not in the package; left as written.`);
}

function normalize(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function isObject(v: unknown): v is Record<string, ExportsValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
