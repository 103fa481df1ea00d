import type { ExecutorContext } from '@nx/devkit';
import { runBuild } from '../../../engine/run-build';
import { isBuildSystemError } from '../../../errors';
import { watchBuild } from '../../../engine/watch';
import type { BuildResult } from '../../../result/schema';
import { buildTaskSucceeded } from '../../../result/task-outcome';
import { recordBuildTasks } from '../../task-manifest';
import { normalizeOptions } from './lib/normalize-options';
import { resultFileOf, summarizeBuild } from './lib/summary';
import type { BuildExecutorOptions } from './schema';

/**
 * `nx run <pkg>:build` for one task (Nx forks a process per task; batches go to batch.ts).
 * Streams the builder output, prints a summary and yields { success } once, or once per rebuild
 * with --watch (Nx's async-iterable executor contract); the engine does the rest.
 */
export default async function* buildExecutor(options: BuildExecutorOptions, context: ExecutorContext): AsyncIterableIterator<{ success: boolean }> {
  const project = context.projectName;
  if (!project) throw new Error('The build executor needs a project.');
  const taskId = `${project}:${context.targetName}${context.configurationName ? `:${context.configurationName}` : ''}`;
  let normalized: ReturnType<typeof normalizeOptions>;
  try {
    normalized = normalizeOptions(options, context, project, context.configurationName, context.taskGraph?.tasks[taskId]?.hash ?? process.env.NX_TASK_HASH);
  } catch (e) {
    if (!isBuildSystemError(e)) throw e;
    process.stderr.write(`${e.format()}\n`);
    yield { success: false };
    return;
  }
  await recordBuildTasks(context.root, context.taskGraph);
  // Ctrl+C / SIGTERM: abort the build (child processes are killed), release the lock, report.
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const resultFile = resultFileOf(context.projectsConfigurations.projects[project].root);
  const request = {
    ...normalized,
    onLog: (text: string, stream: 'stdout' | 'stderr') => (stream === 'stderr' ? process.stderr : process.stdout).write(text),
    signal: abort.signal,
  };
  const summarize = (result: BuildResult) => summarizeBuild(result, context.root, resultFile, normalized.verbose, { color: normalized.color });
  try {
    if (options.watch) {
      for await (const result of watchBuild(request)) {
        process.stdout.write(await summarize(result));
        yield { success: buildTaskSucceeded(result) };
      }
      return;
    }
    const result = await runBuild(request);
    process.stdout.write(await summarize(result));
    yield { success: buildTaskSucceeded(result) };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
