import { delimiter, dirname, join, relative, resolve } from 'node:path';

/**
 * The environment of a builder's child process, hook or custom command, as npm scripts have it:
 * `node_modules/.bin` of `cwd` (the package folder) and of each folder above it up to the
 * workspace root first on PATH, nearest first, so a hook can call `tsc` or a workspace package's
 * bin even when nx was started without them on PATH. A cwd outside the workspace gets its own
 * folder's bin only. The rest of PATH follows unchanged (already-present entries are not repeated).
 */
export function packageBinEnv(env: Record<string, string | undefined>, cwd: string, workspaceRoot: string): Record<string, string | undefined> {
  const bins: string[] = [];
  const root = resolve(workspaceRoot);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    bins.push(join(dir, 'node_modules', '.bin'));
    const rel = relative(root, dir);
    if (!rel || rel.startsWith('..') || dirname(dir) === dir) break;
  }
  // Windows spells it Path (environment names are case-insensitive there); keep the spelling found.
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const rest = (env[key] ?? '').split(delimiter).filter((p) => p && !bins.includes(p));
  return { ...env, [key]: [...bins, ...rest].join(delimiter) };
}
