import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'npm-shrinkwrap.json'];

let cached: { key: string; text: string; answers: Map<string, boolean> } | undefined;

/**
 * Whether the workspace lockfile pins a package. Nx fails every hash that names an
 * `externalDependencies` entry missing from its graph, so inference only names builders that
 * are locked. Returns a checker for one createNodes call: the lockfile is found and stat'ed once,
 * read once per version, and each name is searched once per version (1000 projects ask about the
 * same three names).
 */
export function lockfileChecker(workspaceRoot: string): (name: string) => boolean {
  const file = LOCKFILES.map((f) => join(workspaceRoot, f)).find((f) => existsSync(f));
  if (!file) return () => false;
  const key = `${file}:${statSync(file).mtimeMs}`;
  if (cached?.key !== key) cached = { key, text: readFileSync(file, 'utf8'), answers: new Map() };
  const { text, answers } = cached;
  return (name) => {
    let answer = answers.get(name);
    if (answer === undefined) {
      const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      // package-lock: "node_modules/esbuild"; pnpm: /esbuild@ or esbuild@; yarn: esbuild@ / "esbuild@; bun: "esbuild": [
      answer = new RegExp(`(node_modules/${escaped}"|(^|[\\s"'/])${escaped}@|"${escaped}": \\[)`, 'm').test(text);
      answers.set(name, answer);
    }
    return answer;
  };
}
