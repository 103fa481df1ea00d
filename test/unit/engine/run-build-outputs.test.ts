import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import {
  buildPackage,
  configSource,
  createWorkspace,
  snapshotTree,
  useTempDirs,
  writeFiles,
  type TestWorkspace,
} from '../helpers/workspace';

const tempDir = useTempDirs();

describe('runBuild: replacing outputs', () => {
  it('drops files of an earlier build that the new build does not write', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    writeFiles(ws.pkg, {
      'src/main.ts': 'export const main = () => 1;\n',
      'build.config.ts': configSource("{ entry: { main: 'src/main.ts' } }"),
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(fs.readdirSync(path.join(ws.pkg, 'dist')).sort()).toEqual([OWNERSHIP_MARKER, 'main.js']);
    expect(result.artifacts.map((a) => a.path)).toEqual(['packages/lib/dist/main.js']);
  });

  it('drops files put by hand into an outDir it wrote before', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    writeFiles(ws.pkg, { 'dist/leftover.txt': 'stale', 'dist/old/chunk.js': 'stale' });

    await buildPackage(ws);

    expect(fs.readdirSync(path.join(ws.pkg, 'dist')).sort()).toEqual([OWNERSHIP_MARKER, 'index.js']);
  });

  it('refuses to replace a non-empty outDir it did not create, and touches nothing', async () => {
    const ws = createWorkspace(tempDir);
    writeFiles(ws.pkg, { 'dist/keep.txt': 'not ours' });
    const before = snapshotTree(ws.pkg, ['.build-system']);

    const result = await buildPackage(ws, { clean: true });

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_UNSAFE_PATH', phase: 'io' })]);
    expect(result.errors[0].message).toContain('did not write');
    expect(snapshotTree(ws.pkg, ['.build-system'])).toEqual(before);
  });

  it('replaces a foreign outDir when forced', async () => {
    const ws = createWorkspace(tempDir);
    writeFiles(ws.pkg, { 'dist/keep.txt': 'not ours' });

    const result = await buildPackage(ws, { force: true });

    expect(result.status).toBe('success');
    expect(fs.readdirSync(path.join(ws.pkg, 'dist')).sort()).toEqual([OWNERSHIP_MARKER, 'index.js']);
  });

  it('with clean: true, removes the old outputs before the pre hooks and the builder run', async () => {
    const distIsGone = 'node -e "process.exit(require(\'fs\').existsSync(\'dist\') ? 1 : 0)"';
    const ws = createWorkspace(tempDir, { config: `{ hooks: { pre: [${JSON.stringify(distIsGone)}] } }` });
    writeFiles(ws.pkg, { 'dist/index.js': 'old', [`dist/${OWNERSHIP_MARKER}`]: '' });

    const result = await buildPackage(ws, { clean: true });

    expect(result.status).toBe('success');
    expect(result.hooks).toEqual([expect.objectContaining({ exitCode: 0 })]);
  });

  it('without clean, keeps the old outputs while the pre hooks run', async () => {
    const distIsGone = 'node -e "process.exit(require(\'fs\').existsSync(\'dist\') ? 1 : 0)"';
    const ws = createWorkspace(tempDir, { config: `{ hooks: { pre: [${JSON.stringify(distIsGone)}] } }` });
    writeFiles(ws.pkg, { 'dist/index.js': 'old', [`dist/${OWNERSHIP_MARKER}`]: '' });

    const result = await buildPackage(ws);

    expect(result.errors.map((e) => e.code)).toEqual(['BS_HOOK_FAILED']);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toBe('old');
  });

  it('with clean: true, also removes clean.paths and TypeScript build info', async () => {
    const ws = createWorkspace(tempDir, { config: "{ clean: { paths: ['.cache'] } }" });
    writeFiles(ws.pkg, { '.cache/state.json': '{}', 'tsconfig.tsbuildinfo': '{}' });

    await buildPackage(ws, { clean: true });

    expect(fs.existsSync(path.join(ws.pkg, '.cache'))).toBe(false);
    expect(fs.existsSync(path.join(ws.pkg, 'tsconfig.tsbuildinfo'))).toBe(false);
  });

  it('with clean: true and a failing build, leaves no old outputs that look current', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    writeFiles(ws.pkg, { 'src/index.ts': 'export const x = ;\n' });

    const result = await buildPackage(ws, { clean: true });

    expect(result.status).toBe('failure');
    expect(fs.existsSync(path.join(ws.pkg, 'dist'))).toBe(false);
  });
});

describe('runBuild: unsafe outDir', () => {
  /** Canary files everywhere a bad outDir could reach; none may change. */
  function plantCanaries(ws: TestWorkspace): void {
    writeFiles(ws.root, { 'canary.txt': 'workspace root', 'shared/canary.txt': 'shared' });
    writeFiles(ws.pkg, { 'canary.txt': 'package root', 'src/canary.txt': 'sources' });
  }

  const RESULT_DIR = 'packages/lib/.build-system';

  const cases: Array<{ name: string; outDir: string; clean: boolean; setup?: (ws: TestWorkspace) => void }> = [
    { name: 'an empty outDir (the package root)', outDir: '', clean: true },
    { name: 'outDir . (the package root)', outDir: '.', clean: true },
    { name: 'outDir .. (the folder holding the package)', outDir: '..', clean: true },
    // Never with clean: if the guard ever regressed, this would delete the real filesystem root.
    { name: 'outDir / (the filesystem root)', outDir: '/', clean: false },
    { name: 'outDir src (which holds the entry)', outDir: 'src', clean: true },
    {
      name: 'an outDir symlinked to a workspace folder outside the package',
      outDir: 'dist',
      clean: true,
      setup: (ws) => fs.symlinkSync(path.join(ws.root, 'shared'), path.join(ws.pkg, 'dist'), 'dir'),
    },
  ];

  it.each(cases)('refuses $name with BS_UNSAFE_PATH and deletes nothing', async ({ outDir, clean, setup }) => {
    const ws = createWorkspace(tempDir, { config: `{ outDir: ${JSON.stringify(outDir)} }` });
    plantCanaries(ws);
    setup?.(ws);
    const before = snapshotTree(ws.root, [RESULT_DIR]);

    const result = await buildPackage(ws, { clean });

    expect(result.status).toBe('failure');
    expect(result.errors.map((e) => e.code)).toEqual(['BS_UNSAFE_PATH']);
    expect(snapshotTree(ws.root, [RESULT_DIR])).toEqual(before);
  });

  it('refuses a symlinked outDir that points outside the workspace and keeps the target intact', async () => {
    const outside = tempDir('bs-outside-');
    writeFiles(outside, { 'canary.txt': 'outside' });
    const ws = createWorkspace(tempDir);
    fs.symlinkSync(outside, path.join(ws.pkg, 'dist'), 'dir');

    const result = await buildPackage(ws, { clean: true });

    expect(result.errors.map((e) => e.code)).toEqual(['BS_UNSAFE_PATH']);
    expect(fs.readdirSync(outside)).toEqual(['canary.txt']);
    expect(fs.readlinkSync(path.join(ws.pkg, 'dist'))).toBe(outside);
  });

  it('refuses an outDir that holds a file the config imports', async () => {
    const ws = createWorkspace(tempDir, {
      files: {
        'build.config.ts': "import { preset } from './build/preset';\nexport default { ...preset, outDir: 'build' };\n",
        'build/preset.ts': "export const preset = { formats: ['esm' as const] };\n",
      },
    });

    const result = await buildPackage(ws);

    expect(result.errors.map((e) => e.code)).toEqual(['BS_UNSAFE_PATH']);
    expect(fs.readFileSync(path.join(ws.pkg, 'build/preset.ts'), 'utf8')).toContain('export const preset');
  });

  it('refuses an outDir that contains another project of the workspace', async () => {
    const ws = createWorkspace(tempDir, { config: "{ outDir: 'examples' }" });
    writeFiles(ws.pkg, { 'examples/demo/index.ts': 'export {};\n' });

    const result = await buildPackage(ws, { clean: true, projectRoots: ['packages/lib/examples/demo'] });

    expect(result.errors.map((e) => e.code)).toEqual(['BS_UNSAFE_PATH']);
    expect(fs.existsSync(path.join(ws.pkg, 'examples/demo/index.ts'))).toBe(true);
  });

  it('refuses a clean path outside the package before deleting anything', async () => {
    const ws = createWorkspace(tempDir, { config: "{ clean: { paths: ['.cache', '../../shared'] } }" });
    writeFiles(ws.root, { 'shared/canary.txt': 'shared' });
    writeFiles(ws.pkg, { '.cache/state.json': '{}', 'dist/index.js': 'old', [`dist/${OWNERSHIP_MARKER}`]: '' });
    const before = snapshotTree(ws.root, ['packages/lib/.build-system']);

    const result = await buildPackage(ws, { clean: true });

    expect(result.errors.map((e) => e.code)).toEqual(['BS_UNSAFE_PATH']);
    expect(snapshotTree(ws.root, ['packages/lib/.build-system'])).toEqual(before);
  });
});
