import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskGraph } from '@nx/devkit';
import { RESULT_FILE } from '../config/resolve';
import { writeFileAtomic } from '../result/atomic-write';
import { runSummaryEnabled } from './run-summary-setting';
import { dependencyIds } from './task-dependencies';

/**
 * Nx leaves tasks it skipped (a dependency failed) out of the results postTasksExecution gets,
 * but every executor sees the full task graph. The first of our executors in a command records
 * the build tasks it holds and what each waits for; the run summary subtracts the tasks that
 * reported, and names the dependencies that kept each of the others from running.
 */
const MANIFEST_DIR = '.nx/build-system/runs/.pending';

interface TaskManifest {
  taskIds: string[];
  /** Every dependency of each build task, of any target: a failed lint can block a build too. */
  dependencies: Record<string, string[]>;
  writtenAt: number;
}

export interface NotRunTasks {
  notRun: string[];
  /** For each task of `notRun`: its dependencies that failed, stopped or did not run either. */
  blockedBy: Record<string, string[]>;
}

export async function recordBuildTasks(workspaceRoot: string, taskGraph: TaskGraph | undefined): Promise<void> {
  // No summary, no hook to read and remove the manifest.
  if (!taskGraph || !runSummaryEnabled(workspaceRoot)) return;
  try {
    const taskIds = Object.values(taskGraph.tasks)
      .filter((t) => t.outputs?.some((o) => o.endsWith(RESULT_FILE)))
      .map((t) => t.id)
      .sort();
    const name = createHash('sha256').update(taskIds.join('\n')).digest('hex').slice(0, 16);
    const file = join(workspaceRoot, MANIFEST_DIR, `${name}.json`);
    if (existsSync(file)) return;
    const dependencies = Object.fromEntries(taskIds.map((id) => [id, dependencyIds(taskGraph, id)]));
    const manifest: TaskManifest = { taskIds, dependencies, writtenAt: Date.now() };
    await writeFileAtomic(file, JSON.stringify(manifest));
  } catch {
    /* the summary then has no notRun list; the build itself must not suffer */
  }
}

const DID_NOT_FINISH = new Set(['failure', 'stopped', 'skipped']);

/**
 * Build tasks of this command that never reported, and removes the manifests it used.
 * `statuses` holds Nx's status of every task of the command that reported, of any target.
 */
export async function takeNotRunTasks(workspaceRoot: string, startTime: number, reported: Set<string>, statuses: Map<string, string>): Promise<NotRunTasks> {
  const dir = join(workspaceRoot, MANIFEST_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { notRun: [], blockedBy: {} };
  }
  const notRun = new Set<string>();
  const dependencies: Record<string, string[]> = {};
  for (const name of names) {
    const file = join(dir, name);
    try {
      const manifest = JSON.parse(await readFile(file, 'utf8')) as TaskManifest;
      const mine = manifest.writtenAt >= startTime && [...reported].every((id) => manifest.taskIds.includes(id));
      if (mine) {
        for (const id of manifest.taskIds) if (!reported.has(id)) notRun.add(id);
        Object.assign(dependencies, manifest.dependencies);
      }
      if (mine || Date.now() - manifest.writtenAt > 24 * 3600_000) await rm(file, { force: true });
    } catch {
      await rm(file, { force: true });
    }
  }
  const sorted = [...notRun].sort();
  return { notRun: sorted, blockedBy: blockersOf(sorted, dependencies, statuses) };
}

/** A dependency blocks when it did not finish well, or never reported at all. */
export function blockersOf(notRun: string[], dependencies: Record<string, string[]>, statuses: Map<string, string>): Record<string, string[]> {
  const blockedBy: Record<string, string[]> = {};
  for (const id of notRun) {
    const blockers = (dependencies[id] ?? []).filter((d) => !statuses.has(d) || DID_NOT_FINISH.has(statuses.get(d)!));
    if (blockers.length) blockedBy[id] = blockers.sort();
  }
  return blockedBy;
}
