import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectArtifacts } from '../../../src/engine/artifacts';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function outputTree() {
  const workspaceRoot = tempDir();
  const packageRoot = path.join(workspaceRoot, 'packages', 'lib');
  const outDir = path.join(packageRoot, 'dist');
  const files: Record<string, string> = {
    'index.js': 'export {};\n',
    'index.d.ts': 'export {};\n',
    'chunks/deep/a.js': 'a'.repeat(70_000), // more than one read chunk
    '.hidden/b.css': 'b{}',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outDir, rel), text);
  }
  fs.writeFileSync(path.join(outDir, OWNERSHIP_MARKER), 'ours\n');
  fs.symlinkSync('index.js', path.join(outDir, 'alias.js'));
  return { workspaceRoot, packageRoot, outDir, files };
}

describe('collectArtifacts', () => {
  it('lists every regular file under outDir, dot folders included, with its size and sha256, sorted; not the marker, not links', async () => {
    const { workspaceRoot, packageRoot, outDir, files } = outputTree();

    const artifacts = await collectArtifacts({ workspaceRoot, packageRoot, outDir, globs: [], kinds: new Map() });

    const expected = Object.entries(files)
      .map(([rel, text]) => ({ path: `packages/lib/dist/${rel}`, size: Buffer.byteLength(text), sha256: sha(text) }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(artifacts.map(({ path: p, size, sha256 }) => ({ path: p, size, sha256 }))).toEqual(expected);
    expect(Object.fromEntries(artifacts.map((a) => [a.path.replace('packages/lib/dist/', ''), a.kind]))).toEqual({
      '.hidden/b.css': 'style',
      'chunks/deep/a.js': 'chunk',
      'index.d.ts': 'types',
      'index.js': 'chunk',
    });
  });

  it('lists only what the artifacts globs match, relative to the package', async () => {
    const { workspaceRoot, packageRoot, outDir } = outputTree();

    const artifacts = await collectArtifacts({ workspaceRoot, packageRoot, outDir, globs: ['dist/*.js'], kinds: new Map() });

    expect(artifacts.map((a) => a.path)).toEqual(['packages/lib/dist/index.js']);
  });

  it('finds nothing in an outDir that does not exist', async () => {
    const workspaceRoot = tempDir();

    const artifacts = await collectArtifacts({ workspaceRoot, packageRoot: workspaceRoot, outDir: path.join(workspaceRoot, 'dist'), globs: [], kinds: new Map() });

    expect(artifacts).toEqual([]);
  });
});
