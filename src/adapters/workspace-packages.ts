import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * `node_modules/<name>` as Node would find it from the package, but only inside the workspace:
 * a builder is the workspace's own, never one from some folder above it. Exports maps are not
 * consulted (a package's folder is wanted, not one of its entry points).
 */
export function findWorkspacePackage(name: string, ctx: { workspaceRoot: string; packageRoot: string }): string | undefined {
  for (const dir of foldersUpToWorkspace(ctx)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

/** The package root, its parents, up to and including the workspace root (or just the package root outside it). */
export function foldersUpToWorkspace(ctx: { workspaceRoot: string; packageRoot: string }): string[] {
  const root = resolve(ctx.workspaceRoot);
  let dir = resolve(ctx.packageRoot);
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) return [dir];
  const out = [dir];
  while (dir !== root && dirname(dir) !== dir) {
    dir = dirname(dir);
    out.push(dir);
  }
  return out;
}

export interface PackageManifest {
  name?: string;
  version?: string;
  bin?: string | Record<string, string>;
}

export function readManifest(packageDir: string): PackageManifest {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageManifest;
}
