import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { cleanPackage } from '../../../engine/clean';
import { isBuildSystemError } from '../../../errors';
import { inferenceVouchers } from '../../inference-cache';
import { checkExecutorOptions, type OptionKind } from '../option-checks';
import type { CleanExecutorOptions } from './schema';

/** The type of every option in schema.json (a unit test keeps the two in step). */
export const CLEAN_OPTION_KINDS: Record<keyof CleanExecutorOptions, OptionKind> = {
  config: 'string',
  force: 'boolean',
  configTimeoutMs: 'positive-integer',
};

/** `nx run <pkg>:clean`: the engine's guarded clean, with the error code printed on refusal. */
export default async function cleanExecutor(options: CleanExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName;
  if (!project) throw new Error('The clean executor needs a project.');
  const projects = context.projectsConfigurations.projects;
  try {
    checkExecutorOptions(options as Record<string, unknown>, CLEAN_OPTION_KINDS, `${project}'s clean target`);
    const removed = await cleanPackage({
      project,
      workspaceRoot: context.root,
      packageRoot: join(context.root, projects[project].root),
      configFile: options.config ? join(context.root, options.config) : undefined,
      configuration: context.configurationName,
      force: options.force ?? false,
      ...(options.configTimeoutMs ? { configTimeoutMs: options.configTimeoutMs } : {}),
      vouchers: inferenceVouchers(context.root),
      projectRoots: Object.entries(projects)
        .filter(([name, p]) => name !== project && p.root !== '.' && p.root !== '')
        .map(([, p]) => p.root),
    });
    process.stdout.write(`✔ cleaned ${project}: ${removed.join(', ')}\n`);
    return { success: true };
  } catch (e) {
    process.stderr.write(`${isBuildSystemError(e) ? e.format() : ((e as Error)?.stack ?? String(e))}\n`);
    return { success: false };
  }
}
