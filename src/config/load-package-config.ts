import { resolve } from 'node:path';
import { BuildSystemError } from '../errors';
import { relativePosix } from '../paths';
import { findConfigFile, loadBuildConfig } from './load';
import { probeOncePerContent } from './probe';
import { EVALUATION_STAMP, resolveBuild, VALIDATION_STAMP, type ResolvedBuild } from './resolve';
import { validateOnce } from './validate-once';

export interface PackageConfigRequest {
  project: string;
  /** Absolute. */
  workspaceRoot: string;
  /** Absolute. */
  packageRoot: string;
  /** Config file (absolute or workspace-relative); found in the package root when omitted. */
  configFile?: string;
  configuration?: string;
  env?: NodeJS.ProcessEnv;
  configTimeoutMs?: number;
  vouchers?: ConfigVouchers;
}

/**
 * What someone else already checked about a config, by the same plugin version: the inference
 * plugin evaluates every config in isolation while Nx builds the graph, and records the content
 * hash it evaluated and the fingerprint of the value that passed validation. A build whose config
 * has that content skips its own isolated evaluation, and one whose value has that fingerprint
 * skips validation: in a fresh checkout (CI), with no stamps in .build-system yet, that is a worker
 * thread start and two loads of zod less per batch. Anything that differs runs the checks.
 */
export interface ConfigVouchers {
  /** What was vouched for this config file (absolute path), if anything. */
  for(configFile: string): { contentHash?: string; fingerprint?: string } | undefined;
}

/**
 * Finds, evaluates, validates and resolves a package's build.config for one environment: what a
 * build and the clean target both start with. Evaluated in a worker thread first, bounded, once
 * per config content, so a config that hangs, exits the process or throws fails this package
 * alone; then in process, where its functions (hooks, plugins) are needed.
 */
export async function loadPackageConfig(request: PackageConfigRequest): Promise<ResolvedBuild> {
  const { workspaceRoot, packageRoot } = request;
  const rel = (p: string) => relativePosix(workspaceRoot, p);
  const configFile = request.configFile ? resolve(workspaceRoot, request.configFile) : findConfigFile(packageRoot);
  if (!configFile) {
    throw new BuildSystemError('BS_CONFIG_NOT_FOUND', `No build.config.{ts,mts,cts,js,mjs,cjs} in ${rel(packageRoot) || '.'}.`);
  }
  // Asked only where a stamp is missing or stale (a fresh checkout): the vouchers may read a file.
  const vouched = () => request.vouchers?.for(configFile);
  const loaded = await loadBuildConfig(configFile, {
    beforeEvaluate: probeOncePerContent(configFile, rel(configFile), resolve(packageRoot, EVALUATION_STAMP), request.configTimeoutMs, () => vouched()?.contentHash),
  });
  const config = await validateOnce(loaded.raw, rel(configFile), resolve(packageRoot, VALIDATION_STAMP), () => vouched()?.fingerprint);
  return resolveBuild(config, {
    project: request.project,
    workspaceRoot,
    packageRoot,
    configFile,
    configImports: loaded.imports,
    configuration: request.configuration,
    env: request.env,
  });
}
