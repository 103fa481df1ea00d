import { resolve } from 'node:path';
import { LOCK_FILE } from '../../config/resolve';
import type { BuildResult } from '../../result/schema';
import { acquirePackageLock, describeOwner, type HeldLock } from '../lock';
import type { BuildContext } from './context';
import { asBuildSystemError, errorRecords, formatError } from './errors';
import { failureWithoutLock } from './result';
import { removeQuietly } from './remove-quietly';

/**
 * Waits for the package lock: everything after it, result included, happens under it. Without the
 * lock, the build ends here with a result that is returned but never written (see below).
 */
export async function acquireLock(ctx: BuildContext): Promise<{ lock: HeldLock } | { result: BuildResult }> {
  const { log, request, rel } = ctx;
  try {
    const lock = await acquirePackageLock(resolve(ctx.packageRoot, LOCK_FILE), {
      timeoutMs: request.lockTimeoutMs,
      signal: ctx.signal,
      onWait: (owner) => log.write(`Waiting for another build of ${request.project}: the lock is held by ${describeOwner(owner)}\n`),
    });
    if (lock.tookOverFrom) log.write(`Took over the lock left by ${describeOwner(lock.tookOverFrom)}: that process is gone (or its pid now belongs to another process).\n`);
    return { lock };
  } catch (e) {
    const error = asBuildSystemError(e);
    // A holder owns result.json: then report without touching it. When the lock could not be made
    // at all (disk full, read-only), nobody holds it and the old result must not outlive this
    // failure (the run summary also ignores a result that is not this task's).
    if (error.code === 'BS_IO_FAILED') await removeQuietly(ctx.resultFile).catch(() => undefined);
    const records = errorRecords(error, rel);
    for (const r of records) log.write(`${formatError(r, ctx.color)}\n`, 'stderr');
    return { result: failureWithoutLock(ctx, records) };
  }
}
