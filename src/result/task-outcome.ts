import type { BuildResult } from './schema';

/**
 * Whether the task that produced this result succeeded: the build succeeded and, when it
 * published, so did the publish. A failed publish keeps `status: 'success'` (the artifacts are
 * good and kept) but fails the task, so CI notices and Nx does not cache it.
 */
export function buildTaskSucceeded(result: BuildResult): boolean {
  return result.status === 'success' && result.publish?.status !== 'failure';
}
