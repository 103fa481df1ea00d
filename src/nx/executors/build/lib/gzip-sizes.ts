import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { BuildArtifact } from '../../../../result/schema';

/** What a browser or a CDN sends compressed; maps, types and assets say little gzipped. */
const GZIPPED_KINDS = new Set<BuildArtifact['kind']>(['entry', 'chunk', 'style']);
/** ~17 ms per MiB on this machine: larger files are listed without a gzip size. */
export const GZIP_FILE_CAP = 1024 * 1024;
/** And no summary spends more than about 8 MiB of compression (a verbose list of many chunks). */
const GZIP_TOTAL_CAP = 8 * 1024 * 1024;

const gzipAsync = promisify(gzip);

/**
 * The gzip size of each shown entry, chunk and stylesheet, for the summary table; keyed by
 * artifact path. Async (zlib's thread pool), so a batch of builds in one process is not held up.
 * Never throws: a file it cannot read simply has no gzip size.
 */
export async function gzipSizes(workspaceRoot: string, artifacts: readonly BuildArtifact[]): Promise<Map<string, number>> {
  let budget = GZIP_TOTAL_CAP;
  const picked = artifacts.filter((a) => GZIPPED_KINDS.has(a.kind) && a.size <= GZIP_FILE_CAP && (budget -= a.size) >= 0);
  const sizes = new Map<string, number>();
  await Promise.all(
    picked.map(async (a) => {
      try {
        sizes.set(a.path, (await gzipAsync(await readFile(join(workspaceRoot, a.path)))).length);
      } catch {
        /* gone or unreadable: listed without a gzip size */
      }
    }),
  );
  return sizes;
}
