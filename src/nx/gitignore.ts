import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { RESULT_DIR, RESULT_FILE } from '../config/resolve';

/**
 * The plugin's own folders as .gitignore rules: the init generator adds them, inference warns when
 * they are missing. Committed results would be inputs of dependents (cache misses) and dirty git.
 */
export const RESULT_DIR_RULE = `${RESULT_DIR}/`;
export const RUNS_DIR_RULE = '.nx/build-system/';

/** Patterns (after dropping a trailing `/` or `/**`) that ignore each folder, as git reads them. */
const RESULT_DIR_PATTERNS = new Set(['.build-system', '**/.build-system']);
// A pattern with a slash is anchored to the .gitignore's folder, so `.nx` and `/.nx` are the same here.
const NX_DIR_PATTERNS = new Set(['.nx', '/.nx', '**/.nx', '.nx/*', '/.nx/*']);
const RUNS_DIR_PATTERNS = new Set(['.nx/build-system', '/.nx/build-system', '**/.nx/build-system']);

/**
 * Which of `rules` (RESULT_DIR_RULE, RUNS_DIR_RULE) the root .gitignore `content` does not cover
 * yet. Recognises equivalent spellings (`.build-system`, `/.nx`, `.nx/`, `.nx/**`) and a later
 * `!` negation; a rule only in a nested .gitignore is not seen here (see findUnignoredPaths).
 */
export function missingGitignoreRules(content: string, rules: readonly string[] = [RESULT_DIR_RULE, RUNS_DIR_RULE]): string[] {
  let resultDir = false;
  let nxDir = false;
  let runsDir = false;
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    const ignored = !line.startsWith('!');
    const pattern = (ignored ? line : line.slice(1)).replace(/\/\*\*$/, '').replace(/\/$/, '');
    // The last matching line wins, as in git.
    if (RESULT_DIR_PATTERNS.has(pattern)) resultDir = ignored;
    if (NX_DIR_PATTERNS.has(pattern)) nxDir = ignored;
    if (RUNS_DIR_PATTERNS.has(pattern)) runsDir = ignored;
  }
  return rules.filter((rule) => (rule === RESULT_DIR_RULE ? !resultDir : rule === RUNS_DIR_RULE ? !(nxDir || runsDir) : true));
}

/**
 * The warning inference prints when the `.build-system/` of some of `projectRoots` (or, with run
 * summaries on, `.nx/build-system/`) is not git-ignored; undefined when all are, or outside git.
 * The root .gitignore answers in well under a millisecond; only when it lacks a rule is git asked
 * (one process, a few ms), which also reads nested .gitignore files and .git/info/exclude.
 */
export async function unignoredFoldersWarning(workspaceRoot: string, projectRoots: readonly string[], runSummary: boolean): Promise<string | undefined> {
  const rules = runSummary ? [RESULT_DIR_RULE, RUNS_DIR_RULE] : [RESULT_DIR_RULE];
  // Async: inference runs on every nx command (and in the daemon), where blocking I/O holds up the graph.
  const content = await readFile(join(workspaceRoot, '.gitignore'), 'utf8').catch(() => '');
  const missing = missingGitignoreRules(content, rules);
  if (missing.length === 0 || projectRoots.length === 0) return undefined;

  // A file inside each folder: git matches its parent folders against the directory patterns.
  const probes = new Map<string, string>();
  if (missing.includes(RESULT_DIR_RULE)) {
    for (const root of projectRoots) probes.set(posix.join(root, RESULT_FILE), `${posix.join(root, RESULT_DIR)}/`);
  }
  if (missing.includes(RUNS_DIR_RULE)) probes.set(`${RUNS_DIR_RULE}runs/latest.json`, RUNS_DIR_RULE);
  const git = await checkIgnore(workspaceRoot, [...probes.keys()]);
  // 0: some are ignored, 1: none; anything else (not a repository, no git) leaves nothing to warn about.
  if (git.status !== 0 && git.status !== 1) return undefined;
  const ignored = new Set(git.stdout.split('\n').filter(Boolean));
  const unignored = [...probes].filter(([probe]) => !ignored.has(probe)).map(([, folder]) => folder);
  if (unignored.length === 0) return undefined;

  const rulesToAdd = [...new Set(unignored.map((folder) => (folder === RUNS_DIR_RULE ? RUNS_DIR_RULE : RESULT_DIR_RULE)))];
  const shown = unignored.slice(0, 3).join(', ') + (unignored.length > 3 ? ` and ${unignored.length - 3} more` : '');
  return [
    `@repo/build-system: not git-ignored: ${shown}.`,
    `Add to .gitignore (or run \`nx g @repo/build-system:init\`): ${rulesToAdd.join(' ')}`,
    'Otherwise `git add -A` commits build results and run summaries, and a committed result makes dependents miss the cache.',
  ].join('\n');
}

/** `git check-ignore --stdin` over `paths`: its exit status (0 some ignored, 1 none) and the ignored ones. */
function checkIgnore(cwd: string, paths: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile('git', ['check-ignore', '--no-index', '--stdin'], { cwd, encoding: 'utf8', timeout: 5_000 }, (error, stdout) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout: stdout ?? '' });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(paths.join('\n'));
  });
}
