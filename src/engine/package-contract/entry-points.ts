import type { JsonPath } from './json-positions';

/**
 * The entry points a package.json declares, as leaves: one per path it names, with the field
 * written the way users read it (`exports["./utils"].import`, `bin.mycli`) and the conditions on
 * the way to it. Pure: a parsed package.json in, leaves and shape problems out.
 */

export type EntrySource = 'exports' | 'main' | 'module' | 'types' | 'typings' | 'bin';

export interface EntryLeaf {
  source: EntrySource;
  /** How the message names it, e.g. `exports["./utils"].import` or `bin.mycli`. */
  field: string;
  /** The path as written in package.json. */
  target: string;
  /** Conditions from the subpath down to this leaf, outermost first (exports only). */
  conditions: string[];
  /** Keys from the top of package.json down to this value (for its line and column). */
  path: JsonPath;
}

export interface ShapeProblem {
  field: string;
  message: string;
  path: JsonPath;
}

/** An exports subpath and the value under it (a target, conditions, or fallbacks). */
export interface ExportsSubpath {
  subpath: string;
  field: string;
  value: unknown;
  path: JsonPath;
}

export interface PackageJsonFields {
  exports?: unknown;
  main?: unknown;
  module?: unknown;
  types?: unknown;
  typings?: unknown;
  bin?: unknown;
  name?: unknown;
  type?: unknown;
}

export function entryLeaves(pkg: PackageJsonFields): { leaves: EntryLeaf[]; problems: ShapeProblem[] } {
  const leaves: EntryLeaf[] = [];
  const problems: ShapeProblem[] = [];
  for (const source of ['main', 'module', 'types', 'typings'] as const) {
    const value = pkg[source];
    if (value === undefined) continue;
    if (typeof value === 'string') leaves.push({ source, field: source, target: value, conditions: [], path: [source] });
    else problems.push({ field: source, message: `must be a string path, got ${describe(value)}`, path: [source] });
  }
  if (pkg.exports !== undefined) {
    const { subpaths, problems: shape } = exportsSubpaths(pkg.exports);
    problems.push(...shape);
    for (const s of subpaths) collectTargets(s.value, s.field, s.path, [], leaves, problems);
  }
  if (typeof pkg.bin === 'string') leaves.push({ source: 'bin', field: 'bin', target: pkg.bin, conditions: [], path: ['bin'] });
  else if (isObject(pkg.bin)) {
    for (const [name, target] of Object.entries(pkg.bin)) {
      const field = `bin${member(name)}`;
      if (typeof target === 'string') leaves.push({ source: 'bin', field, target, conditions: [], path: ['bin', name] });
      else problems.push({ field, message: `must be a string path, got ${describe(target)}`, path: ['bin', name] });
    }
  } else if (pkg.bin !== undefined) problems.push({ field: 'bin', message: `must be a path or a map of command name to path, got ${describe(pkg.bin)}`, path: ['bin'] });
  return { leaves, problems };
}

/** `exports` as subpaths: the string and conditions sugar mean the "." subpath. */
export function exportsSubpaths(exports: unknown): { subpaths: ExportsSubpath[]; problems: ShapeProblem[] } {
  const root = { subpath: '.', field: 'exports', value: exports, path: ['exports'] };
  if (!isObject(exports)) return { subpaths: [root], problems: [] };
  const keys = Object.keys(exports);
  const dotted = keys.filter((k) => k.startsWith('.'));
  if (dotted.length === 0) return { subpaths: [root], problems: [] };
  if (dotted.length !== keys.length) {
    // Node refuses the whole field (ERR_INVALID_PACKAGE_CONFIG), so nothing under it resolves.
    return {
      subpaths: [],
      problems: [{ field: 'exports', path: ['exports'], message: `mixes subpaths (${dotted.map((k) => `"${k}"`).join(', ')}) with conditions (${keys.filter((k) => !k.startsWith('.')).map((k) => `"${k}"`).join(', ')}): Node rejects the whole field` }],
    };
  }
  return { subpaths: keys.map((subpath) => ({ subpath, field: `exports${member(subpath, true)}`, value: exports[subpath], path: ['exports', subpath] })), problems: [] };
}

function collectTargets(value: unknown, field: string, path: JsonPath, conditions: string[], leaves: EntryLeaf[], problems: ShapeProblem[]): void {
  if (value === null) return; // an explicit "not exported"
  if (typeof value === 'string') {
    leaves.push({ source: 'exports', field, target: value, conditions, path });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectTargets(v, `${field}[${i}]`, [...path, i], conditions, leaves, problems));
    return;
  }
  if (isObject(value)) {
    for (const [condition, v] of Object.entries(value)) {
      if (condition.startsWith('.')) {
        problems.push({ field, path, message: `has the subpath "${condition}" inside conditions: subpaths belong at the top of "exports"` });
        continue;
      }
      collectTargets(v, `${field}${member(condition)}`, [...path, condition], [...conditions, condition], leaves, problems);
    }
    return;
  }
  problems.push({ field, path, message: `must be a path, a conditions object, an array or null, got ${describe(value)}` });
}

/** Conditions TypeScript matches under node16/nodenext/bundler besides `types` itself. */
const TYPESCRIPT_MATCHES = new Set(['default', 'import', 'require', 'node']);

/**
 * `types` conditions TypeScript never reads in some mode: it takes the first matching key, so a
 * `types` after `import`, `require`, `node` or `default` in the same object loses to that key
 * (publint's EXPORTS_TYPES_SHOULD_BE_FIRST).
 */
export function shadowedTypes(exports: unknown): Array<{ field: string; path: JsonPath; after: string; afterValue: unknown }> {
  const found: Array<{ field: string; path: JsonPath; after: string; afterValue: unknown }> = [];
  const walk = (value: unknown, field: string, path: JsonPath) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${field}[${i}]`, [...path, i]));
    if (!isObject(value)) return;
    const keys = Object.keys(value);
    keys.forEach((key, i) => {
      const earlier = keys.slice(0, i).find((k) => TYPESCRIPT_MATCHES.has(k));
      if (key === 'types' && earlier) found.push({ field: `${field}${member(key)}`, path: [...path, key], after: earlier, afterValue: value[earlier] });
      walk(value[key], `${field}${member(key)}`, [...path, key]);
    });
  };
  for (const s of exportsSubpaths(exports).subpaths) walk(s.value, s.field, s.path);
  return found;
}

/**
 * The target Node (or TypeScript) picks from an exports value for a set of conditions: keys in
 * their written order, `default` always matching, the first target found wins (Node's
 * PACKAGE_TARGET_RESOLVE without the path checks). null: explicitly not exported.
 */
export function pickTarget(
  value: unknown,
  conditions: ReadonlySet<string>,
  field: string,
  path: JsonPath,
): { target: string; field: string; path: JsonPath } | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return { target: value, field, path };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const picked = pickTarget(value[i], conditions, `${field}[${i}]`, [...path, i]);
      if (picked !== undefined) return picked;
    }
    return undefined;
  }
  if (isObject(value)) {
    for (const [condition, v] of Object.entries(value)) {
      if (condition !== 'default' && !conditions.has(condition)) continue;
      const picked = pickTarget(v, conditions, `${field}${member(condition)}`, [...path, condition]);
      if (picked !== undefined) return picked;
    }
  }
  return undefined;
}

/** `.import` for identifiers, `["./utils"]` otherwise (always brackets for subpaths). */
function member(key: string, bracket = false): string {
  return !bracket && /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
