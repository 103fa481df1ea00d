import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'npm-shrinkwrap.json'];

let cached: { key: string; text: string } | undefined;

/**
 * Whether the workspace lockfile pins `name`. Nx fails every hash that names an
 * `externalDependencies` entry missing from its graph, so inference only names builders that
 * are locked; read once per lockfile version.
 */
export function lockfileHasPackage(workspaceRoot: string, name: string): boolean {
  const file = LOCKFILES.map((f) => join(workspaceRoot, f)).find((f) => existsSync(f));
  if (!file) return false;
  const key = `${file}:${statSync(file).mtimeMs}`;
  if (cached?.key !== key) cached = { key, text: readFileSync(file, 'utf8') };
  const text = cached.text;
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  // package-lock: "node_modules/esbuild"; pnpm: /esbuild@ or esbuild@; yarn: esbuild@ / "esbuild@; bun: "esbuild": [
  return new RegExp(`(node_modules/${escaped}"|(^|[\\s"'/])${escaped}@|"${escaped}": \\[)`, 'm').test(text);
}
