import type { CreateNodes, PostTasksExecution } from '@nx/devkit';
import type { BuildSystemPluginOptions } from './plugin';
import { CONFIG_GLOB } from '../config/config-file-names';
import { runSummaryEnabled } from './run-summary-setting';

/**
 * The plugin's hooks as exported by the package root, for `"plugins": ["@repo/build-system"]`: Nx
 * loads whatever entry a plugin name resolves to and looks for createNodes there. The root entry
 * is also what every build.config.ts and every API user imports, so the real plugin (and what it
 * loads) is required on the first call only, never on import.
 */
export const createNodes: CreateNodes<BuildSystemPluginOptions> = [
  CONFIG_GLOB,
  async (configFiles, options, context) => (await import('./plugin')).createNodes[1](configFiles, options, context),
];

/** As in plugin.ts: absent when nx.json turns the run summary off (one small file read). */
export const postTasksExecution: PostTasksExecution<BuildSystemPluginOptions> | undefined = runSummaryEnabled()
  ? async (options, context) => (await import('./plugin')).postTasksExecution?.(options, context)
  : undefined;
