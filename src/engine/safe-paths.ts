import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { RESULT_DIR } from '../config/resolve';
import { BuildSystemError } from '../errors';
import { leavesBase } from '../paths';
import { OWNERSHIP_MARKER } from './output-ownership';

/** `child` is strictly inside `parent` (both absolute, already real). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !leavesBase(rel);
}

/**
 * Real path of a path that may not exist yet: the nearest existing ancestor is resolved through
 * its symlinks and the rest appended, so `dist -> /elsewhere` is judged as /elsewhere.
 */
export function realPathOf(path: string): string {
  let current = resolve(path);
  const rest: string[] = [];
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    rest.unshift(basename(current));
    current = parent;
  }
  return join(realpathSync.native(current), ...rest);
}

export interface OutputDirCheck {
  workspaceRoot: string;
  packageRoot: string;
  /** The folder that will be replaced or deleted. */
  dir: string;
  /** What the folder is for, in messages ("outDir", "clean path"). */
  label: string;
  /** Files that must never be inside it (the config and the files it imports, entries). */
  protectedFiles: string[];
  /** Roots of the other projects in the workspace, when known. */
  projectRoots?: string[];
}

/**
 * The guard in front of every delete and every output swap (DESIGN.md "Safety rules"): the folder
 * must be strictly inside the package, after symlinks are resolved, and must hold nothing we
 * would lose: no config, no entry, no nested project, no node_modules or .git.
 */
export function assertSafeOutputDir(check: OutputDirCheck): void {
  const refuse = (why: string): never => {
    throw new BuildSystemError('BS_UNSAFE_PATH', `Refusing to use ${check.label} "${relative(check.packageRoot, check.dir) || '.'}": ${why}.`, {
      file: check.dir,
    });
  };
  const packageReal = realPathOf(check.packageRoot);
  const workspaceReal = realPathOf(check.workspaceRoot);
  const dirReal = realPathOf(check.dir);
  if (dirReal === workspaceReal) refuse('it is the workspace root');
  if (dirReal === packageReal) refuse('it is the package root');
  if (isInside(dirReal, packageReal)) refuse('it contains the package');
  if (!isInside(workspaceReal, dirReal)) refuse('it is outside the workspace');
  if (!isInside(packageReal, dirReal)) refuse('it is outside the package (check for a symlink on the way)');
  const parts = relative(packageReal, dirReal).split(sep);
  if (parts.includes('node_modules')) refuse('it is inside node_modules');
  if (parts.includes('.git')) refuse('it is inside .git');
  // The result folder holds the lock, result.json and build.log of the build that is running.
  if (parts[0] === RESULT_DIR) refuse(`it is (or is inside) ${RESULT_DIR}, where this plugin keeps the lock, result and log`);
  for (const file of check.protectedFiles) {
    const real = realPathOf(file);
    if (isInside(dirReal, real)) refuse(`it contains ${relative(packageReal, real)}, which the build reads`);
  }
  for (const root of check.projectRoots ?? []) {
    const real = realPathOf(resolve(check.workspaceRoot, root));
    if (real === dirReal || isInside(dirReal, real)) refuse(`it contains the project at ${root}`);
  }
  // A package.json in an outDir this plugin wrote is its own (packageJson.generate), not a project.
  const ours = existsSync(join(dirReal, OWNERSHIP_MARKER));
  for (const marker of ['package.json', 'project.json', '.git']) {
    if (marker === 'package.json' && ours) continue;
    if (existsSync(join(dirReal, marker))) refuse(`it holds a ${marker}`);
  }
}
