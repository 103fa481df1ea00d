import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../../src/engine/progress';
import { createLibraryWorkspace, REPO } from '../helpers/fixture-library';
import { buildPackage, readBuildLog, readResultFile, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder(tty: boolean, quietMs = 40) {
  const writes: string[] = [];
  const progress = startProgress({ project: '@scope/pkg', write: (t) => writes.push(t), tty, quietMs });
  return { writes, progress };
}

describe('progress during a quiet phase', () => {
  it('prints a plain "still running" line each quiet period when the output is not a terminal', async () => {
    const { writes, progress } = recorder(false);
    progress.phase('dts (tsc)');
    await sleep(150);
    progress.stop();

    expect(writes.length).toBeGreaterThanOrEqual(2);
    for (const w of writes) expect(w).toMatch(/^… @scope\/pkg: dts \(tsc\) still running, \d+ s\n$/);
  });

  it('prints nothing while the phase keeps printing its own output', async () => {
    const { writes, progress } = recorder(false);
    progress.phase('build (esbuild)');
    for (let i = 0; i < 10; i++) {
      await sleep(10);
      progress.beforeOutput();
    }
    progress.stop();

    expect(writes).toEqual([]);
  });

  it('prints nothing after stop', async () => {
    const { writes, progress } = recorder(false);
    progress.phase('dts (tsc)');
    progress.stop();
    await sleep(100);

    expect(writes).toEqual([]);
  });

  it('rewrites one elapsed-time line in place in a terminal, and clears it before other output and at the end', async () => {
    const { writes, progress } = recorder(true);
    progress.phase('dts (tsc)');
    await sleep(80);
    progress.beforeOutput();
    progress.phase('post hooks');
    await sleep(80);
    progress.stop();

    expect(writes[0]).toBe('\r\x1b[2K… @scope/pkg: dts (tsc) running, 0 s');
    expect(writes[1]).toBe('\r\x1b[2K');
    expect(writes[2]).toBe('\r\x1b[2K… @scope/pkg: post hooks running, 0 s');
    expect(writes[writes.length - 1]).toBe('\r\x1b[2K');
    expect(writes.join('')).not.toContain('\n');
  });
});

describe('progress in a build', () => {
  const slow = (extra = '') => `{ builder: 'custom', builderOptions: { command: 'sleep 0.4 && cp src/index.ts "$BUILD_SYSTEM_OUT_DIR/index.js"${extra}' } }`;

  it('goes to the terminal stream only: not to build.log, not to result.json', async () => {
    const ws = createLibraryWorkspace(tempDir, slow());
    let terminal = '';

    const result = await buildPackage(ws, { project: 'greet', onLog: (t) => (terminal += t), progress: { tty: false, quietMs: 100 } });

    expect(result.status).toBe('success');
    expect(terminal).toMatch(/^… greet: build \(custom\) still running, 0 s$/m);
    expect(readBuildLog(ws)).not.toContain('still running');
    expect(JSON.stringify(readResultFile(ws))).not.toContain('still running');
  });

  it('names the declarations phase of a bundled build', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'esbuild', dts: true }");
    let terminal = '';

    const result = await buildPackage(ws, { project: 'greet', onLog: (t) => (terminal += t), progress: { tty: false, quietMs: 50 } });

    expect(result.status).toBe('success');
    expect(terminal).toMatch(/^… greet: dts \(tsc\) still running, \d+ s$/m);
  });

  // A leaked timer keeps Node alive (runs dist/: `node scripts/build.mjs` first): each run must end on its own, with no process.exit().
  it.each([
    ['a successful build', slow(), 'success', false],
    ['a failed build', slow(' && exit 3'), 'failure', false],
    ['a failed build in a terminal', slow(' && exit 3'), 'failure', true],
  ])('lets the process exit after %s', (_name, config, status, tty) => {
    const ws = createLibraryWorkspace(tempDir, config);
    const script = `
      const { runBuild } = require(${JSON.stringify(path.join(REPO, 'dist/engine/run-build.js'))});
      runBuild({ project: 'greet', workspaceRoot: ${JSON.stringify(ws.root)}, packageRoot: ${JSON.stringify(ws.pkg)},
        onLog: (t) => process.stdout.write(t), progress: { tty: ${tty}, quietMs: 100 } })
        .then((r) => process.stdout.write('status=' + r.status + '\\n'));`;

    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });

    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`status=${status}`);
    expect(run.stdout).toContain(tty ? 'greet: build (custom) running' : 'greet: build (custom) still running');
  });
});
