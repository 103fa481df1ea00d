import { resolve } from 'node:path';
import { findConfigFile, loadBuildConfig } from '../../config/load';
import { probeOncePerContent } from '../../config/probe';
import { EVALUATION_STAMP, resolveBuild, VALIDATION_STAMP, type ResolvedBuild } from '../../config/resolve';
import { validateOnce } from '../../config/validate-once';
import { BuildSystemError } from '../../errors';
import type { BuildContext } from './context';

/** Finds, evaluates, validates and resolves build.config for the requested environment. */
export async function loadResolvedBuild(ctx: BuildContext): Promise<ResolvedBuild> {
  const { request, workspaceRoot, packageRoot, rel } = ctx;
  const configFile = request.configFile ? resolve(workspaceRoot, request.configFile) : findConfigFile(packageRoot);
  if (!configFile) {
    throw new BuildSystemError('BS_CONFIG_NOT_FOUND', `No build.config.{ts,mts,cts,js,mjs,cjs} in ${rel(packageRoot) || '.'}.`);
  }
  // Evaluated in a worker thread first, bounded, once per config content: a config that hangs,
  // exits the process or throws later fails this build alone. Then here, where its functions
  // (hooks, plugins) are needed.
  const loaded = await loadBuildConfig(configFile, {
    beforeEvaluate: probeOncePerContent(configFile, rel(configFile), resolve(packageRoot, EVALUATION_STAMP), request.configTimeoutMs),
  });
  const config = await validateOnce(loaded.raw, rel(configFile), resolve(packageRoot, VALIDATION_STAMP));
  const build = resolveBuild(config, {
    project: request.project,
    workspaceRoot,
    packageRoot,
    configFile,
    configImports: loaded.imports,
    configuration: request.configuration,
    env: ctx.env,
  });
  ctx.build = build;
  ctx.log.write(`Building ${build.project} (${build.environment}) from ${rel(configFile)}\n`);
  return build;
}
