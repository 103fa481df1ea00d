import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { runBuild } from '../../../engine/run-build';
import { isBuildSystemError } from '../../../errors';
import { watchBuild } from '../../../engine/watch';
import { buildTaskSucceeded } from '../../../result/task-outcome';
import { dependencyIds } from '../../task-dependencies';
import { recordBuildTasks } from '../../task-manifest';
import { leaveNoChildren } from './lib/leave-no-children';
import { normalizeOptions } from './lib/normalize-options';
import { resultFileOf, summarizeBuild } from './lib/summary';
import type { BuildExecutorOptions } from './schema';

interface TaskOutcome {
  task: string;
  result: { success: boolean; terminalOutput: string; startTime: number; endTime: number; status: 'success' | 'failure' | 'skipped' };
}

/**
 * Many packages in one process (preferred by Nx through `preferBatch`): tasks start as soon as
 * their dependencies inside the batch have succeeded, up to `parallel` at once, and each result is
 * yielded the moment its files are final, so Nx caches it right away (nrwl/nx#34400).
 * A failure fails that task; its dependents in the batch never start, and Nx reports them skipped.
 */
export default async function buildBatchExecutor(
  taskGraph: TaskGraph,
  inputs: Record<string, BuildExecutorOptions>,
  _overrides: BuildExecutorOptions,
  context: ExecutorContext,
): Promise<AsyncIterableIterator<TaskOutcome>> {
  await recordBuildTasks(context.root, context.taskGraph);
  // Nx batches even a single `nx run`, so --watch and signals are handled here too.
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const ids = Object.keys(taskGraph.tasks);
  if (ids.length > 1 && ids.some((id) => inputs[id]?.watch)) {
    // Nx put dependencies in the same batch: build them all once; watching several is not supported.
    process.stderr.write('--watch applies to one project whose dependencies are already built; building these tasks once instead.\n');
  }
  const iterator =
    ids.length === 1 && inputs[ids[0]]?.watch
      ? watchOne(ids[0], taskGraph, inputs[ids[0]], context, abort.signal)
      : runBatch(taskGraph, inputs, context, batchParallelism(), abort.signal);
  return (async function* () {
    try {
      yield* iterator;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Before Nx hears the batch is over: it stops this process right after (leave-no-children.ts).
      await leaveNoChildren();
    }
  })();
}

/** --watch: the first build completes the task for Nx; rebuilds keep printing until Ctrl+C. */
async function* watchOne(
  taskId: string,
  taskGraph: TaskGraph,
  options: BuildExecutorOptions,
  context: ExecutorContext,
  signal: AbortSignal,
): AsyncIterableIterator<TaskOutcome> {
  const task = taskGraph.tasks[taskId];
  let normalized: ReturnType<typeof normalizeOptions>;
  try {
    normalized = normalizeOptions(options, context, task.target.project, task.target.configuration, task.hash);
  } catch (e) {
    if (!isBuildSystemError(e)) throw e;
    const now = Date.now();
    yield { task: taskId, result: { success: false, status: 'failure', terminalOutput: `${e.format()}\n`, startTime: now, endTime: now } };
    return;
  }
  const root = context.projectsConfigurations.projects[task.target.project].root;
  let first = true;
  let startTime = Date.now();
  for await (const result of watchBuild({
    ...normalized,
    signal,
    onLog: (text, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(text),
  })) {
    // Printed live and never handed to Nx (terminalOutput is empty), so never replayed: timed.
    const summary = await summarizeBuild(result, context.root, resultFileOf(root), normalized.verbose, { timing: true, color: normalized.color });
    process.stdout.write(summary);
    if (first) {
      first = false;
      const success = buildTaskSucceeded(result);
      // Already streamed above; Nx would print it a second time.
      yield { task: taskId, result: { success, status: success ? 'success' : 'failure', terminalOutput: '', startTime, endTime: Date.now() } };
    }
    startTime = Date.now();
  }
}

async function* runBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, BuildExecutorOptions>,
  context: ExecutorContext,
  parallel: number,
  signal: AbortSignal,
): AsyncIterableIterator<TaskOutcome> {
  const pending = new Set(Object.keys(taskGraph.tasks));
  const succeeded = new Set<string>();
  const failed = new Set<string>();
  const running = new Map<string, Promise<TaskOutcome>>();
  const inBatch = (id: string) => id in taskGraph.tasks;
  const live = Object.keys(taskGraph.tasks).length === 1;
  const depsOf = (id: string) => dependencyIds(taskGraph, id).filter(inBatch);

  while (pending.size || running.size) {
    // Dependents of a failed task are left unreported: Nx then skips them itself, exactly as it
    // skips its own tasks (the TUI and the summary say "not run"; a reported skip shows as done).
    for (const id of [...pending]) {
      if (depsOf(id).some((d) => failed.has(d))) {
        pending.delete(id);
        failed.add(id);
      }
    }
    for (const id of [...pending]) {
      if (running.size >= parallel || signal.aborted) break;
      if (depsOf(id).every((d) => succeeded.has(d))) {
        pending.delete(id);
        running.set(id, buildOne(id, taskGraph, inputs[id] ?? {}, context, signal, live));
      }
    }
    if (!running.size) break;
    const outcome = await Promise.race(running.values());
    running.delete(outcome.task);
    (outcome.result.success ? succeeded : failed).add(outcome.task);
    yield outcome;
  }
}

async function buildOne(
  taskId: string,
  taskGraph: TaskGraph,
  options: BuildExecutorOptions,
  context: ExecutorContext,
  signal: AbortSignal,
  live: boolean,
): Promise<TaskOutcome> {
  const task = taskGraph.tasks[taskId];
  const startTime = Date.now();
  let output = '';
  try {
    const normalized = normalizeOptions(options, context, task.target.project, task.target.configuration, task.hash);
    // A lone task (`nx run`) streams its builder output as it happens and hands Nx only the
    // summary, so nothing prints twice; in a multi-task batch each task's log stays together.
    const onLog = live
      ? (text: string, stream: 'stdout' | 'stderr') => (stream === 'stderr' ? process.stderr : process.stdout).write(text)
      : (text: string) => void (output += text);
    // Progress lines only where output is live: a collected log is printed once the task is over.
    const result = await runBuild({ ...normalized, signal, onLog, progress: live ? normalized.progress : undefined });
    const root = context.projectsConfigurations.projects[task.target.project].root;
    output += await summarizeBuild(result, context.root, resultFileOf(root), normalized.verbose, { color: normalized.color });
    const success = buildTaskSucceeded(result);
    return { task: taskId, result: { success, status: success ? 'success' : 'failure', terminalOutput: output, startTime, endTime: Date.now() } };
  } catch (e) {
    // A wrong option (BS_EXECUTOR_OPTIONS_INVALID) fails this task alone, with its message.
    output += `${isBuildSystemError(e) ? e.format() : ((e as Error)?.stack ?? String(e))}\n`;
    return { task: taskId, result: { success: false, status: 'failure', terminalOutput: output, startTime, endTime: Date.now() } };
  }
}

/**
 * Nx does not pass --parallel to batch executors. Builds wait on esbuild's own threads and on
 * I/O, so at least 4 run at once even on 2 cores (50 packages on 2 cores: 4 at once 0.89x the
 * wall time of 2, 8 no better than 4).
 */
function batchParallelism(): number {
  const fromEnv = Number(process.env.NX_BUILD_SYSTEM_BATCH_PARALLEL);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const { availableParallelism } = require('node:os') as typeof import('node:os');
  return Math.max(4, availableParallelism());
}
