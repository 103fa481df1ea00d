import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BuildSystemError, ioFailureHint } from '../errors';
import { removeTree } from './remove-tree';

/**
 * Builds write into a fresh sibling of outDir (same depth, so relative source-map paths stay
 * right) that replaces outDir only when the build succeeded. A failed or killed build leaves the
 * previous outputs as they were.
 */
export interface Staging {
  dir: string;
  outDir: string;
}

const stagingPrefix = (outDir: string) => `.${basename(outDir)}.staging-`;
const retiredPrefix = (outDir: string) => `.${basename(outDir)}.old-`;

export async function createStaging(outDir: string): Promise<Staging> {
  await sweepStaleStaging(outDir);
  const dir = join(dirname(outDir), `${stagingPrefix(outDir)}${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return { dir, outDir };
}

/** Swaps the staging folder into place: two renames, then the old outputs are removed. */
export async function commitStaging(staging: Staging): Promise<void> {
  const retired = join(dirname(staging.outDir), `${retiredPrefix(staging.outDir)}${process.pid}-${randomBytes(4).toString('hex')}`);
  let moved = false;
  try {
    try {
      await rename(staging.outDir, retired);
      moved = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(staging.dir, staging.outDir);
  } catch (e) {
    if (moved) await rename(retired, staging.outDir).catch(() => undefined);
    throw new BuildSystemError('BS_IO_FAILED', `Could not move the new outputs into ${staging.outDir}: ${(e as Error).message}`, {
      file: staging.outDir,
      hint: ioFailureHint((e as NodeJS.ErrnoException).code),
    });
  }
  if (moved) await removeTree(retired);
}

/**
 * Text for people (terminal, build.log, result messages) with the staging folder shown as the
 * outDir it becomes: the staging name is an internal detail, the configured outDir is what users
 * look for. Staging is a sibling of outDir, so replacing its name fixes absolute and relative
 * forms alike; the name holds a pid and random hex, so nothing else matches it.
 */
export function showAsOutDir(staging: Staging): (text: string) => string {
  const name = basename(staging.dir);
  const shown = basename(staging.outDir);
  return (text) => (text.includes(name) ? text.split(name).join(shown) : text);
}

export async function discardStaging(staging: Staging): Promise<void> {
  await removeTree(staging.dir);
}

/**
 * A build killed between the two renames of the swap leaves no outDir and the previous outputs
 * in a retired folder; sweeping would lose them. Before anything else touches outDir, such a
 * folder (of a process that is gone; the newest if several) is moved back. Returns its name.
 */
export async function restoreInterruptedSwap(outDir: string): Promise<string | undefined> {
  if (await exists(outDir)) return undefined;
  const parent = dirname(outDir);
  const names = await readdir(parent).catch(() => [] as string[]);
  const prefix = retiredPrefix(outDir);
  const candidates = await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && !isAlive(Number(n.slice(prefix.length).split('-')[0])))
      .map(async (name) => ({ name, mtimeMs: (await stat(join(parent, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const newest = candidates.sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  if (!newest) return undefined;
  await rename(join(parent, newest.name), outDir);
  return newest.name;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Removes staging and retired folders left by builds whose process is gone. */
export async function sweepStaleStaging(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const prefixes = [stagingPrefix(outDir), retiredPrefix(outDir)];
  await Promise.all(
    names.map(async (name) => {
      const prefix = prefixes.find((p) => name.startsWith(p));
      if (!prefix) return;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
      await removeTree(join(parent, name));
    }),
  );
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
