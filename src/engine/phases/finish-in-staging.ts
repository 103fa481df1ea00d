import { relative, resolve } from 'node:path';
import { copyFiles } from '../copy-files';
import { markExecutables } from '../executable-bit';
import { runFinishSteps } from '../finish-steps';
import type { Staging } from '../staging';
import type { BuildContext } from './context';
import type { PreparedBuild } from './prepare';
import type { Produced } from './verify-staging';

/**
 * The output's last changes, in staging, after the builder and before anything checks or lists
 * it: `copy`, then the `finish` steps, then execute bits for `#!` files. What the checks, the
 * artifact list, result.json and the cache see is what these leave.
 */
export async function finishInStaging(ctx: BuildContext, { build, hookContext }: PreparedBuild, staging: Staging, produced: Produced): Promise<void> {
  if (build.copy.length) {
    ctx.progress?.phase('copy');
    const copied = await copyFiles({
      packageRoot: ctx.packageRoot,
      outDir: build.outDir,
      targetDir: staging.dir,
      items: build.copy,
      configFile: build.configFile,
      rel: ctx.rel,
    });
    for (const file of copied) produced.kinds.set(resolve(build.outDir, relative(staging.dir, file)), 'asset');
  }
  if (build.finish.length) {
    ctx.progress?.phase('finish');
    await runFinishSteps(build.finish, staging.dir, { ...hookContext, log: (text, stream) => ctx.log.write(ctx.shown(text), stream) }, ctx.hooks);
  }
  await markExecutables(staging.dir);
}
