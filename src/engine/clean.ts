import { resolve } from 'node:path';
import { loadPackageConfig, type ConfigVouchers } from '../config/load-package-config';
import { LOCK_FILE, LOG_FILE, RESULT_FILE, type ResolvedBuild } from '../config/resolve';
import { acquirePackageLock } from './lock';
import { assertOutDirOwned } from './output-ownership';
import { assertSafeOutputDir, isInside, realPathOf } from './safe-paths';
import { removeTree } from './remove-tree';
import { sweepStaleStaging } from './staging';
import { relativePosix } from '../paths';

export interface CleanOptions {
  projectRoots?: string[];
  /** Keep result.json and build.log. */
  keepResult?: boolean;
  /** Clean an outDir that this plugin did not create. */
  force?: boolean;
}

/**
 * Removes what a build wrote: outDir, `clean.paths`, TypeScript build info, and (unless kept)
 * the result folder. Every path passes the same guard as outDir before anything is deleted, and
 * all are checked before the first delete, so a bad path deletes nothing.
 */
export async function cleanOutputs(build: ResolvedBuild, options: CleanOptions = {}): Promise<string[]> {
  assertOutDirOwned(build.outDir, build.packageRoot, options.force);
  const protectedFiles = [build.configFile, ...build.configImports, ...build.entries.map((e) => e.file)];
  const targets = [build.outDir, ...build.clean.paths.map((p) => resolve(build.packageRoot, p))];
  for (const dir of targets) {
    assertSafeOutputDir({
      workspaceRoot: build.workspaceRoot,
      packageRoot: build.packageRoot,
      dir,
      label: dir === build.outDir ? 'outDir' : 'clean path',
      protectedFiles,
      projectRoots: options.projectRoots,
    });
  }
  // Stale .tsbuildinfo makes tsc skip emitting into an empty outDir (microsoft/TypeScript#30602).
  // tinyglobby loaded here: most builds never clean, and the build process need not load it.
  const { glob } = await import('tinyglobby');
  const buildInfo = await glob(['*.tsbuildinfo', 'tsconfig*.tsbuildinfo'], {
    cwd: build.packageRoot,
    absolute: true,
    dot: true,
  });
  const packageReal = realPathOf(build.packageRoot);
  const files = buildInfo.filter((f) => isInside(packageReal, realPathOf(f)));
  // The result folder also holds the lock of the build that may be calling us: remove files, not the folder.
  if (!options.keepResult) files.push(resolve(build.packageRoot, RESULT_FILE), resolve(build.packageRoot, LOG_FILE));
  for (const target of [...targets, ...files]) await removeTree(target);
  await sweepStaleStaging(build.outDir);
  return [...targets, ...files].map((p) => relativePosix(build.workspaceRoot, p));
}

export interface CleanRequest {
  project: string;
  workspaceRoot: string;
  packageRoot: string;
  configFile?: string;
  configuration?: string;
  projectRoots?: string[];
  env?: NodeJS.ProcessEnv;
  lockTimeoutMs?: number;
  force?: boolean;
  /** Stop evaluating build.config.ts after this long (BS_CONFIG_TIMEOUT). Default 30 s. */
  configTimeoutMs?: number;
  /** What the caller already checked about configs (Nx: the inference plugin), see ConfigVouchers. */
  vouchers?: ConfigVouchers;
}

/** The clean target: resolve the config like a build would, then clean. Returns removed paths. */
export async function cleanPackage(request: CleanRequest): Promise<string[]> {
  const workspaceRoot = resolve(request.workspaceRoot);
  const packageRoot = resolve(workspaceRoot, request.packageRoot);
  // As in a build: evaluated in isolation first (once per content), so a hanging config fails here.
  const build = await loadPackageConfig({ ...request, workspaceRoot, packageRoot });
  // Never clean under a running build of the same package.
  const lock = await acquirePackageLock(resolve(packageRoot, LOCK_FILE), { timeoutMs: request.lockTimeoutMs });
  try {
    return await cleanOutputs(build, { projectRoots: request.projectRoots, force: request.force });
  } finally {
    await lock.release();
  }
}
