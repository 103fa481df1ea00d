import type { PublishRecord } from '../../result/schema';
import { publishArtifacts } from '../publish';
import type { BuildContext } from './context';

/**
 * Publishing, recorded apart from `status`: a failed publish keeps a successful build
 * (docs/publishing.md). A failed build publishes nothing but is still recorded as skipped.
 */
export async function publishBuild(ctx: BuildContext, status: 'success' | 'failure'): Promise<PublishRecord | undefined> {
  const build = ctx.build;
  if (!build?.publish) return undefined;
  ctx.progress?.phase('publish');
  let publish: PublishRecord | undefined;
  try {
    publish = await publishArtifacts(build.publish, status === 'success' ? ctx.artifacts : undefined, {
      workspaceRoot: ctx.workspaceRoot,
      packageRoot: ctx.packageRoot,
      outDir: build.outDir,
      environment: build.environment,
      env: { ...build.env.defaults, ...ctx.env },
      log: ctx.log.write,
      signal: ctx.signal,
    });
  } finally {
    ctx.progress?.stop();
  }
  const { redact } = ctx;
  if (publish?.error) publish = { ...publish, error: { ...publish.error, message: redact(publish.error.message), ...(publish.error.hint ? { hint: redact(publish.error.hint) } : {}) } };
  return publish;
}
