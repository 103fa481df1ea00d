import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { colorEnabled } from '../../../../color';
import type { BuildRequest } from '../../../../engine/run-build';
import { inferenceVouchers } from '../../../inference-cache';
import { checkExecutorOptions, type OptionKind } from '../../option-checks';
import type { BuildExecutorOptions } from '../schema';

/** The type of every option in ../schema.json (a unit test keeps the two in step). */
export const BUILD_OPTION_KINDS: Record<keyof BuildExecutorOptions, OptionKind> = {
  config: 'string',
  clean: 'boolean',
  incremental: 'boolean',
  verbose: 'boolean',
  watch: 'boolean',
  force: 'boolean',
  autoBuilder: 'string',
  configTimeoutMs: 'positive-integer',
};

export interface NormalizedBuildOptions extends BuildRequest {
  verbose: boolean;
}

/** Executor options + Nx context → an engine request with every path absolute, made so once here. */
export function normalizeOptions(
  options: BuildExecutorOptions,
  context: Pick<ExecutorContext, 'root' | 'projectsConfigurations'>,
  project: string,
  configuration: string | undefined,
  inputHash: string | undefined,
): NormalizedBuildOptions {
  const projects = context.projectsConfigurations.projects;
  const projectConfig = projects[project];
  if (!projectConfig) throw new Error(`Project "${project}" is not in the workspace.`);
  checkExecutorOptions(options as Record<string, unknown>, BUILD_OPTION_KINDS, `${project}'s build target`);
  return {
    project,
    workspaceRoot: context.root,
    packageRoot: join(context.root, projectConfig.root),
    configFile: options.config ? join(context.root, options.config) : undefined,
    configuration,
    clean: options.clean ?? false,
    force: options.force ?? false,
    autoBuilder: options.autoBuilder,
    ...(options.configTimeoutMs ? { configTimeoutMs: options.configTimeoutMs } : {}),
    vouchers: inferenceVouchers(context.root),
    incremental: options.incremental ?? true,
    inputHash,
    projectRoots: Object.entries(projects)
      .filter(([name, p]) => name !== project && p.root !== '.' && p.root !== '')
      .map(([, p]) => p.root),
    verbose: options.verbose ?? false,
    // One decision per process: Nx pipes an executor's output and says FORCE_COLOR (or not).
    color: colorEnabled(process.stdout),
    // A quiet phase (dts, a slow tsc) prints a sign of life; in place when Nx gives us a terminal.
    progress: { tty: process.stdout.isTTY === true },
  };
}
