import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace } from '../helpers/fixture-library';
import { buildPackage, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

function sleeping(seconds: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((l) => l.trim().endsWith(`sleep ${seconds}`) && !l.trim().startsWith('Z'));
}

describe('runBuild: a builder has a time limit (buildTimeoutMs)', () => {
  it('stops a custom command that hangs, with everything it started, and fails with BS_BUILD_TIMEOUT', async () => {
    const s = 1000 + Math.floor(Math.random() * 8000);
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'custom', buildTimeoutMs: 500, builderOptions: { command: 'sleep ${s}' } }`);

    const t0 = performance.now();
    const result = await buildPackage(ws, { project: 'greet' });

    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILD_TIMEOUT', message: expect.stringContaining('did not finish within 500 ms') })]);
    expect(sleeping(s)).toEqual([]);
  });

  it('stops one that ignores SIGTERM too', async () => {
    const s = 1000 + Math.floor(Math.random() * 8000);
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'custom', buildTimeoutMs: 300, builderOptions: { command: "trap '' TERM; sleep ${s}" } }`);

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors.map((e) => e.code)).toEqual(['BS_BUILD_TIMEOUT']);
    expect(sleeping(s)).toEqual([]);
  });

  it('gives up on an in-process build module that never settles', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'custom', buildTimeoutMs: 300, builderOptions: { module: 'scripts/never.ts' } }", {
      files: { 'scripts/never.ts': 'export default function build() { return new Promise(() => {}); }\n' },
    });

    const t0 = performance.now();
    const result = await buildPackage(ws, { project: 'greet' });

    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(result.errors.map((e) => e.code)).toEqual(['BS_BUILD_TIMEOUT']);
  });
});
