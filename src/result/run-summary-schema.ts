import { z } from 'zod';
import { artifactSchema } from './schema';
import { RESULT_SCHEMA_VERSION } from './version';

/** One `nx` invocation that ran build tasks, cache hits included. Written by postTasksExecution. */
export const runSummaryTaskSchema = z.strictObject({
  taskId: z.string(),
  project: z.string(),
  status: z
    .enum(['success', 'failure', 'skipped', 'stopped', 'local-cache', 'local-cache-kept-existing', 'remote-cache'])
    .meta({ description: "Nx's status for the task." }),
  cacheHit: z.boolean(),
  durationMs: z.number().nonnegative().optional(),
  resultFile: z.string().meta({ description: 'Workspace-relative path of the BuildResult.' }),
  buildStatus: z.enum(['success', 'failure']).optional().meta({ description: 'status of the BuildResult, when it exists.' }),
  artifacts: z.array(artifactSchema),
  integrity: z
    .strictObject({
      ok: z.boolean(),
      problems: z.array(z.string()).meta({ description: 'Artifacts that are missing or whose sha256 differs from the result.' }),
    })
    .optional()
    .meta({ description: 'For cache hits: do the restored artifacts match the checksums in their result (nrwl/nx#36932)?' }),
});

export const runSummarySchema = z
  .strictObject({
    schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
    runId: z.string(),
    command: z.string(),
    startTime: z.iso.datetime(),
    endTime: z.iso.datetime(),
    tasks: z.array(runSummaryTaskSchema),
    notRun: z.array(z.string()).meta({ description: 'Build tasks that did not run because a dependency failed.' }),
    blockedBy: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({ description: 'For each task of notRun: the tasks it depends on (of any target) that failed, stopped or did not run either.' }),
  })
  .meta({ title: 'RunSummary', description: 'Every build task of one nx command, written by @repo/build-system.' });

export type RunSummary = z.infer<typeof runSummarySchema>;
export type RunSummaryTask = z.infer<typeof runSummaryTaskSchema>;
