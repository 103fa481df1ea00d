/**
 * The plugin's own folders as .gitignore rules: the init generator adds them, inference warns when
 * they are missing. Committed results would be inputs of dependents (cache misses) and dirty git.
 */
export const RESULT_DIR_RULE = '.build-system/';
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
