import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
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
  // Links are never followed and special files never listed (both walks skip them); the output
  // itself was checked for them before the swap (output-tree.ts).
  const files = options.globs.length ? await globbed(options.globs, options.packageRoot) : await filesUnder(options.outDir);
  const unique = [...new Set(files.map((f) => resolve(f)))].filter((f) => basename(f) !== OWNERSHIP_MARKER).sort();
  return mapLimit(unique, 32, async (file) => {
    const { size, sha256 } = await digestOf(file);
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

/**
 * `artifacts` globs: tinyglobby, loaded only here (a default build lists outDir with filesUnder
 * and never loads it; the run summary hook imports this module for sha256Of only).
 */
async function globbed(globs: string[], cwd: string): Promise<string[]> {
  const { glob } = await import('tinyglobby');
  return glob(globs, { cwd, absolute: true, dot: true, onlyFiles: true, followSymbolicLinks: false });
}

/** Every regular file under `dir` (dot files included), by absolute path; links are not followed. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    await Promise.all(
      entries.map((entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return walk(path);
        if (entry.isFile()) out.push(path);
        return undefined;
      }),
    );
  };
  try {
    await walk(dir);
  } catch (e) {
    // No outDir: nothing was written (as a glob of a missing folder finds nothing).
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return out;
}

export async function sha256Of(file: string): Promise<string> {
  return (await digestOf(file)).sha256;
}

/** Files up to this size are read whole; larger ones are streamed, so memory stays bounded. */
const READ_WHOLE_BYTES = 1024 * 1024;

/**
 * sha256 and size of a file. Most outputs are small: read whole and synchronously, which costs a
 * fraction of a read stream's CPU (a stream per file was most of a cache-hit run summary's time,
 * on the thread every build of a batch shares). Large ones are streamed: the bytes hashed are the
 * bytes counted.
 */
async function digestOf(file: string): Promise<{ size: number; sha256: string }> {
  const stat = statSync(file);
  // Only regular files: a FIFO would block a synchronous read (and the thread) for ever.
  if (stat.isFile() && stat.size <= READ_WHOLE_BYTES) {
    const bytes = readFileSync(file);
    return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return streamDigest(file);
}

function streamDigest(file: string): Promise<{ size: number; sha256: string }> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    createReadStream(file)
      .on('data', (chunk) => {
        size += chunk.length;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolvePromise({ size, sha256: hash.digest('hex') }));
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
