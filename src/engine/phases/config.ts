import { loadPackageConfig } from '../../config/load-package-config';
import type { ResolvedBuild } from '../../config/resolve';
import type { BuildContext } from './context';

/** Finds, evaluates, validates and resolves build.config for the requested environment. */
export async function loadResolvedBuild(ctx: BuildContext): Promise<ResolvedBuild> {
  const { request, workspaceRoot, packageRoot, rel } = ctx;
  const build = await loadPackageConfig({
    project: request.project,
    workspaceRoot,
    packageRoot,
    configFile: request.configFile,
    configuration: request.configuration,
    env: ctx.env,
    configTimeoutMs: request.configTimeoutMs,
    vouchers: request.vouchers,
  });
  ctx.build = build;
  ctx.log.write(`Building ${build.project} (${build.environment}) from ${rel(build.configFile)}\n`);
  return build;
}
