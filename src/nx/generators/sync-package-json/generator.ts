import { createProjectGraphAsync, formatFiles, logger, type ProjectGraph, type Tree } from '@nx/devkit';
import { entryPointInputsOf } from './lib/entry-point-inputs';
import { writeEntryPoints } from './lib/write-entry-points';
import { SYNC_PACKAGE_JSON_GENERATOR } from './name';
import type { SyncPackageJsonGeneratorSchema } from './schema';

export { writeEntryPoints, type WriteEntryPointsResult } from './lib/write-entry-points';
export { SYNC_PACKAGE_JSON_GENERATOR } from './name';

/** What Nx reads off a sync generator's return (SyncGeneratorResult of nx 23 and 24). */
export interface SyncResult {
  outOfSyncMessage?: string;
  outOfSyncDetails?: string[];
}

/**
 * Sync generator: writes `exports`, `main`, `module` and `types` into the package.json of every
 * project whose build target lists it (inference adds it when build.config sets
 * `packageJson: { sync: true }`). Nx runs it for `nx sync`, `nx sync:check` and before the tasks
 * of `nx build`, so package.json is never written by a cached task. A package whose config does
 * not load is skipped with a warning (its build reports the error), never failing the others.
 */
export default async function syncPackageJsonGenerator(tree: Tree, options?: SyncPackageJsonGeneratorSchema): Promise<SyncResult | undefined> {
  const result = await syncPackageJsonOf(tree, projectsWithThisGenerator(await createProjectGraphAsync()));
  // Nx calls a sync generator with the tree alone; `nx g` adds options and would call the result
  // as a task, so there it is a plain generator that says what it changed.
  if (options === undefined) return result;
  if (result) logger.info(['Wrote the entry points the build produces:', ...(result.outOfSyncDetails ?? [])].join('\n'));
  return undefined;
}

/** The generator's work for a given list of projects (the graph is only how it finds them). */
export async function syncPackageJsonOf(tree: Tree, projects: Array<{ name: string; root: string }>): Promise<SyncResult | undefined> {
  const details: string[] = [];
  for (const { name, root } of projects) {
    const found = await entryPointInputsOf(tree, name, root);
    if (found.kind === 'off') continue;
    if (found.kind === 'error') {
      logger.warn(`${SYNC_PACKAGE_JSON_GENERATOR}: skipped ${name}, its build config failed (${found.message}); its build reports the same error.`);
      continue;
    }
    if (found.otherOutputs.length) {
      logger.warn(
        `${SYNC_PACKAGE_JSON_GENERATOR}: ${name}: package.json follows the production environment, and ${found.otherOutputs.join(', ')} would write other entry files (entry, formats, outDir or dts differ); keep them the same in every environment.`,
      );
    }
    const result = writeEntryPoints(tree, root, found.inputs);
    if (result.skipped) logger.warn(`${SYNC_PACKAGE_JSON_GENERATOR}: skipped ${name}: ${result.skipped}`);
    for (const warning of result.warnings) logger.warn(`${SYNC_PACKAGE_JSON_GENERATOR}: ${result.packageJsonPath}: ${warning}`);
    if (result.changes.length) details.push(`${result.packageJsonPath}:`, ...result.changes.map((c) => `  - ${c}`));
  }
  if (details.length === 0) return undefined;
  await formatFiles(tree);
  const files = details.filter((d) => !d.startsWith(' ')).map((d) => d.slice(0, -1));
  return {
    outOfSyncMessage: `The entry points of ${files.join(', ')} do not match what the build writes (packageJson.sync in build.config).`,
    outOfSyncDetails: details,
  };
}

function projectsWithThisGenerator(graph: ProjectGraph): Array<{ name: string; root: string }> {
  return Object.values(graph.nodes)
    .filter((node) => Object.values(node.data.targets ?? {}).some((t) => t.syncGenerators?.includes(SYNC_PACKAGE_JSON_GENERATOR)))
    .map((node) => ({ name: node.name, root: node.data.root }))
    .sort((a, b) => a.root.localeCompare(b.root));
}
