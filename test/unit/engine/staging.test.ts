import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { commitStaging, createStaging, discardStaging, sweepStaleStaging } from '../../../src/engine/staging';
import { useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid;
}

describe('staging', () => {
  let packageRoot: string;
  let outDir: string;

  beforeEach(() => {
    packageRoot = tempDir('bs-staging-');
    outDir = path.join(packageRoot, 'dist');
  });

  it('creates the staging folder beside outDir, named for this process', async () => {
    const staging = await createStaging(outDir);
    expect(path.dirname(staging.dir)).toBe(packageRoot);
    expect(path.basename(staging.dir)).toMatch(new RegExp(`^\\.dist\\.staging-${process.pid}-[0-9a-f]+$`));
    expect(fs.statSync(staging.dir).isDirectory()).toBe(true);
  });

  it('commit replaces the previous outDir with exactly the staged files', async () => {
    writeFiles(outDir, { 'old.js': 'old', 'nested/old.js': 'old' });
    const staging = await createStaging(outDir);
    writeFiles(staging.dir, { 'index.js': 'new' });

    await commitStaging(staging);

    expect(fs.readdirSync(outDir)).toEqual(['index.js']);
    expect(fs.readFileSync(path.join(outDir, 'index.js'), 'utf8')).toBe('new');
  });

  it('commit leaves no staging or retired folders behind', async () => {
    writeFiles(outDir, { 'old.js': 'old' });
    const staging = await createStaging(outDir);
    writeFiles(staging.dir, { 'index.js': 'new' });

    await commitStaging(staging);

    expect(fs.readdirSync(packageRoot)).toEqual(['dist']);
  });

  it('commit creates outDir when there was none', async () => {
    const staging = await createStaging(outDir);
    writeFiles(staging.dir, { 'index.js': 'new' });

    await commitStaging(staging);

    expect(fs.readdirSync(outDir)).toEqual(['index.js']);
  });

  it('discard removes the staging folder and leaves outDir as it was', async () => {
    writeFiles(outDir, { 'index.js': 'old' });
    const staging = await createStaging(outDir);
    writeFiles(staging.dir, { 'index.js': 'half-written' });

    await discardStaging(staging);

    expect(fs.readdirSync(packageRoot)).toEqual(['dist']);
    expect(fs.readFileSync(path.join(outDir, 'index.js'), 'utf8')).toBe('old');
  });

  it('sweep removes staging and retired folders left by a process that is gone', async () => {
    const pid = deadPid();
    writeFiles(packageRoot, {
      [`.dist.staging-${pid}-0a1b2c3d/index.js`]: 'partial',
      [`.dist.old-${pid}-0a1b2c3d/index.js`]: 'retired',
    });

    await sweepStaleStaging(outDir);

    expect(fs.readdirSync(packageRoot)).toEqual([]);
  });

  it('sweep keeps the staging folder of a process that is still running', async () => {
    writeFiles(packageRoot, { [`.dist.staging-${process.pid}-0a1b2c3d/index.js`]: 'in progress' });

    await sweepStaleStaging(outDir);

    expect(fs.readdirSync(packageRoot)).toEqual([`.dist.staging-${process.pid}-0a1b2c3d`]);
  });

  it('sweep leaves folders that belong to another outDir or to nobody', async () => {
    const pid = deadPid();
    writeFiles(packageRoot, {
      [`.lib.staging-${pid}-0a1b2c3d/index.js`]: 'other outDir',
      '.dist-cache/state.json': '{}',
      'dist/index.js': 'current',
    });

    await sweepStaleStaging(outDir);

    expect(fs.readdirSync(packageRoot).sort()).toEqual(['.dist-cache', `.lib.staging-${pid}-0a1b2c3d`, 'dist']);
  });

  it('creating a new staging folder sweeps the leftovers of a dead build first', async () => {
    const pid = deadPid();
    writeFiles(packageRoot, { [`.dist.staging-${pid}-0a1b2c3d/index.js`]: 'partial' });

    const staging = await createStaging(outDir);

    expect(fs.readdirSync(packageRoot)).toEqual([path.basename(staging.dir)]);
  });
});

describe('runBuild after a build killed between the two renames of the swap', () => {
  it('restores the previous outputs before anything else, even when the next build fails', async () => {
    const { createWorkspace, buildPackage, readBuildLog } = await import('../helpers/workspace');
    const ws = createWorkspace(tempDir);
    expect((await buildPackage(ws)).status).toBe('success');
    const dist = path.join(ws.pkg, 'dist');
    const before = fs.readFileSync(path.join(dist, 'index.js'));
    // The killed build had moved outDir aside and not yet moved its staging folder in.
    const pid = deadPid();
    fs.renameSync(dist, path.join(ws.pkg, `.dist.old-${pid}-0a1b2c3d`));
    fs.mkdirSync(path.join(ws.pkg, `.dist.staging-${pid}-0a1b2c3d`));
    fs.writeFileSync(path.join(ws.pkg, 'src/index.ts'), 'export const broken: number = ;\n');

    const failed = await buildPackage(ws);

    expect(failed.status).toBe('failure');
    expect(fs.readFileSync(path.join(dist, 'index.js'))).toEqual(before);
    expect(readBuildLog(ws)).toContain(`Restored the previous outputs of ${ws.pkgRel}/dist from .dist.old-${pid}-0a1b2c3d`);
    expect(fs.readdirSync(ws.pkg).filter((n) => n.startsWith('.dist.'))).toEqual([]);
  });

  it('leaves a retired folder alone while outDir exists (the kill came after the second rename)', async () => {
    const { restoreInterruptedSwap } = await import('../../../src/engine/staging');
    const root = tempDir();
    writeFiles(root, { 'dist/index.js': 'new', [`.dist.old-${deadPid()}-0a1b2c3d/index.js`]: 'old' });
    expect(await restoreInterruptedSwap(path.join(root, 'dist'))).toBeUndefined();
    expect(fs.readFileSync(path.join(root, 'dist/index.js'), 'utf8')).toBe('new');
  });
});
