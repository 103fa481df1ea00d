import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildSystemError } from '../errors';
import { relativePosix } from '../paths';

/** One entry of the output that is not a regular file or a folder. */
export interface IrregularEntry {
  /** Relative to the scanned folder, with `/`. */
  path: string;
  what: string;
}

/**
 * Walks an output folder without following anything and lists what is not a regular file or
 * folder. Links are never followed (a link to a file outside the package would be hashed, listed
 * and published with that file's content; a link into node_modules lists thousands of files),
 * and special files are never read (a link to /dev/zero is read for ever).
 */
export async function findIrregularEntries(root: string): Promise<IrregularEntry[]> {
  const found: IrregularEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = relativePosix(root, full);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isSymbolicLink()) found.push({ path, what: `a symbolic link to ${await readlink(full).catch(() => '?')}` });
      else if (!entry.isFile()) found.push({ path, what: describeSpecial(entry) });
    }
  };
  await walk(root);
  return found;
}

/** Fails with BS_OUTPUT_NOT_REGULAR when the folder holds links or special files. */
export async function assertRegularOutputTree(root: string, shownAs: string): Promise<void> {
  const irregular = await findIrregularEntries(root);
  if (!irregular.length) return;
  const shown = irregular.slice(0, 10).map((e) => `${shownAs}/${e.path} (${e.what})`);
  throw new BuildSystemError('BS_OUTPUT_NOT_REGULAR', `The build wrote ${irregular.length === 1 ? 'an entry that is not a regular file' : `${irregular.length} entries that are not regular files`}: ${shown.join(', ')}${irregular.length > 10 ? ', …' : ''}.`, {
    hint: 'Copy the file instead of linking it, or write it outside outDir; links are never followed and special files never read (docs/troubleshooting.md#bs_output_not_regular).',
  });
}

function describeSpecial(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device file';
  return 'not a regular file';
}
