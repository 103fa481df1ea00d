import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ArtifactKind, BuildArtifact } from '../result/schema';
import { OWNERSHIP_MARKER } from './output-ownership';
import { relativePosix } from '../paths';

export interface CollectOptions {
  workspaceRoot: string;
  packageRoot: string;
  outDir: string;
  /** Globs relative to packageRoot; empty means every file under outDir. */
  globs: string[];
  /** Kinds the adapter reported, by absolute final path. */
  kinds: Map<string, ArtifactKind>;
  /** The output variant that wrote each file, by absolute final path (builds with `outputs`). */
  variants?: Map<string, string>;
}

/** Every artifact with workspace-relative path, size, sha256 and kind, sorted by path. */
export async function collectArtifacts(options: CollectOptions): Promise<BuildArtifact[]> {
  // Loaded here, not at the top: the run summary hook imports this module for sha256Of only.
  const { glob } = await import('tinyglobby');
  // Links are never followed and special files never listed (tinyglobby skips both with these
  // options); the output itself was checked for them before the swap (output-tree.ts).
  const files = options.globs.length
    ? await glob(options.globs, { cwd: options.packageRoot, absolute: true, dot: true, onlyFiles: true, followSymbolicLinks: false })
    : await glob('**/*', { cwd: options.outDir, absolute: true, dot: true, onlyFiles: true, followSymbolicLinks: false });
  const unique = [...new Set(files.map((f) => resolve(f)))].filter((f) => basename(f) !== OWNERSHIP_MARKER).sort();
  return mapLimit(unique, 32, async (file) => {
    const [size, sha256] = await Promise.all([stat(file).then((s) => s.size), sha256Of(file)]);
    return {
      path: relativePosix(options.workspaceRoot, file),
      size,
      sha256,
      kind: options.kinds.get(file) ?? kindFromName(file),
      ...(options.variants?.has(file) ? { variant: options.variants.get(file) } : {}),
    };
  });
}

export function kindFromName(file: string): ArtifactKind {
  if (/\.d\.[cm]?ts$/.test(file)) return 'types';
  if (file.endsWith('.map')) return 'sourcemap';
  if (file.endsWith('.css')) return 'style';
  if (/\.[cm]?js$/.test(file)) return 'chunk';
  return 'asset';
}

export function sha256Of(file: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}
