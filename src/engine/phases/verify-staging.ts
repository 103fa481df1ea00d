import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { AdapterOutcome } from '../../adapters/types';
import { BuildSystemError } from '../../errors';
import type { ArtifactKind } from '../../result/schema';
import type { Staging } from '../staging';
import type { BuildContext } from './context';
import type { PreparedBuild } from './prepare';

/** What the builder says it made, by final (outDir) path: read by the later phases. */
export interface Produced {
  /** Kinds are known by staging path; after the swap the same files live under outDir. */
  kinds: Map<string, ArtifactKind>;
  /** Entry bundles under outDir, that the artifact list must hold. */
  expected: string[];
  /** Entry bundles in staging. */
  entryFiles: string[];
  /** The output of `outputs` that wrote each file, by final path (empty without `outputs`). */
  variants: Map<string, string>;
}

/** Verifies in staging, before the swap: a build that lost an output must not replace good ones. */
export async function verifyStaging(ctx: BuildContext, { build, selected }: PreparedBuild, staging: Staging, outcome: AdapterOutcome): Promise<Produced> {
  const { rel } = ctx;
  const emitted = outcome.emitted ?? [];
  const finalPath = (file: string) => resolve(build.outDir, relative(staging.dir, file));
  const kinds = new Map<string, ArtifactKind>();
  const variants = new Map<string, string>();
  for (const e of emitted) {
    kinds.set(finalPath(e.file), e.kind);
    if (e.variant) variants.set(finalPath(e.file), e.variant);
  }
  const entryFiles = emitted.filter((e) => e.kind === 'entry').map((e) => e.file);
  const missing = entryFiles.filter((file) => !existsSync(file));
  if (missing.length || (await isEmptyDir(staging.dir))) {
    const builder = selected.adapter.name;
    const tsc = builder === 'tsc';
    const logFile = rel(ctx.logFile);
    const configFile = rel(build.configFile);
    throw new BuildSystemError(
      'BS_ARTIFACT_MISSING',
      missing.length ? `Expected outputs were not produced: ${missing.map((file) => rel(finalPath(file))).join(', ')}.` : `The build wrote nothing to ${rel(build.outDir)}.`,
      {
        hint: missing.length
          ? `${builder} finished without an error but did not write ${missing.length > 1 ? 'these entries' : 'this entry'}: check \`entry\` and \`outDir\` in ${configFile}${tsc ? ', and that the tsconfig includes the entry' : ''}, and read ${logFile}.`
          : `${builder} finished without an error but wrote no file: read its output in ${logFile}, and check \`entry\` and \`outDir\` in ${configFile}${tsc ? ' and what the tsconfig includes' : ''}.`,
      },
    );
  }
  return { kinds, expected: entryFiles.map(finalPath), entryFiles, variants };
}

async function isEmptyDir(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).length === 0;
}
