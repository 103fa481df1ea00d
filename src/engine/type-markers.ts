import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { EmittedFile } from '../adapters/types';
import type { OutputFormat } from '../config/schema';
import { BuildSystemError } from '../errors';

export interface FormattedFile {
  /** Absolute path in the staging folder. */
  file: string;
  format: OutputFormat;
}

const TYPE_OF: Record<'esm' | 'cjs', 'module' | 'commonjs'> = { esm: 'module', cjs: 'commonjs' };

/**
 * Node reads a `.js` file as ESM or CommonJS by the `type` of the nearest package.json. Wherever a
 * folder of the output holds `.js` files of the other format than Node would read there (the
 * package's type, or a marker above), a one-line package.json `{"type": ...}` is written into
 * that folder. `.cjs`/`.mjs` need none; iife bundles are not modules. Parents first, so a marker
 * also covers the folders below it. Returns the markers written (kind `asset`).
 */
export async function writeTypeMarkers(stagingDir: string, files: FormattedFile[], packageType: 'module' | 'commonjs', show: (path: string) => string): Promise<EmittedFile[]> {
  const byFolder = new Map<string, Set<'esm' | 'cjs'>>();
  for (const { file, format } of files) {
    if (format === 'iife' || !file.endsWith('.js')) continue;
    const folder = dirname(file);
    byFolder.set(folder, (byFolder.get(folder) ?? new Set()).add(format));
  }
  const written: EmittedFile[] = [];
  for (const folder of [...byFolder.keys()].sort((a, b) => a.length - b.length)) {
    const formats = [...byFolder.get(folder)!];
    if (formats.length > 1) {
      throw new BuildSystemError('BS_CONFIG_INVALID', `${show(folder)} would hold .js files of both ESM and CommonJS, and one folder can be read as only one of them.`, {
        hint: 'Give one of the outputs its own `dir`, or an extension (".cjs"/".mjs") that says its format.',
      });
    }
    const wanted = TYPE_OF[formats[0]];
    if ((await typeNodeReads(folder, stagingDir, packageType)) === wanted) continue;
    const marker = join(folder, 'package.json');
    if (existsSync(marker)) {
      throw new BuildSystemError('BS_CONFIG_INVALID', `${show(marker)} was written by the builder and does not say "type": "${wanted}", which the .js files beside it need.`, {
        hint: 'Let the build write this folder\'s package.json (remove the one the builder writes), or give the output an extension (".cjs"/".mjs") that says its format.',
      });
    }
    await writeFile(marker, `${JSON.stringify({ type: wanted })}\n`);
    written.push({ file: marker, kind: 'asset' });
  }
  return written;
}

/** The `type` of the nearest package.json from `folder` up to the staging folder, else the package's. */
async function typeNodeReads(folder: string, stagingDir: string, packageType: 'module' | 'commonjs'): Promise<'module' | 'commonjs'> {
  for (let dir = folder; !relative(stagingDir, dir).startsWith('..'); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const type = (JSON.parse(await readFile(file, 'utf8')) as { type?: unknown }).type;
      return type === 'module' ? 'module' : 'commonjs';
    }
    if (dir === stagingDir) break;
  }
  return packageType;
}
