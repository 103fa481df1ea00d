import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { isCI, type ResolvedBuild } from '../../config/resolve';
import { writeFileAtomic } from '../../result/atomic-write';
import type { BuildErrorRecord, BuildResult, PublishRecord } from '../../result/schema';
import { RESULT_SCHEMA_VERSION } from '../../result/version';
import type { HeldLock } from '../lock';
import type { BuildRequest } from '../run-build';
import type { BuildContext } from './context';
import { asBuildSystemError, errorRecords, formatError } from './errors';
import { removeQuietly } from './remove-quietly';

/** Values of declared variables never reach the result: applied once every record is in. */
export function redactRecords(ctx: BuildContext): void {
  for (const record of ctx.errors) {
    record.message = ctx.redact(record.message);
    if (record.hint) record.hint = ctx.redact(record.hint);
  }
  for (const record of ctx.warnings) record.message = ctx.redact(record.message);
}

/** The BuildResult of a build that got the lock, from what the phases recorded. */
export function buildResult(ctx: BuildContext, lock: HeldLock, publish: PublishRecord | undefined): BuildResult {
  const { request, errors, build, selected, rel } = ctx;
  const status = errors.length === 0 ? 'success' : 'failure';
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id: randomUUID(),
    project: request.project,
    environment: build?.environment ?? defaultEnvironmentName(request),
    builder: {
      name: selected?.adapter.name ?? builderLabel(build?.builder),
      ...(selected?.availability.version ? { version: selected.availability.version } : {}),
    },
    status,
    exitCode: status === 'success' ? 0 : exitCodeOf(errors),
    startTime: ctx.started.toISOString(),
    endTime: new Date().toISOString(),
    durationMs: Math.round(performance.now() - ctx.t0),
    ...(request.inputHash ? { inputHash: request.inputHash } : {}),
    outDir: rel(build?.outDir ?? resolve(ctx.packageRoot, 'dist')),
    // A failed build claims no files, whatever it got to list.
    artifacts: status === 'success' ? ctx.artifacts : [],
    errors,
    warnings: ctx.warnings,
    hooks: ctx.hooks,
    ...(status === 'success' && ctx.entryPoints ? { entryPoints: ctx.entryPoints } : {}),
    ...(publish ? { publish } : {}),
    lock: { waitedMs: lock.waitedMs },
    logFile: rel(ctx.logFile),
  };
}

/**
 * Writes build.log and result.json, then releases the lock. When they cannot be written, the
 * result turns into a failure and no result stays on disk: it must never claim more than is true.
 */
export async function writeResult(ctx: BuildContext, result: BuildResult, lock: HeldLock): Promise<BuildResult> {
  try {
    await writeFileAtomic(ctx.logFile, ctx.log.text());
    await writeFileAtomic(ctx.resultFile, `${JSON.stringify(result, null, 2)}\n`);
  } catch (e) {
    await removeQuietly(ctx.resultFile).catch(() => undefined);
    result.status = 'failure';
    result.exitCode = 1;
    result.artifacts = [];
    result.errors.push(...errorRecords(asBuildSystemError(e), ctx.rel));
    ctx.request.onLog?.(`${formatError(result.errors[result.errors.length - 1], ctx.color)}\n`, 'stderr');
  } finally {
    await lock.release();
  }
  return result;
}

/** The result of a build that never got the lock: returned, never written (a holder owns the file). */
export function failureWithoutLock(ctx: BuildContext, errors: BuildErrorRecord[]): BuildResult {
  const { request, rel } = ctx;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id: randomUUID(),
    project: request.project,
    environment: defaultEnvironmentName(request),
    builder: { name: 'unknown' },
    status: 'failure',
    exitCode: exitCodeOf(errors),
    startTime: ctx.started.toISOString(),
    endTime: new Date().toISOString(),
    durationMs: Math.round(performance.now() - ctx.t0),
    outDir: rel(resolve(ctx.packageRoot, 'dist')),
    artifacts: [],
    errors,
    warnings: [],
    hooks: [],
    lock: { waitedMs: Math.round(performance.now() - ctx.t0) },
    logFile: rel(ctx.logFile),
  };
}

function exitCodeOf(errors: BuildErrorRecord[]): number {
  return errors.some((x) => x.code === 'BS_BUILD_CANCELLED') ? 130 : 1;
}

/** The environment a build would use when the config could not be read. */
function defaultEnvironmentName(request: BuildRequest): string {
  return request.configuration ?? (isCI(request.env ?? process.env) ? 'ci' : 'development');
}

function builderLabel(builder: ResolvedBuild['builder'] | undefined): string {
  if (!builder) return 'unknown';
  return typeof builder === 'string' ? builder : builder.module;
}
