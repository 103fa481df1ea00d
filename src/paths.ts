import { isAbsolute, relative, sep } from 'node:path';

/**
 * Paths as paths, not strings. A backslash is a separator only on Windows; on Linux and macOS it
 * is a character a file name may hold, and turning it into `/` records the file under a wrong
 * path.
 */
export function toPosix(path: string): string {
  return sep === '\\' ? path.split('\\').join('/') : path;
}

/** `relative(from, to)` with `/` separators. */
export function relativePosix(from: string, to: string): string {
  return toPosix(relative(from, to));
}

/**
 * Whether a path from `path.relative` (native or `/` separators) leaves its base: `..` itself or
 * `../…` (or another drive),
 * never a name that merely starts with two dots, like `..cache`.
 */
export function leavesBase(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
