import type { ConfigVouchers } from '../config/load-package-config';
import type { BuildResult } from '../result/schema';
import { listArtifacts } from './phases/artifacts';
import { buildIntoStaging } from './phases/build-into-staging';
import { loadResolvedBuild } from './phases/config';
import { createBuildContext, recordFailure, type BuildContext } from './phases/context';
import { ReportedFailure } from './phases/errors';
import { finishInStaging } from './phases/finish-in-staging';
import { acquireLock } from './phases/lock';
import { checkStagedPackage } from './phases/package-contract';
import { generatePackageJson } from './phases/package-json';
import { runPostHooks } from './phases/post-hooks';
import { prepareBuild } from './phases/prepare';
import { publishBuild } from './phases/publish';
import { buildResult, redactRecords, writeResult } from './phases/result';
import { swapIntoPlace } from './phases/swap';
import { verifyStaging } from './phases/verify-staging';
import { discardStaging } from './staging';

export { formatError } from './phases/errors';

export interface BuildRequest {
  /** Project name (the Nx project, or the package folder name outside Nx). */
  project: string;
  workspaceRoot: string;
  /** Absolute or workspace-relative package folder. */
  packageRoot: string;
  /** Config file; found in the package root when omitted. */
  configFile?: string;
  /** Environment name (Nx configuration); default: ci when CI is set, else development. */
  configuration?: string;
  /** Remove previous outputs, result and incremental state before building. */
  clean?: boolean;
  /**
   * What `builder: 'auto'` must resolve to ("bun@1.4.5" or "esbuild"), when the caller has
   * already decided (Nx inference puts it in the task hash); detected here otherwise.
   */
  autoBuilder?: string;
  /** Replace an existing outDir that this plugin did not create. */
  force?: boolean;
  /** false: ignore builder incremental state for a full rebuild. Default true. */
  incremental?: boolean;
  /** Recorded in the result (Nx passes the task hash). */
  inputHash?: string;
  /** Stop evaluating build.config.ts after this long (BS_CONFIG_TIMEOUT). Default 30 s. */
  configTimeoutMs?: number;
  /** What the caller already checked about configs (Nx: the inference plugin), see ConfigVouchers. */
  vouchers?: ConfigVouchers;
  /** Give up waiting for another build of the same package after this long. Default 10 minutes. */
  lockTimeoutMs?: number;
  /** Roots of the other projects (workspace-relative), for the output-path guard. */
  projectRoots?: string[];
  env?: NodeJS.ProcessEnv;
  onLog?: (text: string, stream: 'stdout' | 'stderr') => void;
  /**
   * onLog's stream shows colors: diagnostics and error lines carry ANSI codes there (never in
   * build.log or the result). The caller decides, see colorEnabled(). Default false.
   */
  color?: boolean;
  /**
   * Print a sign of life on onLog's stdout when a phase is quiet for a while (see progress.ts):
   * `tty: true` rewrites one line in place, otherwise a plain line every `quietMs` (default 5 s).
   * Never in build.log or the result. The caller decides, as for color. Default: none.
   */
  progress?: { tty: boolean; quietMs?: number };
  signal?: AbortSignal;
}

/**
 * One build from config file to BuildResult, as a pipeline of phases (src/engine/phases/, see
 * docs/architecture.md) sharing one BuildContext. Every failure becomes a result with a stable
 * code; nothing here throws for a bad build. Re-entrant: no global state.
 */
export async function runBuild(request: BuildRequest): Promise<BuildResult> {
  const ctx = createBuildContext(request);
  const locked = await acquireLock(ctx);
  if ('result' in locked) return locked.result;
  await buildUnderLock(ctx);
  redactRecords(ctx);
  const publish = await publishBuild(ctx, ctx.errors.length ? 'failure' : 'success');
  return writeResult(ctx, buildResult(ctx, locked.lock, publish), locked.lock);
}

/** Config to post hooks. A failure stops the pipeline and is recorded; staging never outlives it. */
async function buildUnderLock(ctx: BuildContext): Promise<void> {
  try {
    const build = await loadResolvedBuild(ctx);
    const prepared = await prepareBuild(ctx, build);
    const { staging, outcome } = await buildIntoStaging(ctx, prepared);
    const produced = await verifyStaging(ctx, prepared, staging, outcome);
    await finishInStaging(ctx, prepared, staging, produced);
    await generatePackageJson(ctx, prepared, staging, produced);
    await checkStagedPackage(ctx, prepared, staging);
    await swapIntoPlace(ctx, staging);
    await listArtifacts(ctx, prepared, produced);
    await runPostHooks(ctx, prepared);
  } catch (e) {
    if (!(e instanceof ReportedFailure)) recordFailure(ctx, e);
  } finally {
    ctx.progress?.stop();
    if (ctx.staging) await discardStaging(ctx.staging).catch(() => undefined);
  }
}
