import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PLUGIN_NAMES = new Set(['@repo/build-system/plugin', '@repo/build-system']);

/**
 * Whether nx.json leaves the run summary on (plugin option `runSummary`, default true).
 *
 * Nx decides whether a plugin has a postTasksExecution hook from the module's exports, before it
 * passes the options, and with the daemon on it restarts the plugin's worker for that hook on every
 * command. So turning the summary off has to remove the export, which means reading nx.json here.
 * Unreadable or absent: on, as documented.
 */
export function runSummaryEnabled(workspaceRoot: string | undefined = findWorkspaceRoot(process.cwd())): boolean {
  if (!workspaceRoot) return true;
  return pluginOptions(workspaceRoot)?.runSummary !== false;
}

/**
 * The options of this plugin's entry in nx.json `plugins` (either name users register); undefined
 * when it is not registered with options, or nx.json is unreadable (Nx reports that itself).
 */
export function pluginOptions(workspaceRoot: string): Record<string, unknown> | undefined {
  try {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { plugins?: unknown[] };
    for (const entry of nxJson.plugins ?? []) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { plugin, options } = entry as { plugin?: string; options?: Record<string, unknown> };
      if (plugin && PLUGIN_NAMES.has(plugin)) return options;
    }
  } catch {
    /* Nx reports a broken nx.json itself */
  }
  return undefined;
}

/** The nearest folder at or above `from` with an nx.json: how Nx finds the workspace root. */
function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
