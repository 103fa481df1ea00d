import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PostTasksExecutionContext } from '@nx/devkit';
import { RESULT_FILE } from '../config/resolve';
import { mapLimit, sha256Of } from '../engine/artifacts';
import { writeFileAtomic } from '../result/atomic-write';
import type { RunSummary, RunSummaryTask } from '../result/run-summary-schema';
import type { BuildResult } from '../result/schema';
import { RESULT_SCHEMA_VERSION } from '../result/version';
import { takeNotRunTasks } from './task-manifest';
import { relativePosix } from '../paths';

/** Under .nx/, which the daemon does not watch and `nx reset` leaves alone. */
export const RUN_SUMMARY_DIR = '.nx/build-system/runs';
const KEEP = 50;

const CACHE_STATUSES = new Set(['local-cache', 'local-cache-kept-existing', 'remote-cache']);

/**
 * postTasksExecution: one RunSummary per nx command that ran build tasks. Never throws: a hook
 * that throws turns a green run red. Returns the file written, if any.
 */
export async function writeRunSummary(context: PostTasksExecutionContext): Promise<string | undefined> {
  try {
    const ours = Object.values(context.taskResults).filter((r) => r.task.outputs.some((o) => o.endsWith(RESULT_FILE)));
    if (!ours.length) return undefined;
    const skipped = ours.filter((r) => r.status === 'skipped').map((r) => r.task.id);
    // Concurrently: a cache-hit run re-hashes every restored artifact of every task.
    const tasks: RunSummaryTask[] = await mapLimit(
      ours.filter((r) => r.status !== 'skipped'),
      16,
      (r) => summarizeTask(context.workspaceRoot, r.task, r.status),
    );
    const reported = new Set(tasks.map((t) => t.taskId));
    const statuses = new Map(Object.values(context.taskResults).map((r) => [r.task.id, r.status as string]));
    const pending = await takeNotRunTasks(context.workspaceRoot, context.startTime, reported, statuses);
    const notRun = [...new Set([...skipped, ...pending.notRun])].sort();
    const summary: RunSummary = {
      schemaVersion: RESULT_SCHEMA_VERSION,
      runId: context.id,
      command: ['nx', ...context.argv.slice(2)].join(' '),
      startTime: new Date(context.startTime).toISOString(),
      endTime: new Date(context.endTime).toISOString(),
      tasks,
      notRun,
      ...(Object.keys(pending.blockedBy).length ? { blockedBy: pending.blockedBy } : {}),
    };
    const dir = join(context.workspaceRoot, RUN_SUMMARY_DIR);
    const file = join(dir, `${summary.startTime.replace(/[:.]/g, '-')}-${context.id.slice(0, 8)}.json`);
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    await writeFileAtomic(file, text);
    await writeFileAtomic(join(dir, 'latest.json'), text);
    for (const t of tasks) {
      if (t.integrity && !t.integrity.ok) {
        process.stderr.write(`BS_CACHE_INTEGRITY ${t.taskId}: restored from cache but does not match its result: ${t.integrity.problems.join('; ')}\n`);
      }
    }
    await prune(dir);
    return file;
  } catch (e) {
    process.stderr.write(`@repo/build-system: could not write the run summary: ${(e as Error)?.message ?? e}\n`);
    return undefined;
  }
}

/**
 * The closing line of an nx command that ran build tasks: where its run summary is. Only where it
 * reaches the user: without the daemon Nx runs this hook in a plugin worker whose stdout it pipes
 * to the terminal, after its own summary. With the daemon on, the hook runs in the daemon's plugin
 * worker and its output goes to the daemon log (checked on Nx 24.0.6), so nothing is printed there.
 */
export function announceRunSummary(file: string | undefined, workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): void {
  try {
    if (!file || env.NX_DAEMON_PROCESS === 'true') return;
    process.stdout.write(`Run summary: ${relativePosix(workspaceRoot, file)}\n`);
  } catch {
    /* a closing line is never worth failing the run for */
  }
}

async function summarizeTask(
  workspaceRoot: string,
  task: PostTasksExecutionContext['taskResults'][string]['task'],
  status: RunSummaryTask['status'],
): Promise<RunSummaryTask> {
  const resultFile = `${task.projectRoot ? `${task.projectRoot}/` : ''}${RESULT_FILE}`;
  const cacheHit = CACHE_STATUSES.has(status);
  let result: BuildResult | undefined;
  try {
    // Synchronous: one small file per task, cheaper than a promise file handle (see atomic-write.ts).
    result = JSON.parse(readFileSync(join(workspaceRoot, resultFile), 'utf8')) as BuildResult;
  } catch {
    result = undefined;
  }
  // A result left by an earlier build (this one failed before it could replace it: the lock could
  // not be created, the disk is full) describes other outputs: never report it as this task's.
  if (result && !isResultOf(result, task, status)) result = undefined;
  const entry: RunSummaryTask = {
    taskId: task.id,
    project: task.target.project,
    status,
    cacheHit,
    ...(task.startTime && task.endTime ? { durationMs: Math.max(0, task.endTime - task.startTime) } : {}),
    resultFile,
    ...(result ? { buildStatus: result.status } : {}),
    artifacts: result?.status === 'success' ? result.artifacts : [],
  };
  // Nx has restored outputs that do not match what was cached (nrwl/nx#36932): check, do not trust.
  if (cacheHit && result) {
    const checks = await mapLimit(result.artifacts, 8, async (a) => {
      const abs = join(workspaceRoot, a.path);
      if (!existsSync(abs)) return `${a.path} is missing`;
      return (await sha256Of(abs)) !== a.sha256 ? `${a.path} has a different sha256` : undefined;
    });
    const problems = checks.filter((p): p is string => p !== undefined);
    entry.integrity = { ok: problems.length === 0, problems };
  }
  return entry;
}

/**
 * The result was written for this task: a failed task never has a successful result (a rerun with
 * unchanged inputs has the old one's hash), then the same input hash, or (without one) restored
 * from the cache or written after the task started.
 */
function isResultOf(result: BuildResult, task: PostTasksExecutionContext['taskResults'][string]['task'], status: RunSummaryTask['status']): boolean {
  if (status === 'failure' && result.status === 'success') return false;
  if (result.inputHash && task.hash) return result.inputHash === task.hash;
  // Restored with the outputs from the same cache entry: it is this task's result by construction
  // (and written long before this task started); the integrity check below judges it.
  if (CACHE_STATUSES.has(status)) return true;
  if (!task.startTime) return true;
  // Clocks of one machine; a second of slack for timestamp rounding.
  return Date.parse(result.endTime) >= task.startTime - 1000;
}

async function prune(dir: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'latest.json').sort();
  await Promise.all(files.slice(0, Math.max(0, files.length - KEEP)).map((f) => rm(join(dir, f), { force: true })));
}
