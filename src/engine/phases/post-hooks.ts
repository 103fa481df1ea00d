import { runHooks } from '../hooks';
import type { BuildContext } from './context';
import type { PreparedBuild } from './prepare';

/** Post hooks: side effects after the swap, on the final outDir (they come after the artifact list). */
export async function runPostHooks(ctx: BuildContext, { build, hookContext }: PreparedBuild): Promise<void> {
  if (build.hooks.post.length) ctx.progress?.phase('post hooks');
  else ctx.progress?.stop();
  await runHooks('post', build.hooks.post, hookContext, ctx.hooks);
}
