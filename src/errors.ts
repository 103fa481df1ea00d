/**
 * Every failure the build system reports has a stable code from this catalogue.
 * Codes never change meaning; new failures get new codes. docs/errors.md is generated from it.
 */
export type ErrorPhase = 'config' | 'env' | 'lock' | 'hook' | 'build' | 'artifacts' | 'io' | 'publish';

export interface ErrorCodeInfo {
  phase: ErrorPhase;
  title: string;
  /** What the user should do next. */
  fix: string;
}

export const ERROR_CODES = {
  BS_CONFIG_NOT_FOUND: {
    phase: 'config',
    title: 'No build config found',
    fix: 'Create build.config.ts in the package root (or run `nx g @repo/build-system:configuration <project>`).',
  },
  BS_CONFIG_SYNTAX: {
    phase: 'config',
    title: 'The build config does not compile',
    fix: 'Fix the error at the reported file:line:column: a syntax error, or an import that cannot be resolved (the message says which).',
  },
  BS_CONFIG_LOAD_FAILED: {
    phase: 'config',
    title: 'The build config threw while it was evaluated',
    fix: 'Fix what the config (or a file it imports) throws while it runs: the message names the exception and the stack under it shows where.',
  },
  BS_CONFIG_TIMEOUT: {
    phase: 'config',
    title: 'The build config did not finish evaluating in time',
    fix: 'The config (or a file it imports) runs a loop that never ends or waits on something that never comes: fix it. A config that is only slow: raise `configTimeoutMs` (plugin option, default 30 s).',
  },
  BS_PLUGIN_OPTIONS_INVALID: {
    phase: 'config',
    title: 'The plugin options in nx.json are wrong',
    fix: 'Fix the option the message names in the `plugins` entry of @repo/build-system in nx.json: known options are buildTargetName, cleanTargetName, runSummary and configTimeoutMs.',
  },
  BS_EXECUTOR_OPTIONS_INVALID: {
    phase: 'config',
    title: 'An option of the build or clean target has the wrong type or name',
    fix: 'Fix the option the message names where the target\'s options are set: `targets.<target>.options` (or a configuration) in project.json, `nx.targets` in package.json, or `targetDefaults` in nx.json. `nx show project <project> --json` shows the merged options.',
  },
  BS_CONFIG_NO_EXPORT: {
    phase: 'config',
    title: 'The build config has no default export',
    fix: 'Write `export default defineBuildConfig({ ... })` (or export a `buildConfig` constant).',
  },
  BS_CONFIG_INVALID: {
    phase: 'config',
    title: 'The build config does not match the schema',
    fix: 'Fix each listed key; see docs/config.md for every option and its type.',
  },
  BS_ENVIRONMENT_UNKNOWN: {
    phase: 'config',
    title: 'The requested environment is not defined',
    fix: 'Use one of the environments listed in the config (`environments: { ... }`), or development / ci / production.',
  },
  BS_ENTRY_NOT_FOUND: {
    phase: 'config',
    title: 'An entry file does not exist',
    fix: 'Fix the `entry` path in build.config.ts; paths are relative to the package root.',
  },
  BS_BUILDER_UNKNOWN: {
    phase: 'config',
    title: 'Unknown builder',
    fix: 'Use one of the built-in builders or `{ module: "<package>" }` for a third-party adapter.',
  },
  BS_BUILDER_UNAVAILABLE: {
    phase: 'build',
    title: 'The requested builder is not installed',
    fix: 'Install the builder in the workspace (for example `npm i -D esbuild`) or choose another builder.',
  },
  BS_BUILD_FAILED: {
    phase: 'build',
    title: 'The builder reported errors',
    fix: 'Fix the errors listed with their file:line:column, then build again.',
  },
  BS_BUILD_CRASHED: {
    phase: 'build',
    title: 'The builder crashed',
    fix: 'Read the build log; this is usually a bug in the builder or an adapter.',
  },
  BS_BUILD_TIMEOUT: {
    phase: 'build',
    title: 'The builder did not finish in time',
    fix: 'The builder ran longer than `buildTimeoutMs` (default 30 minutes) and was stopped with everything it started. Find what hangs in build.log (a watch flag in builderOptions? a plugin waiting on input?); raise `buildTimeoutMs` only for a build that is just slow.',
  },
  BS_BUILD_CANCELLED: {
    phase: 'build',
    title: 'The build was cancelled',
    fix: 'Nothing to fix: the build was interrupted and its outputs were not kept.',
  },
  BS_ENV_MISSING: {
    phase: 'env',
    title: 'A required environment variable is not set',
    fix: 'Set the named variables (or give them a default in `env.defaults`).',
  },
  BS_HOOK_FAILED: {
    phase: 'hook',
    title: 'A build hook failed',
    fix: 'Fix the hook command or function named in the message.',
  },
  BS_FINISH_FAILED: {
    phase: 'hook',
    title: 'A finishing step failed',
    fix: 'Fix the `finish` step named in the message (it runs in the staging folder, before the new output replaces outDir: the old outputs are kept). Its output is in the build log.',
  },
  BS_COPY_NO_MATCH: {
    phase: 'artifacts',
    title: 'A `copy` file or glob matched nothing',
    fix: 'Fix the `copy` entry named in the message: paths and globs are relative to the package root (node_modules and outDir are never searched). Remove it if the file is gone on purpose.',
  },
  BS_COPY_OUTSIDE_PACKAGE: {
    phase: 'config',
    title: 'A `copy` source or target is outside its folder',
    fix: 'Copy only files inside the package (`from` relative to the package root, no `..`, no links that leave it, not from outDir, which holds the previous output) to paths inside outDir (`to` relative to outDir, no `..`). Files from elsewhere: copy them into the package first, e.g. in a pre hook.',
  },
  BS_COPY_CONFLICT: {
    phase: 'artifacts',
    title: 'A `copy` target would overwrite another output',
    fix: 'Give the copied file another `to`: the named file was already written by the builder or by an earlier `copy` entry.',
  },
  BS_LOCK_TIMEOUT: {
    phase: 'lock',
    title: 'Timed out waiting for another build of the same package',
    fix: 'Wait for the named process to finish, or stop it; a dead holder is taken over automatically.',
  },
  BS_UNSAFE_PATH: {
    phase: 'io',
    title: 'Refused to write or delete an unsafe path',
    fix: 'Point outDir / clean at a folder inside the package that holds no sources.',
  },
  BS_ARTIFACT_MISSING: {
    phase: 'artifacts',
    title: 'An expected output was not produced',
    fix: 'The builder finished without an error but did not write what was expected: read its output in the build log, and check `entry`, `outDir` and `artifacts` (for tsc and dts: what the tsconfig includes).',
  },
  BS_OUTPUT_NOT_REGULAR: {
    phase: 'artifacts',
    title: 'The output holds a symbolic link or a special file',
    fix: 'Make the build write regular files only: copy the file a link points at instead of linking it (a link is never followed: it could list and publish files outside the package), and never create FIFOs, sockets or device files in outDir.',
  },
  BS_PACKAGE_CONTRACT: {
    phase: 'artifacts',
    title: 'A package.json entry point does not match what the build produced',
    fix: 'Make package.json point at the files the build writes (the message names the field, the path and what was built), or change the build so it writes them; `packageJson: { check: \'warn\' }` in build.config.ts reports instead of failing.',
  },
  BS_PUBLISH_FAILED: {
    phase: 'publish',
    title: 'Publishing the artifacts failed',
    fix: 'The build itself succeeded and its artifacts are kept. Fix what the message names (target, token, server) and run the build again: the task failed, so Nx did not cache it and the next run publishes again.',
  },
  BS_CACHE_INTEGRITY: {
    phase: 'artifacts',
    title: 'Outputs restored from the cache do not match their result',
    fix: 'Run the build with --skip-nx-cache to replace them, and check the cache (local or remote) that served them.',
  },
  BS_PACKAGE_JSON_CONFLICT: {
    phase: 'artifacts',
    title: 'packageJson.generate found a package.json the builder wrote',
    fix: 'Either let the build generate outDir/package.json (packageJson.generate) or let the builder write it, not both: remove one of them.',
  },
  BS_IO_FAILED: {
    phase: 'io',
    title: 'Could not read or write a file',
    fix: 'Check disk space and permissions for the path named in the message.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
  /** A code frame or other multi-line detail printed under the message. */
  detail?: string;
  /** Several independent problems (schema issues): each becomes its own entry in result errors[]. */
  issues?: string[];
}

/** A failure with a stable code. Throw this, never a bare string. */
export class BuildSystemError extends Error {
  readonly code: ErrorCode;
  readonly phase: ErrorPhase;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint: string;
  readonly detail?: string;
  readonly issues?: string[];

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'BuildSystemError';
    this.code = code;
    this.phase = ERROR_CODES[code].phase;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.hint = details.hint ?? ERROR_CODES[code].fix;
    this.detail = details.detail;
    this.issues = details.issues;
  }

  /** One human-readable block: code, location, message, detail and what to do. */
  format(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : ''}: ` : '';
    const lines = [`${this.code} ${where}${this.message}`];
    if (this.detail) lines.push(this.detail);
    lines.push(`  → ${this.hint}`);
    return lines.join('\n');
  }
}

/** BS_IO_FAILED's hint for an errno: "check disk space and permissions" fits only some causes. */
export function ioFailureHint(code: string | undefined): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'Free disk space (or quota) on the volume of the path named in the message, then build again.';
  if (code === 'EACCES' || code === 'EPERM') return 'Give the user running the build write access to the path named in the message (or remove what locks it), then build again.';
  if (code === 'EROFS') return 'The path named in the message is on a read-only file system: build where it is writable, or point outDir elsewhere.';
  if (code === 'EMFILE' || code === 'ENFILE') return 'Too many open files: raise the limit (ulimit -n) or build with lower --parallel, then build again.';
  if (code === 'EBUSY') return 'Another process holds the path named in the message (an editor, a watcher, antivirus): close it and build again.';
  if (code === 'EXDEV') return 'The path named in the message is on another device than its folder (a mount inside the package?): keep outDir and its parent on one file system.';
  return ERROR_CODES.BS_IO_FAILED.fix;
}

export function isBuildSystemError(e: unknown): e is BuildSystemError {
  return e instanceof BuildSystemError;
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
