import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GZIP_FILE_CAP, gzipSizes } from '../../../src/nx/executors/build/lib/gzip-sizes';
import type { BuildArtifact } from '../../../src/result/schema';

describe('gzipSizes: the gzip column of the summary table', () => {
  let root: string;
  const artifact = (path: string, kind: BuildArtifact['kind'], content: string | Buffer): BuildArtifact => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, path), content);
    return { path, kind, size: Buffer.byteLength(content), sha256: '0'.repeat(64) };
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bs-gzip-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives entries, chunks and stylesheets their gzip size', async () => {
    const code = 'export const x = "hello";\n'.repeat(200);
    const sizes = await gzipSizes(root, [artifact('dist/index.js', 'entry', code), artifact('dist/chunk.js', 'chunk', code), artifact('dist/a.css', 'style', 'a{}')]);

    expect([...sizes.keys()].sort()).toEqual(['dist/a.css', 'dist/chunk.js', 'dist/index.js']);
    expect(sizes.get('dist/index.js')).toBeLessThan(code.length / 10);
    expect(sizes.get('dist/index.js')).toBeGreaterThan(0);
  });

  it('leaves out source maps, types and assets', async () => {
    const sizes = await gzipSizes(root, [artifact('dist/index.js.map', 'sourcemap', '{}'), artifact('dist/index.d.ts', 'types', 'export {};'), artifact('dist/logo.svg', 'asset', '<svg/>')]);

    expect(sizes.size).toBe(0);
  });

  it(`leaves out a file over ${GZIP_FILE_CAP / 1024 / 1024} MiB, so a big bundle does not slow the summary`, async () => {
    const sizes = await gzipSizes(root, [artifact('dist/big.js', 'entry', Buffer.alloc(GZIP_FILE_CAP + 1, 'a')), artifact('dist/small.js', 'entry', 'x')]);

    expect([...sizes.keys()]).toEqual(['dist/small.js']);
  });

  it('never throws for a file that is gone', async () => {
    const sizes = await gzipSizes(root, [{ path: 'dist/gone.js', kind: 'entry', size: 1, sha256: '0'.repeat(64) }]);

    expect(sizes.size).toBe(0);
  });

  it('measures what gzip really makes of the file', async () => {
    const a = artifact('dist/index.js', 'entry', 'console.log(1);\n');
    const sizes = await gzipSizes(root, [a]);

    expect(sizes.get(a.path)).toBe(gzipSync('console.log(1);\n').length);
  });
});
