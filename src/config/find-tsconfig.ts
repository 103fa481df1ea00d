import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseError } from 'jsonc-parser';

/**
 * Which tsconfig builds a package, found the way Nx does. `create-nx-workspace --preset=ts` gives
 * each package a solution `tsconfig.json` (`"files": []`, only `references`) that compiles nothing
 * itself; its options live in `tsconfig.lib.json` (what `@nx/js/typescript` builds from), and other
 * repositories call that file `tsconfig.build.json`.
 */
export interface TsconfigChoice {
  /** Package-relative path with `/`, e.g. `tsconfig.lib.json`. */
  file: string;
  /**
   * `tsconfig`: the package's own `tsconfig.json`. `solution`: `tsconfig.json` is a solution file
   * and this is the build tsconfig beside it. `no-tsconfig-json`: there is no `tsconfig.json`, and
   * this build tsconfig is the one there is. `solution-only`: `tsconfig.json` is a solution file
   * and no build tsconfig is beside it (a build from it compiles nothing; the builders say so).
   */
  reason: 'tsconfig' | 'solution' | 'no-tsconfig-json' | 'solution-only';
}

/** Build tsconfigs, in the order they are tried beside a solution (or missing) `tsconfig.json`. */
export const BUILD_TSCONFIG_NAMES = ['tsconfig.lib.json', 'tsconfig.build.json'] as const;

/** Reads a file as text, or undefined when it does not exist. Node's file system by default; a generator passes its Tree. */
export type ReadText = (file: string) => string | undefined;

/**
 * The tsconfig for the package at `packageRoot`, or undefined when it has none. Reads only the
 * files it names through `readText` (so `packageRoot` may be relative when `readText` is a Tree's
 * reader): a pure function of the file system.
 */
export function findTsconfig(packageRoot: string, readText: ReadText = readIfExists): TsconfigChoice | undefined {
  const main = readText(join(packageRoot, 'tsconfig.json'));
  if (main !== undefined && !isSolutionTsconfig(parseJsonc(main))) return { file: 'tsconfig.json', reason: 'tsconfig' };
  const build = BUILD_TSCONFIG_NAMES.find((name) => readText(join(packageRoot, name)) !== undefined);
  if (build) return { file: build, reason: main === undefined ? 'no-tsconfig-json' : 'solution' };
  return main === undefined ? undefined : { file: 'tsconfig.json', reason: 'solution-only' };
}

/**
 * A tsconfig that compiles nothing itself and only lists project references: `"files": []` with no
 * `include` (or an empty one), or `"include": []` with no `files`. Read from the file's own JSON
 * (not its `extends`), as Nx's own check does.
 */
export function isSolutionTsconfig(json: unknown): boolean {
  if (!json || typeof json !== 'object') return false;
  const { files, include, references } = json as { files?: unknown; include?: unknown; references?: unknown };
  if (!Array.isArray(references) || references.length === 0) return false;
  const empty = (v: unknown) => Array.isArray(v) && v.length === 0;
  return (empty(files) && (include === undefined || empty(include))) || (empty(include) && files === undefined);
}

/** tsconfig files are JSON with comments and trailing commas; undefined when unreadable. */
export function parseJsonc(text: string): unknown {
  // Required on first use: the inference plugin loads config/resolve.ts (for its constants) on
  // every graph computation and never needs a parser.
  const { parse } = require('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length ? undefined : value;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
