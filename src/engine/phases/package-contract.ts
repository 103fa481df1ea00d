import { join } from 'node:path';
import { ERROR_CODES } from '../../errors';
import { checkPackageContract } from '../package-contract';
import { assertRegularOutputTree } from '../output-tree';
import type { Staging } from '../staging';
import { reportError, type BuildContext } from './context';
import { ReportedFailure } from './errors';
import type { PreparedBuild } from './prepare';

/**
 * The output tree and the package contract, in staging: links or special files, or a package.json
 * that names files this build did not write, must not get the good outputs replaced.
 */
export async function checkStagedPackage(ctx: BuildContext, { build }: PreparedBuild, staging: Staging): Promise<void> {
  const { rel } = ctx;
  await assertRegularOutputTree(staging.dir, rel(build.outDir));
  const mode = build.packageJson.check;
  if (mode === 'off') return;
  ctx.progress?.phase('package contract');
  // With packageJson.generate the package is outDir itself: its generated package.json is checked.
  const manifestRoot = build.packageJson.generate ? build.outDir : ctx.packageRoot;
  const report = await checkPackageContract({ workspaceRoot: ctx.workspaceRoot, packageRoot: manifestRoot, outDir: build.outDir, stagingDir: staging.dir });
  if (report.checked) ctx.entryPoints = report.entryPoints;
  const packageJson = rel(join(manifestRoot, 'package.json'));
  for (const v of report.violations) {
    const at = { file: packageJson, ...(v.line ? { line: v.line, column: v.column } : {}) };
    if (mode === 'warn') ctx.warnings.push({ code: 'BS_PACKAGE_CONTRACT', message: v.message, ...at });
    else reportError(ctx, { code: 'BS_PACKAGE_CONTRACT', phase: ERROR_CODES.BS_PACKAGE_CONTRACT.phase, message: v.message, ...at, hint: v.hint });
  }
  if (ctx.errors.length) throw new ReportedFailure();
}
