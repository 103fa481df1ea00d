import { selectAdapter, type SelectedAdapter } from '../../adapters/registry';
import type { ResolvedBuild } from '../../config/resolve';
import { BuildSystemError, isBuildSystemError } from '../../errors';
import { cleanOutputs } from '../clean';
import { declaredSecrets, redactorFor, resolveBuildEnv } from '../env';
import { runHooks, type HookRunContext } from '../hooks';
import { assertOutDirOwned } from '../output-ownership';
import { assertOutputsDoNotCollide } from '../output-variants';
import { assertSafeOutputDir } from '../safe-paths';
import { restoreInterruptedSwap } from '../staging';
import type { BuildContext } from './context';

/** What the phases after `prepare` build with. */
export interface PreparedBuild {
  build: ResolvedBuild;
  selected: SelectedAdapter;
  /** The environment of child processes: the caller's env with env.defaults under it. */
  buildEnv: Record<string, string | undefined>;
  /** What hooks (and finishing steps) are given. */
  hookContext: HookRunContext;
}

/**
 * Everything before the builder runs: outDir guards, the builder (checked before anything is
 * deleted: a missing builder must not cost the old outputs), env and redaction, clean, pre hooks.
 */
export async function prepareBuild(ctx: BuildContext, build: ResolvedBuild): Promise<PreparedBuild> {
  const { request, workspaceRoot, packageRoot, log, rel } = ctx;
  assertSafeOutputDir({
    workspaceRoot,
    packageRoot,
    dir: build.outDir,
    label: 'outDir',
    protectedFiles: [build.configFile, ...build.configImports, ...build.entries.map((e) => e.file)],
    projectRoots: request.projectRoots,
  });
  const restored = await restoreInterruptedSwap(build.outDir);
  if (restored) log.write(`Restored the previous outputs of ${rel(build.outDir)} from ${restored}: an earlier build was stopped in the middle of replacing them.\n`);
  assertOutDirOwned(build.outDir, packageRoot, request.force);
  const selected = await selectBuilder(build.builder, request.autoBuilder, { workspaceRoot, packageRoot });
  ctx.selected = selected;
  // Outputs that would overwrite each other are a config error, found before anything is deleted or built.
  if (build.outputs) assertOutputsDoNotCollide(build.outputs, build.packageType, selected.adapter.name, build.configFile);
  const buildEnv = resolveBuildEnv(build.env, ctx.env);
  ctx.redact = redactorFor(declaredSecrets([...build.env.required, build.publish?.tokenEnv], buildEnv));
  log.redactWith(ctx.redact);
  if (request.clean || build.clean.beforeBuild) {
    // The old result and log go too: a build killed after this must not leave a success behind.
    await cleanOutputs(build, { projectRoots: request.projectRoots, force: request.force });
  }
  const hookContext: HookRunContext = { packageRoot, workspaceRoot, environment: build.environment, env: buildEnv, log: log.write, signal: ctx.signal };
  if (build.hooks.pre.length) ctx.progress?.phase('pre hooks');
  await runHooks('pre', build.hooks.pre, hookContext, ctx.hooks);
  return { build, selected, buildEnv, hookContext };
}

/** `auto` with a decided choice builds with exactly that builder, so the hash never lies. */
async function selectBuilder(
  setting: ResolvedBuild['builder'],
  autoBuilder: string | undefined,
  ctx: { workspaceRoot: string; packageRoot: string },
): Promise<SelectedAdapter> {
  if (setting !== 'auto' || !autoBuilder) return selectAdapter(setting, ctx);
  const name = autoBuilder.split('@')[0] as 'bun' | 'esbuild';
  try {
    return await selectAdapter(name, ctx);
  } catch (e) {
    if (isBuildSystemError(e) && e.code === 'BS_BUILDER_UNAVAILABLE') {
      throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `builder "auto" was resolved to ${autoBuilder} when the project graph was computed, but it is not available now.`, {
        hint: 'The project graph is stale (bun was removed?): run `nx reset`, or set builder explicitly.',
      });
    }
    throw e;
  }
}
