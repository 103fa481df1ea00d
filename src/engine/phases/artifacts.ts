import { resolve } from 'node:path';
import { BuildSystemError } from '../../errors';
import { collectArtifacts } from '../artifacts';
import type { BuildContext } from './context';
import type { PreparedBuild } from './prepare';
import type { Produced } from './verify-staging';

/** Lists what outDir holds now (after the swap), and fails when an entry bundle is not among it. */
export async function listArtifacts(ctx: BuildContext, { build }: PreparedBuild, produced: Produced): Promise<void> {
  const { rel, workspaceRoot } = ctx;
  const artifacts = await collectArtifacts({ workspaceRoot, packageRoot: ctx.packageRoot, outDir: build.outDir, globs: build.artifacts, kinds: produced.kinds, variants: produced.variants });
  ctx.artifacts = artifacts;
  const listed = new Set(artifacts.map((a) => resolve(workspaceRoot, a.path)));
  const missing = produced.expected.filter((f) => !listed.has(f));
  if (artifacts.length === 0 || missing.length) {
    throw new BuildSystemError(
      'BS_ARTIFACT_MISSING',
      artifacts.length === 0
        ? `The build produced no artifacts${build.artifacts.length ? ` matching ${build.artifacts.join(', ')}` : ` in ${rel(build.outDir)}`}.`
        : `Expected outputs are missing: ${missing.map(rel).join(', ')}.`,
      build.artifacts.length
        ? { hint: `Fix \`artifacts\` in ${rel(build.configFile)}: its globs are relative to the package root and must match the entry bundles in ${rel(build.outDir)}.` }
        : {},
    );
  }
}
