import type { FinishContext, FinishFunction, FinishStep } from '../config/schema';
import type { HookRecord } from '../result/schema';
import { runSteps, type HookRunContext } from './hooks';

/** Names the staging folder for finishing commands (the same names the custom builder gets). */
export const FINISH_ENV = { outDir: 'BUILD_SYSTEM_OUT_DIR', packageRoot: 'BUILD_SYSTEM_PACKAGE_ROOT', workspaceRoot: 'BUILD_SYSTEM_WORKSPACE_ROOT' } as const;

/**
 * `finish`: steps on the new output before it is checked, listed and swapped in. A command runs
 * with the staging folder as cwd, so relative paths (`rm *.test.d.ts`) edit the new output and can
 * never reach the previous one in outDir; $BUILD_SYSTEM_OUT_DIR and $BUILD_SYSTEM_PACKAGE_ROOT name
 * both folders for scripts (`node "$BUILD_SYSTEM_PACKAGE_ROOT/scripts/fix.mjs"`). Same child-process
 * policy as hooks; the first failure throws BS_FINISH_FAILED after recording it.
 */
export async function runFinishSteps(steps: FinishStep[], stagingDir: string, ctx: HookRunContext, records: HookRecord[]): Promise<void> {
  const env = {
    ...ctx.env,
    [FINISH_ENV.outDir]: stagingDir,
    [FINISH_ENV.packageRoot]: ctx.packageRoot,
    [FINISH_ENV.workspaceRoot]: ctx.workspaceRoot,
  };
  await runSteps(steps, { ...ctx, env, cwd: stagingDir }, records, {
    phase: 'finish',
    label: 'finish step',
    code: 'BS_FINISH_FAILED',
    call: (fn, signal) => {
      const finishContext: FinishContext = {
        outDir: stagingDir,
        packageRoot: ctx.packageRoot,
        workspaceRoot: ctx.workspaceRoot,
        environment: ctx.environment,
        env: ctx.env,
        log: (text) => ctx.log(text.endsWith('\n') ? text : `${text}\n`),
        signal,
      };
      return (fn as FinishFunction)(finishContext);
    },
  });
}
