import { chmod, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every regular file under `dir` that starts with `#!` gets execute bits where it has read bits
 * (0644 → 0755, 0600 → 0700), so a `bin` runs without a chmod of its own. Returns the files changed.
 */
export async function markExecutables(dir: string): Promise<string[]> {
  const changed: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const file = join(folder, entry.name);
      // Links and special files are never opened (a FIFO would block); output-tree.ts refuses them.
      if (entry.isDirectory()) await walk(file);
      else if (entry.isFile() && (await startsWithShebang(file))) {
        const mode = (await stat(file)).mode & 0o7777;
        const wanted = mode | ((mode & 0o444) >> 2);
        if (wanted !== mode) {
          await chmod(file, wanted);
          changed.push(file);
        }
      }
    }
  };
  await walk(dir);
  return changed;
}

async function startsWithShebang(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x23 && head[1] === 0x21;
  } finally {
    await handle.close();
  }
}
