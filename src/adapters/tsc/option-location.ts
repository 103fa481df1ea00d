import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import type { Diagnostic } from '../types';

/**
 * tsc reports a problem with an option that the tsconfig inherits (`extends`) at that tsconfig's
 * `"compilerOptions"` key: `tsconfig.lib.json(3,3): error TS5098: Option 'customConditions' ...`
 * while the option sits in `tsconfig.base.json`. This moves such a diagnostic to the key that sets
 * the option, following `extends` the way tsc does (the nearest setting wins). Diagnostics that
 * already point at their option, or name no option set in the chain, are returned unchanged.
 */
export function locateOptionDiagnostic(d: Diagnostic): Diagnostic {
  if (!d.file || !d.file.endsWith('.json') || d.line === undefined || d.column === undefined) return d;
  const text = readText(d.file);
  const tree = text === undefined ? undefined : parseTree(text);
  const options = tree && findNodeAtLocation(tree, ['compilerOptions']);
  const key = options?.parent?.children?.[0];
  if (!text || !key || offsetOf(text, d.line, d.column) !== key.offset) return d;
  for (const name of quotedNames(d.message)) {
    const found = findOptionSetting(d.file, name, new Set());
    if (found && (found.file !== d.file || found.line !== d.line)) return { ...d, ...found };
  }
  return d;
}

/** The place of `compilerOptions.<option>` in `configFile` or the nearest file it extends. */
export function findOptionSetting(configFile: string, option: string, seen: Set<string>): { file: string; line: number; column: number } | undefined {
  const found = findOption(configFile, option, seen);
  return found && { file: found.file, ...lineAndColumn(found.text, found.key.offset) };
}

/**
 * The value of `compilerOptions.<option>` that `configFile` ends up with (its own, else the nearest
 * file it extends), and the file that sets it; undefined when none does. Read from the JSON, not
 * through TypeScript (choosing a declaration generator must not load it).
 */
export function readInheritedOption(configFile: string, option: string): { value: unknown; file: string } | undefined {
  const found = findOption(configFile, option, new Set());
  return found && { value: getNodeValue(found.value), file: found.file };
}

function findOption(configFile: string, option: string, seen: Set<string>): { file: string; text: string; key: Node; value: Node } | undefined {
  if (seen.has(configFile)) return undefined;
  seen.add(configFile);
  const text = readText(configFile);
  const tree = text === undefined ? undefined : parseTree(text);
  if (!text || !tree) return undefined;
  const value = findNodeAtLocation(tree, ['compilerOptions', option]);
  const key = value?.parent?.children?.[0];
  if (value && key) return { file: configFile, text, key, value };
  // With several `extends`, later ones override earlier ones: search from the last.
  for (const parent of extendsOf(tree).reverse()) {
    const file = resolveExtends(parent, dirname(configFile));
    const found = file && findOption(file, option, seen);
    if (found) return found;
  }
  return undefined;
}

function extendsOf(tree: Node): string[] {
  const node = findNodeAtLocation(tree, ['extends']);
  const value: unknown = node ? getNodeValue(node) : undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** `./base` and `./base.json` are files; anything else is a package path, resolved like a module from the tsconfig's folder. */
function resolveExtends(specifier: string, fromDir: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const file = resolve(fromDir, specifier);
    return file.endsWith('.json') ? file : readText(file) !== undefined ? file : `${file}.json`;
  }
  const req = createRequire(resolve(fromDir, 'tsconfig.json'));
  for (const candidate of [specifier, `${specifier}.json`, `${specifier}/tsconfig.json`]) {
    try {
      return req.resolve(candidate);
    } catch {
      /* try the next spelling */
    }
  }
  return undefined;
}

/** `Option 'customConditions' can only be used when 'moduleResolution' ...` → customConditions, moduleResolution. */
function quotedNames(message: string): string[] {
  return [...message.matchAll(/'([A-Za-z][A-Za-z0-9]*)'/g)].map((m) => m[1]);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** tsc's line and column are 1-based, the column in characters (UTF-16 units, as JavaScript strings count). */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return -1;
    offset = next + 1;
  }
  return offset + column - 1;
}

/** 1-based line and column (UTF-16 units) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
