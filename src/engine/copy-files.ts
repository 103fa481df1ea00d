import { copyFile, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { BuildSystemError } from '../errors';
import { RESULT_DIR } from '../config/resolve';

export interface CopyRequest {
  packageRoot: string;
  /** The configured outDir: never a source (it holds the previous output). */
  outDir: string;
  /** Where the files go (the staging folder). */
  targetDir: string;
  items: Array<string | { from: string; to?: string }>;
  /** For error locations. */
  configFile: string;
  rel: (p: string) => string;
}

/**
 * `copy`: files, folders and globs from the package into the output. Without `to` a file keeps
 * its package-relative path; `to` renames a file (a folder when it ends with "/") or, for a glob
 * or folder, takes the place of its static base. Returns the written files (absolute, in targetDir).
 */
export async function copyFiles(request: CopyRequest): Promise<string[]> {
  const written = new Set<string>();
  const packageReal = await realpath(request.packageRoot);
  for (const given of request.items) {
    const item = typeof given === 'string' ? { from: given } : given;
    const pairs = await plan(item, request);
    for (const { source, target } of pairs) {
      await assertInside(source, packageReal, request, item);
      if (written.has(target) || (await exists(target))) {
        throw new BuildSystemError('BS_COPY_CONFLICT', `copy "${item.from}" would overwrite ${request.rel(join(request.outDir, relative(request.targetDir, target)))}, which the build already wrote.`, {
          file: request.configFile,
        });
      }
      await mkdir(dirname(target), { recursive: true });
      await copyFile(source, target);
      written.add(target);
    }
  }
  return [...written];
}

/** Source and target of every file one item copies. */
async function plan(item: { from: string; to?: string }, request: CopyRequest): Promise<Array<{ source: string; target: string }>> {
  const { packageRoot, targetDir } = request;
  const from = checkedRelative(item.from, 'from', item, request);
  const to = item.to === undefined ? undefined : checkedRelative(item.to, 'to', item, request);
  const { glob, isDynamicPattern } = await import('tinyglobby');
  const fromPath = resolve(packageRoot, from);
  const isGlob = isDynamicPattern(from);
  const fromStat = isGlob ? undefined : await stat(fromPath).catch(() => undefined);
  if (!isGlob && fromStat?.isFile()) {
    if (isInOrUnder(fromPath, request.outDir)) throw outsideError(item, request, `is inside outDir (${request.rel(request.outDir)}), which holds the previous output`);
    const target = to === undefined ? join(targetDir, from) : item.to!.endsWith('/') ? join(targetDir, to, basename(from)) : join(targetDir, to);
    return [{ source: fromPath, target }];
  }
  // A folder is its whole tree; a glob keeps paths below its static base.
  const pattern = isGlob ? from : fromStat?.isDirectory() ? `${from}/**` : undefined;
  const files = pattern
    ? await glob(pattern, {
        cwd: packageRoot,
        absolute: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        ignore: ['**/node_modules/**', `${RESULT_DIR}/**`, `${toPosix(relative(packageRoot, request.outDir))}/**`],
      })
    : [];
  if (files.length === 0) {
    throw new BuildSystemError('BS_COPY_NO_MATCH', `copy "${item.from}" matched no file in ${request.rel(packageRoot) || '.'}.`, {
      file: request.configFile,
      hint: `Fix or remove this \`copy\` entry in ${request.rel(request.configFile)}: it is relative to the package root${isGlob ? ' (a glob never searches node_modules or outDir)' : ''}.`,
    });
  }
  const base = resolve(packageRoot, isGlob ? staticBase(from, isDynamicPattern) : from);
  return files.sort().map((file) => {
    const source = resolve(file);
    return { source, target: to === undefined ? join(targetDir, relative(packageRoot, source)) : join(targetDir, to, relative(base, source)) };
  });
}

/** A `from` or `to` that stays inside its folder (package root, outDir), normalized to POSIX. */
function checkedRelative(path: string, key: 'from' | 'to', item: { from: string }, request: CopyRequest): string {
  const normalized = posix.normalize(toPosix(path));
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path) || normalized === '..' || normalized.startsWith('../')) {
    throw outsideError(item, request, key === 'from' ? 'is outside the package' : `has a "to" (${path}) outside outDir`);
  }
  return normalized.replace(/\/$/, '') || '.';
}

/** The real file (after links) must be inside the real package root. */
async function assertInside(source: string, packageReal: string, request: CopyRequest, item: { from: string }): Promise<void> {
  const real = await realpath(source);
  if (!isInOrUnder(real, packageReal)) throw outsideError(item, request, `reaches ${real} through a link, outside the package`);
}

function outsideError(item: { from: string }, request: CopyRequest, why: string): BuildSystemError {
  return new BuildSystemError('BS_COPY_OUTSIDE_PACKAGE', `copy "${item.from}" ${why}.`, {
    file: request.configFile,
    hint: `Copy files inside ${request.rel(request.packageRoot) || 'the package'} only, to paths inside outDir; copy others into the package first (e.g. in a pre hook).`,
  });
}

/** `assets/**\/*.png` → `assets`: the leading segments without glob syntax. */
function staticBase(pattern: string, isDynamic: (p: string) => boolean): string {
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex((s) => isDynamic(s));
  return segments.slice(0, firstDynamic < 0 ? segments.length : firstDynamic).join('/') || '.';
}

function isInOrUnder(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}
