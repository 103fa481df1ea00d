import { resolve } from 'node:path';
import type { SelectedAdapter } from '../../adapters/registry';
import { LOG_FILE, RESULT_FILE, type ResolvedBuild } from '../../config/resolve';
import type { BuildErrorRecord, BuildResult, BuildWarningRecord, EntryPointRecord, HookRecord } from '../../result/schema';
import { relativePosix } from '../../paths';
import { BuildLog } from '../build-log';
import { startProgress, type Progress } from '../progress';
import type { Staging } from '../staging';
import type { BuildRequest } from '../run-build';
import { asBuildSystemError, errorRecords, formatError } from './errors';

/**
 * The state one build shares between its phases (src/engine/phases/*): what the request asked,
 * where to report, and what the phases found so far. Created once per runBuild call.
 */
export interface BuildContext {
  request: BuildRequest;
  started: Date;
  /** performance.now() at the start, for durationMs. */
  t0: number;
  workspaceRoot: string;
  packageRoot: string;
  resultFile: string;
  logFile: string;
  log: BuildLog;
  progress?: Progress;
  color: boolean;
  signal: AbortSignal;
  /** The caller's environment (request.env, else process.env). */
  env: NodeJS.ProcessEnv;
  errors: BuildErrorRecord[];
  warnings: BuildWarningRecord[];
  hooks: HookRecord[];
  /** Workspace-relative POSIX path, as results and messages show paths. */
  rel: (p: string) => string;
  /** Set once staging exists: what users read names outDir, never the staging folder. */
  shown: (text: string) => string;
  /** Set once the environment is known: values of declared variables are never shown or recorded. */
  redact: (text: string) => string;
  /** Filled in by the phases, read by the result. */
  build?: ResolvedBuild;
  selected?: SelectedAdapter;
  staging?: Staging;
  artifacts: BuildResult['artifacts'];
  entryPoints?: EntryPointRecord[];
}

export function createBuildContext(request: BuildRequest): BuildContext {
  const workspaceRoot = resolve(request.workspaceRoot);
  const packageRoot = resolve(workspaceRoot, request.packageRoot);
  const onLog = request.onLog;
  const progress =
    onLog && request.progress
      ? startProgress({ project: request.project, write: (text) => onLog(text, 'stdout'), tty: request.progress.tty, quietMs: request.progress.quietMs })
      : undefined;
  const log = new BuildLog(
    onLog &&
      ((text, stream) => {
        progress?.beforeOutput();
        onLog(text, stream);
      }),
  );
  return {
    request,
    started: new Date(),
    t0: performance.now(),
    workspaceRoot,
    packageRoot,
    resultFile: resolve(packageRoot, RESULT_FILE),
    logFile: resolve(packageRoot, LOG_FILE),
    log,
    progress,
    color: request.color === true,
    signal: request.signal ?? new AbortController().signal,
    env: request.env ?? process.env,
    errors: [],
    warnings: [],
    hooks: [],
    rel: (p) => relativePosix(workspaceRoot, p),
    shown: (text) => text,
    redact: (text) => text,
    artifacts: [],
  };
}

/** Records an error and prints it (terminal and build.log), unless it was printed already. */
export function reportError(ctx: BuildContext, record: BuildErrorRecord, print = true): void {
  ctx.errors.push(record);
  if (print) ctx.log.write(`${formatError(record, ctx.color)}\n`, 'stderr');
}

/** A thrown failure becomes error records, with staging paths shown as outDir. */
export function recordFailure(ctx: BuildContext, e: unknown): void {
  const { shown } = ctx;
  for (const raw of errorRecords(asBuildSystemError(e), ctx.rel)) {
    reportError(ctx, { ...raw, message: shown(raw.message), ...(raw.file ? { file: shown(raw.file) } : {}), ...(raw.hint ? { hint: shown(raw.hint) } : {}) });
  }
}
