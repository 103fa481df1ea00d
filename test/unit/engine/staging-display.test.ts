import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBun } from '../../../src/adapters/bun/find-bun';
import type { BuildResult } from '../../../src/result/schema';
import { createLibraryWorkspace, REPO } from '../helpers/fixture-library';
import { buildPackage, readBuildLog, readResultFile, useTempDirs, type TestWorkspace } from '../helpers/workspace';

/** Builds write into a staging folder; everything people read names the configured outDir instead. */
const tempDir = useTempDirs();
const repoBun = await findBun({ workspaceRoot: REPO, packageRoot: REPO });

async function buildWithLog(ws: TestWorkspace): Promise<{ result: BuildResult; terminal: string }> {
  let terminal = '';
  const result = await buildPackage(ws, { project: 'greet', onLog: (text) => (terminal += text) });
  return { result, terminal };
}

function expectNoStagingName(ws: TestWorkspace, terminal: string): void {
  expect(terminal).not.toMatch(/\.staging-/);
  expect(readBuildLog(ws)).not.toMatch(/\.staging-/);
  expect(JSON.stringify(readResultFile(ws))).not.toMatch(/\.staging-/);
}

describe('output that names the staging folder shows outDir', () => {
  it('echoes a custom command and its output with outDir', async () => {
    const cmd = 'echo "writing to $BUILD_SYSTEM_OUT_DIR" && cp src/index.ts "$BUILD_SYSTEM_OUT_DIR/index.js"';
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'custom', builderOptions: { command: ${JSON.stringify(cmd)} } }`);

    const { result, terminal } = await buildWithLog(ws);

    expect(result.status).toBe('success');
    expect(terminal).toContain(`writing to ${path.join(ws.pkg, 'dist')}\n`);
    expectNoStagingName(ws, terminal);
  });

  it('reports an error message that names the staging folder with outDir', async () => {
    const cmd = 'echo "cannot write $BUILD_SYSTEM_OUT_DIR/index.js" >&2; exit 3';
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'custom', builderOptions: { command: ${JSON.stringify(cmd)} } }`);

    const { result, terminal } = await buildWithLog(ws);

    expect(result.status).toBe('failure');
    expect(result.errors[0].message).toContain(`cannot write ${path.join(ws.pkg, 'dist', 'index.js')}`);
    expectNoStagingName(ws, terminal);
  });

  it('prints the tsc output folder as outDir', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'tsc' }");

    const { result, terminal } = await buildWithLog(ws);

    expect(result.status).toBe('success');
    expect(terminal).toMatch(new RegExp(`: esm → ${ws.pkgRel}/dist\\n`));
    expectNoStagingName(ws, terminal);
  });

  it.skipIf(!repoBun.bun)('echoes the bun build command with --outdir set to outDir', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'bun', dts: true }");

    const { result, terminal } = await buildWithLog(ws);

    expect(result.status).toBe('success');
    expect(terminal).toContain(`--outdir=${path.join(ws.pkg, 'dist')} `);
    expectNoStagingName(ws, terminal);
  });
});
