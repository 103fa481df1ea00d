import { join, posix, relative, sep } from 'node:path';
import { readJson, updateJson, type Tree } from '@nx/devkit';
import { entryPointFields, planEntryPoints, plannedFiles, type EntryPointInputs } from '../../../../engine/entry-points';
import { mergeEntryPoints } from '../../../../engine/merge-entry-points';

export interface WriteEntryPointsResult {
  /** The project's package.json, workspace-relative. */
  packageJsonPath: string;
  /** Set when nothing could be written, and why. */
  skipped?: string;
  /** One line per field that changed (empty: already in sync). */
  changes: string[];
  /** Left as written but pointing nowhere (a `bin` the build does not write). */
  warnings: string[];
}

/**
 * Writes the entry points a build produces into one project's package.json on the tree. Creates no
 * package.json: a package without one is skipped, with the reason. The configuration generator calls
 * this with the settings it is writing; the sync generator with the loaded config.
 */
export function writeEntryPoints(tree: Tree, projectRoot: string, inputs: EntryPointInputs): WriteEntryPointsResult {
  const packageJsonPath = posix.join(projectRoot.split(sep).join('/'), 'package.json');
  if (!tree.exists(packageJsonPath)) {
    return { packageJsonPath, skipped: `${packageJsonPath} does not exist; entry points are written into an existing package.json only.`, changes: [], warnings: [] };
  }
  const plan = planEntryPoints(inputs);
  const fields = entryPointFields(plan, inputs.packageType);
  if (Object.keys(fields.exports).length === 0) {
    return { packageJsonPath, skipped: 'the build writes no ESM or CommonJS entry (an iife bundle is no package entry point).', changes: [], warnings: [] };
  }
  const before = readJson<Record<string, unknown>>(tree, packageJsonPath);
  const merged = mergeEntryPoints(before, fields, {
    planned: plannedFiles(plan),
    outDir: relative(inputs.packageRoot, inputs.outDir).split(sep).join('/'),
    exists: (path) => tree.exists(join(projectRoot, path)),
  });
  // Written only when something changed: a rewrite alone (spacing) must not read as out of sync.
  if (merged.changes.length > 0) updateJson(tree, packageJsonPath, () => merged.packageJson);
  return { packageJsonPath, changes: merged.changes, warnings: merged.warnings };
}
