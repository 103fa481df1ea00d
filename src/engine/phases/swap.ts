import { markOutDir } from '../output-ownership';
import { commitStaging, type Staging } from '../staging';
import type { BuildContext } from './context';
import { removeQuietly } from './remove-quietly';

/** Staging replaces outDir. */
export async function swapIntoPlace(ctx: BuildContext, staging: Staging): Promise<void> {
  // The old result describes the old outputs: drop it before they change, so a crash in
  // between never leaves a result that claims files it does not describe.
  await removeQuietly(ctx.resultFile);
  await markOutDir(staging.dir);
  await commitStaging(staging);
  ctx.staging = undefined;
}
