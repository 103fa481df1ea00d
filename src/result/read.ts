import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FILE } from '../config/resolve';
import { buildResultSchema, type BuildResult } from './schema';

/** Reads and validates a package's BuildResult; undefined when the package was never built. */
export async function readBuildResultFile(packageRoot: string): Promise<BuildResult | undefined> {
  let text: string;
  try {
    text = await readFile(join(packageRoot, RESULT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return buildResultSchema.parse(JSON.parse(text));
}
