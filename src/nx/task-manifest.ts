import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskGraph } from '@nx/devkit';
import { RESULT_FILE } from '../config/resolve';
import { writeFileAtomic } from '../result/atomic-write';
import { runSummaryEnabled } from './run-summary-setting';

/**
 * Nx leaves tasks it skipped (a dependency failed) out of the results postTasksExecution gets,
 * but every executor sees the full task graph. The first of our executors in a command records
 * the build tasks it holds; the run summary subtracts the tasks that reported.
 */
const MANIFEST_DIR = '.nx/build-system/runs/.pending';

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
    await writeFileAtomic(file, JSON.stringify({ taskIds, writtenAt: Date.now() }));
  } catch {
    /* the summary then has no notRun list; the build itself must not suffer */
  }
}

/** Build tasks of this command that never reported, and removes the manifests it used. */
export async function takeNotRunTasks(workspaceRoot: string, startTime: number, reported: Set<string>): Promise<string[]> {
  const dir = join(workspaceRoot, MANIFEST_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const notRun = new Set<string>();
  for (const name of names) {
    const file = join(dir, name);
    try {
      const manifest = JSON.parse(await readFile(file, 'utf8')) as { taskIds: string[]; writtenAt: number };
      const mine = manifest.writtenAt >= startTime && [...reported].every((id) => manifest.taskIds.includes(id));
      if (mine) for (const id of manifest.taskIds) if (!reported.has(id)) notRun.add(id);
      if (mine || Date.now() - manifest.writtenAt > 24 * 3600_000) await rm(file, { force: true });
    } catch {
      await rm(file, { force: true });
    }
  }
  return [...notRun].sort();
}
