import { join } from 'node:path';
import type { AdapterOutcome, BuilderAdapter, Diagnostic } from '../../adapters/types';
import { resolvedOutput, type ResolvedOutput } from '../../config/resolve';
import { stripAnsi } from '../../color';
import { BuildSystemError } from '../../errors';
import type { BuildErrorRecord, BuildWarningRecord } from '../../result/schema';
import { withBuilderDeadline } from '../builder-deadline';
import { buildOutputs } from '../output-variants';
import { createStaging, showAsOutDir, type Staging } from '../staging';
import { reportError, type BuildContext } from './context';
import { errorRecords, ReportedFailure } from './errors';
import type { PreparedBuild } from './prepare';

/**
 * Creates the staging folder and runs the builder into it. Diagnostics become the result's errors
 * and warnings; a failed, empty-handed or cancelled build throws.
 */
export async function buildIntoStaging(ctx: BuildContext, prepared: PreparedBuild): Promise<{ staging: Staging; outcome: AdapterOutcome }> {
  const { build, selected } = prepared;
  const staging = await createStaging(build.outDir);
  ctx.staging = staging;
  ctx.shown = showAsOutDir(staging);
  ctx.progress?.phase(`build (${selected.adapter.name})`);
  const outcome = await withBuilderDeadline(
    (builderSignal) =>
      buildOutputs(resolvedOutput(build), build.outputs, (output, dir) => runAdapter(ctx, prepared, output, staging, builderSignal, dir), {
        stagingDir: staging.dir,
        log: (text) => ctx.log.write(text),
        show: (path) => ctx.rel(ctx.shown(path)),
        signal: builderSignal,
      }),
    { parent: ctx.signal, timeoutMs: build.buildTimeoutMs, builder: selected.adapter.name },
  );
  recordDiagnostics(ctx, outcome.diagnostics);
  if (ctx.signal.aborted) throw new BuildSystemError('BS_BUILD_CANCELLED', 'The build was cancelled before it finished.');
  if (!outcome.ok) {
    if (ctx.errors.length === 0) {
      for (const r of errorRecords(new BuildSystemError('BS_BUILD_FAILED', `${selected.adapter.name} failed without a diagnostic; see ${ctx.rel(ctx.logFile)}.`), ctx.rel)) reportError(ctx, r);
    }
    throw new ReportedFailure();
  }
  return { staging, outcome };
}

/**
 * Runs the adapter for one resolved output into `dir` of staging ('' for staging itself). The
 * builder's time limit covers every output of the build: `signal` is the deadline's.
 */
export async function runAdapter(ctx: BuildContext, prepared: PreparedBuild, output: ResolvedOutput, staging: Staging, signal: AbortSignal, dir = ''): Promise<AdapterOutcome> {
  const { build, selected, buildEnv } = prepared;
  const adapter: BuilderAdapter = selected.adapter;
  return adapter.build(
    {
      ...output,
      workspaceRoot: ctx.workspaceRoot,
      packageRoot: ctx.packageRoot,
      outDir: join(staging.dir, dir),
      finalOutDir: join(build.outDir, dir),
      env: buildEnv,
      incremental: ctx.request.incremental !== false,
      log: (text, stream) => ctx.log.write(ctx.shown(text), stream),
      color: ctx.color,
      phase: (name) => ctx.progress?.phase(name),
    },
    signal,
  );
}

function recordDiagnostics(ctx: BuildContext, diagnostics: Diagnostic[]): void {
  const { shown, rel } = ctx;
  for (const d of diagnostics) {
    const display = { ...d, message: shown(d.message), ...(d.file ? { file: shown(d.file) } : {}) };
    if (d.severity === 'warning') ctx.warnings.push(toWarning(display, rel));
    // An error the adapter made up itself (not a line of tool output it streamed) is printed
    // here, so the terminal shows every error of a failed build once (see Diagnostic.shown).
    else reportError(ctx, toError(display, rel), !d.shown);
  }
}

function toError(d: Diagnostic, rel: (p: string) => string): BuildErrorRecord {
  return { code: 'BS_BUILD_FAILED', phase: 'build', ...toWarning(d, rel) };
}

function toWarning(d: Diagnostic, rel: (p: string) => string): BuildWarningRecord {
  return {
    message: stripAnsi(d.message),
    ...(d.file ? { file: rel(d.file) } : {}),
    ...(d.line ? { line: d.line } : {}),
    ...(d.column ? { column: d.column } : {}),
    ...(d.code ? { builderCode: d.code } : {}),
  };
}
