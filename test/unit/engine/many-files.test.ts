import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import { buildPackage, configSource, createWorkspace, useTempDirs, writeFiles, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();

const FILE_COUNT = 10_000;

/**
 * A `builderOptions.module` that writes FILE_COUNT small files into the staging outDir, in
 * nested folders (a0..a9/b0..b9/f000..f099.txt). `variant` goes into every file; variant "v2"
 * renames the a9 folder to z9 (same count, other names), so a leftover of v1 would show; variant
 * "fail" writes `count` files and then throws. Before writing, it records a digest of the current
 * (final) outDir in the package root, so a test can check what a reader saw during the build.
 */
const MANY_FILES_MODULE = `
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const relOf = (variant, i) => {
  const a = Math.floor(i / 1000);
  const top = variant === 'v2' && a === 9 ? 'z9' : 'a' + a;
  return top + '/b' + (Math.floor(i / 100) % 10) + '/f' + String(i % 100).padStart(3, '0') + '.txt';
};
export const contentOf = (variant, i) => variant + ' ' + relOf(variant, i) + ' ' + 'x'.repeat(i % 50) + '\\n';

function digest(dir) {
  const hash = createHash('sha256');
  const walk = (current) => {
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      hash.update(relative(dir, full) + '\\0');
      try { hash.update(readFileSync(full)); } catch (e) { if (e.code === 'EISDIR') walk(full); else throw e; }
      hash.update('\\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

export default async function build(input) {
  const { variant, count } = input.builderOptions;
  writeFileSync(join(input.packageRoot, 'observed-before.txt'), existsSync(input.finalOutDir) ? digest(input.finalOutDir) : 'none');
  const made = new Set();
  for (let i = 0; i < count; i++) {
    const file = join(input.outDir, relOf(variant, i));
    const dir = dirname(file);
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    writeFileSync(file, contentOf(variant, i));
  }
  if (variant === 'fail') throw new Error('broke after writing ' + count + ' files');
}
`;

/** Same as relOf/contentOf in the module above. */
function relOf(variant: string, i: number): string {
  const a = Math.floor(i / 1000);
  const top = variant === 'v2' && a === 9 ? 'z9' : `a${a}`;
  return `${top}/b${Math.floor(i / 100) % 10}/f${String(i % 100).padStart(3, '0')}.txt`;
}
function contentOf(variant: string, i: number): string {
  return `${variant} ${relOf(variant, i)} ${'x'.repeat(i % 50)}\n`;
}

/**
 * Every file under dir (relative path → contents, the ownership marker left out) and a digest of
 * the whole tree, marker included, computed as the module does: sorted names, the relative path
 * and the bytes of every entry.
 */
function readTree(dir: string): { files: Map<string, string>; digest: string } {
  const files = new Map<string, string>();
  const hash = createHash('sha256');
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
      const full = path.join(current, entry.name);
      const rel = path.relative(dir, full);
      hash.update(`${rel}\0`);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        const bytes = fs.readFileSync(full);
        hash.update(bytes);
        if (entry.name !== OWNERSHIP_MARKER) files.set(rel.split(path.sep).join('/'), bytes.toString());
      }
      hash.update('\0');
    }
  };
  walk(dir);
  return { files, digest: hash.digest('hex') };
}

function expectedTree(variant: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < FILE_COUNT; i++) out.set(relOf(variant, i), contentOf(variant, i));
  return out;
}

/** What differs between two trees (cheaper, and shorter when it fails, than a deep equal of 10,000 entries). */
function treeDifferences(actual: Map<string, string>, expected: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [rel, text] of expected) {
    if (!actual.has(rel)) out.push(`missing ${rel}`);
    else if (actual.get(rel) !== text) out.push(`other contents in ${rel}: ${JSON.stringify(actual.get(rel))}`);
  }
  for (const rel of actual.keys()) if (!expected.has(rel)) out.push(`unexpected ${rel}`);
  return out.slice(0, 20);
}

function useVariant(ws: TestWorkspace, variant: string, count = FILE_COUNT): void {
  writeFiles(ws.pkg, {
    'build.config.ts': configSource(`{ builder: 'custom', builderOptions: { module: 'scripts/many-files.mjs', variant: '${variant}', count: ${count} } }`),
  });
}

/** Staging and retired folders beside dist (.dist.staging-*, .dist.old-*). */
function leftovers(ws: TestWorkspace): string[] {
  return fs.readdirSync(ws.pkg).filter((name) => /^\.dist\.(staging|old)-/.test(name));
}

describe('runBuild with 10,000 output files', () => {
  // Three builds of 10,000 files: a few seconds on an idle machine; the timeout leaves room for a loaded one.
  it('lists every file, replaces the previous outputs as a whole, and a failed build leaves them untouched', { timeout: 120_000 }, async () => {
    const ws = createWorkspace(tempDir, { files: { 'scripts/many-files.mjs': MANY_FILES_MODULE } });
    const dist = path.join(ws.pkg, 'dist');

    // 1. A first build: 10,000 artifacts, with the size and sha256 of what the module wrote.
    useVariant(ws, 'v1');
    const first = await buildPackage(ws);

    expect(first.errors).toEqual([]);
    expect(first.status).toBe('success');
    expect(first.artifacts).toHaveLength(FILE_COUNT);
    const v1 = expectedTree('v1');
    const listed = new Set(first.artifacts.map((a) => a.path));
    expect(listed.size).toBe(FILE_COUNT);
    expect([...v1.keys()].filter((rel) => !listed.has(`${ws.pkgRel}/dist/${rel}`))).toEqual([]);
    const byPath = new Map(first.artifacts.map((a) => [a.path, a]));
    for (const i of [0, 1, 49, 999, 1234, 5000, 7777, 9998, 9999]) {
      const rel = relOf('v1', i);
      const artifact = byPath.get(`${ws.pkgRel}/dist/${rel}`)!;
      const onDisk = fs.readFileSync(path.join(dist, rel));
      expect(onDisk.toString()).toBe(contentOf('v1', i));
      expect(artifact.size).toBe(onDisk.length);
      expect(artifact.size).toBe(Buffer.byteLength(contentOf('v1', i)));
      expect(artifact.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
      expect(artifact.kind).toBe('asset');
    }
    expect(fs.existsSync(path.join(dist, OWNERSHIP_MARKER))).toBe(true);
    const { files: v1Tree, digest: v1Digest } = readTree(dist);
    expect(treeDifferences(v1Tree, v1)).toEqual([]);
    expect(leftovers(ws)).toEqual([]);

    // 2. A second build with other contents (and other names for 1,000 files): while it ran the
    // old tree was whole; afterwards the tree is exactly the new one, nothing of the old left.
    useVariant(ws, 'v2');
    const second = await buildPackage(ws);

    expect(second.errors).toEqual([]);
    expect(second.artifacts).toHaveLength(FILE_COUNT);
    expect(fs.readFileSync(path.join(ws.pkg, 'observed-before.txt'), 'utf8')).toBe(v1Digest);
    const { files: v2Tree, digest: goodDigest } = readTree(dist);
    expect(v2Tree.size).toBe(FILE_COUNT);
    expect([...v2Tree.values()].filter((text) => !text.startsWith('v2 '))).toEqual([]);
    expect(treeDifferences(v2Tree, expectedTree('v2'))).toEqual([]);
    expect(fs.existsSync(path.join(dist, 'a9'))).toBe(false);
    expect(leftovers(ws)).toEqual([]);
    const byPath2 = new Map(second.artifacts.map((a) => [a.path, a]));
    for (const i of [0, 9000, 9999]) {
      const rel = relOf('v2', i);
      expect(byPath2.get(`${ws.pkgRel}/dist/${rel}`)?.sha256).toBe(createHash('sha256').update(contentOf('v2', i)).digest('hex'));
    }

    // 3. A build that writes 1,000 files into staging and then fails: the previous 10,000 files stay
    // as they were (same folder, same bytes), and its staging folder is gone.
    const goodInode = fs.statSync(dist).ino;
    useVariant(ws, 'fail', 1000);
    const failed = await buildPackage(ws);

    expect(failed.status).toBe('failure');
    expect(failed.artifacts).toEqual([]);
    expect(failed.errors).toEqual([expect.objectContaining({ code: 'BS_BUILD_FAILED', message: expect.stringContaining('broke after writing 1000 files') })]);
    expect(readTree(dist).digest).toBe(goodDigest);
    expect(fs.statSync(dist).ino).toBe(goodInode);
    expect(leftovers(ws)).toEqual([]);
  });
});
