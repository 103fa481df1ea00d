import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Where package.json paths point during a build: outDir does not exist yet in its new form, so a
 * path under outDir is looked up in staging (where this build wrote it) and any other path in
 * the package itself (a file the package ships: sources under a `development` condition,
 * hand-written `types/`).
 */
export interface ContractLayout {
  packageRoot: string;
  outDir: string;
  stagingDir: string;
}

/** `file` is the path it will have (under outDir after the swap); `onDisk` where it is now. */
export type Found = { kind: 'built'; file: string; onDisk: string } | { kind: 'shipped'; file: string; onDisk: string };
export type NotFound = { kind: 'not-built'; file: string } | { kind: 'missing'; file: string } | { kind: 'outside'; file: string } | { kind: 'invalid'; reason: string };
export type Located = Found | NotFound;

export function isFound(l: Located): l is Found {
  return l.kind === 'built' || l.kind === 'shipped';
}

export function isUnder(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The path a final (post-swap) path has right now: under outDir it is in staging. */
export function onDiskPath(layout: ContractLayout, file: string): string {
  return isUnder(layout.outDir, file) ? join(layout.stagingDir, relative(layout.outDir, file)) : file;
}

/**
 * Resolves one package.json path. `exportsTarget`: Node's rules for exports targets (must start
 * with "./", no ".." or node_modules segments). `legacyMain`: Node's extension and index probing
 * for `main` (X, X.js, X.json, X.node, X/index.js, ...).
 */
export function locate(layout: ContractLayout, target: string, options: { exportsTarget?: boolean; legacyMain?: boolean } = {}): Located {
  if (options.exportsTarget) {
    if (!target.startsWith('./')) return { kind: 'invalid', reason: `"${target}" does not start with "./": Node accepts only package-relative exports targets (ERR_INVALID_PACKAGE_TARGET)` };
    if (target.slice(2).split(/[\\/]/).some((s) => s === '..' || s.toLowerCase() === 'node_modules')) {
      return { kind: 'invalid', reason: `"${target}" has a ".." or node_modules segment, which Node refuses in exports targets` };
    }
  }
  const file = resolve(layout.packageRoot, target);
  if (isAbsolute(target) || !isUnder(layout.packageRoot, file)) return { kind: 'outside', file };
  const candidates = options.legacyMain ? mainCandidates(file) : [file];
  for (const candidate of candidates) {
    const onDisk = onDiskPath(layout, candidate);
    // Output trees are read without following symlinks out of them; a shipped symlink counts.
    if (isFile(onDisk, !isUnder(layout.outDir, candidate))) return isUnder(layout.outDir, candidate) ? { kind: 'built', file: candidate, onDisk } : { kind: 'shipped', file: candidate, onDisk };
  }
  return isUnder(layout.outDir, file) ? { kind: 'not-built', file } : { kind: 'missing', file };
}

/** A subpath pattern target (`./dist/*.js`): the files it matches, with the same placement rules. */
export function locatePattern(layout: ContractLayout, target: string): { kind: 'built' | 'shipped'; matches: Array<{ file: string; onDisk: string }> } | NotFound {
  const invalid = locate(layout, target.split('*').join('x'), { exportsTarget: true });
  if (invalid.kind === 'invalid' || invalid.kind === 'outside') return invalid;
  const parts = target.slice(2).split('*');
  const prefix = resolve(layout.packageRoot, parts[0] || '.');
  const base = parts[0] === '' || parts[0].endsWith('/') ? prefix : dirname(prefix);
  // Node substitutes the same text for every "*" of the target.
  const pattern = new RegExp(`^${parts.map(escapeRegExp).reduce((acc, part, i) => `${acc}${i === 1 ? '(.+)' : '\\1'}${part}`)}$`);
  // Candidates as they will be after the swap: staging stands for outDir, the old outputs and
  // the staging folder itself are not files of the package.
  const candidates: Array<{ file: string; onDisk: string }> = [];
  if (isUnder(layout.outDir, base) || isUnder(base, layout.outDir)) {
    for (const onDisk of walkFiles(layout.stagingDir)) candidates.push({ file: join(layout.outDir, relative(layout.stagingDir, onDisk)), onDisk });
  }
  if (!isUnder(layout.outDir, base)) {
    for (const file of walkFiles(base)) if (!isUnder(layout.outDir, file) && !isUnder(layout.stagingDir, file)) candidates.push({ file, onDisk: file });
  }
  const matches = candidates.filter((c) => isUnder(base, c.file) && pattern.test(relative(layout.packageRoot, c.file).split(sep).join('/')));
  const built = isUnder(layout.outDir, base) || (matches.length > 0 && matches.every((m) => isUnder(layout.outDir, m.file)));
  return { kind: built ? 'built' : 'shipped', matches };
}

/** "module" or "commonjs" for a file at its final path: the nearest package.json, staging included. */
export function nearestPackageType(layout: ContractLayout, file: string, cache = new Map<string, string | undefined>()): { type: 'module' | 'commonjs'; packageJson: string } {
  let dir = dirname(file);
  while (isUnder(layout.packageRoot, dir)) {
    const pj = join(dir, 'package.json');
    if (!cache.has(pj)) cache.set(pj, readType(onDiskPath(layout, pj)));
    const type = cache.get(pj);
    if (type !== undefined) return { type: type === 'module' ? 'module' : 'commonjs', packageJson: pj };
    if (dir === layout.packageRoot) break;
    dir = dirname(dir);
  }
  return { type: 'commonjs', packageJson: join(layout.packageRoot, 'package.json') };
}

/** The `type` of a package.json ('' when it has none), undefined when there is no such file. */
function readType(file: string): string | undefined {
  if (!isFile(file)) return undefined;
  try {
    const type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
    return typeof type === 'string' ? type : '';
  } catch {
    return '';
  }
}

function mainCandidates(file: string): string[] {
  const exts = ['.js', '.json', '.node'];
  return [file, ...exts.map((e) => file + e), ...exts.map((e) => join(file, `index${e}`))];
}

/** Files under `dir`, never following symlinks out of it and skipping node_modules; capped. */
export function walkFiles(dir: string, limit = 20_000): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length && out.length < limit) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = join(current, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') stack.push(p);
      } else if (e.isFile()) out.push(p);
    }
  }
  return out.sort();
}

export function isFile(p: string, followSymlink = true): boolean {
  try {
    // A symlink to a file counts where asked: npm packs what it points at.
    return lstatSync(p).isFile() || (followSymlink && existsSync(p) && statSync(p).isFile());
  } catch {
    return false;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
