import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTaskSucceeded } from '../../../src/result/task-outcome';
import { buildPackage, createWorkspace, snapshotTree, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

describe('publish to a directory', () => {
  it('copies every artifact to a folder outside the package, keeping its path relative to outDir', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ entry: { index: 'src/index.ts', 'cli/main': 'src/index.ts' }, sourcemap: true, publish: { to: 'dir:../../releases/lib' } }",
    });

    const result = await buildPackage(ws);

    const releases = path.join(ws.root, 'releases/lib');
    expect(result.publish).toMatchObject({ status: 'success', publisher: 'directory', target: 'dir:releases/lib', attempts: 1, published: 4 });
    expect([...snapshotTree(releases).keys()].sort()).toEqual(['cli/', 'cli/main.js', 'cli/main.js.map', 'index.js', 'index.js.map']);
    for (const a of result.artifacts) {
      const rel = path.relative(path.join(ws.pkg, 'dist'), path.join(ws.root, a.path));
      expect(fs.readFileSync(path.join(releases, rel))).toEqual(fs.readFileSync(path.join(ws.root, a.path)));
    }
  });

  it('never deletes: files already in the folder stay, same-named ones are replaced, and no temp file is left', async () => {
    const ws = createWorkspace(tempDir, { config: "{ publish: { to: 'dir:../../releases/lib' } }" });
    const releases = path.join(ws.root, 'releases/lib');
    writeFiles(releases, { 'index.js': 'old build', 'CHANGELOG.md': '# 0.9.0\n', 'old/index.js': 'older build' });

    const result = await buildPackage(ws);

    expect(result.publish?.status).toBe('success');
    expect(fs.readFileSync(path.join(releases, 'CHANGELOG.md'), 'utf8')).toBe('# 0.9.0\n');
    expect(fs.readFileSync(path.join(releases, 'old/index.js'), 'utf8')).toBe('older build');
    expect(fs.readFileSync(path.join(releases, 'index.js'))).toEqual(fs.readFileSync(path.join(ws.pkg, 'dist/index.js')));
    expect([...snapshotTree(releases).keys()].sort()).toEqual(['CHANGELOG.md', 'index.js', 'old/', 'old/index.js']);
  });

  it('fails the publish, not the build, when the folder cannot be written; the artifacts stay as built', async () => {
    const ws = createWorkspace(tempDir, { config: "{ publish: { to: 'dir:../../releases/lib' } }" });
    // A file where the folder should be: nothing can be written under it.
    writeFiles(ws.root, { releases: 'not a folder' });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.publish).toMatchObject({ status: 'failure', attempts: 1, published: 0, error: { code: 'BS_PUBLISH_FAILED' } });
    expect(buildTaskSucceeded(result)).toBe(false);
    expect(fs.readFileSync(path.join(ws.root, 'releases'), 'utf8')).toBe('not a folder');
    expect(fs.existsSync(path.join(ws.pkg, 'dist/index.js'))).toBe(true);
  });

  it.each([
    ['inside outDir', 'dir:dist/published'],
    ['the package folder', 'dir:.'],
    ['a folder holding the package', 'dir:..'],
  ])('refuses a target %s, writing nothing', async (_what, to) => {
    const ws = createWorkspace(tempDir, { config: `{ publish: { to: '${to}' } }` });
    const before = snapshotTree(ws.root, ['packages/lib/dist', 'packages/lib/.build-system']);

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.publish).toMatchObject({ status: 'failure', attempts: 1, published: 0 });
    expect(result.publish?.error?.hint).toContain('folder of its own');
    expect(snapshotTree(ws.root, ['packages/lib/dist', 'packages/lib/.build-system'])).toEqual(before);
  });
});
