import { resolve } from 'node:path';
import { writeOutputPackageJson } from '../output-package-json';
import type { Staging } from '../staging';
import type { BuildContext } from './context';
import type { PreparedBuild } from './prepare';
import type { Produced } from './verify-staging';

/**
 * `packageJson.generate`: writes outDir's own package.json into staging, after the builder and
 * its checks and before the package contract, which reads this file.
 */
export async function generatePackageJson(ctx: BuildContext, { build }: PreparedBuild, staging: Staging, produced: Produced): Promise<void> {
  if (!build.packageJson.generate) return;
  const written = await writeOutputPackageJson({
    project: build.project,
    workspaceRoot: ctx.workspaceRoot,
    packageRoot: ctx.packageRoot,
    dir: staging.dir,
    packageType: build.packageType,
    entries: build.entries,
    entryFiles: produced.entryFiles,
    external: build.external,
  });
  produced.kinds.set(resolve(build.outDir, 'package.json'), 'asset');
  for (const message of written.warnings) {
    ctx.warnings.push({ message });
    ctx.log.write(`warning: ${message}\n`);
  }
}
