import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leaveNoChildren } from '../../../src/nx/executors/build/lib/leave-no-children';

// Children of this test process, alive or exited but not yet reaped (Linux only).
function children(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      return readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

describe.runIf(process.platform === 'linux')('leaveNoChildren', () => {
  it('stops the esbuild service and returns once it is reaped, so Nx finds no process left to wait for', async () => {
    const esbuild = require('esbuild') as typeof import('esbuild');
    const before = new Set(children());
    await esbuild.transform('export const a: number = 1', { loader: 'ts' });
    const service = children().filter((pid) => !before.has(pid));
    expect(service.length).toBe(1);

    await leaveNoChildren();

    expect(children()).not.toContain(service[0]);
    // esbuild starts a new service on the next call: stopping it breaks nothing for later builds.
    expect((await esbuild.transform('export const b = 2', {})).code).toContain('b = 2');
  });
});
