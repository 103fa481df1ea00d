import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunSummary } from '../../../src/nx/run-summary';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

function oldSuccess(root: string, inputHash: string): void {
  const dir = path.join(root, 'packages/a/.build-system');
  fs.mkdirSync(dir, { recursive: true });
  const result = { status: 'success', inputHash, endTime: new Date(Date.now() - 3_600_000).toISOString(), artifacts: [{ path: 'packages/a/dist/index.js', size: 1, sha256: 'x', kind: 'entry' }] };
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result));
}

function context(root: string, status: string, hash: string) {
  const now = Date.now();
  const task = { id: 'a:build', target: { project: 'a', target: 'build' }, projectRoot: 'packages/a', outputs: ['{projectRoot}/.build-system/result.json'], hash, startTime: now - 500, endTime: now };
  return { id: 'run-1234567890', workspaceRoot: root, nxJsonConfiguration: {}, argv: ['node', 'nx', 'build', 'a'], startTime: now - 1000, endTime: now, taskResults: { 'a:build': { task, status, code: status === 'success' ? 0 : 1 } } } as never;
}

describe('run summary: a result left by an earlier build is not this task’s', () => {
  it('reports no buildStatus or artifacts for a failed task whose result.json still says success (same inputs)', async () => {
    const root = tempDir();
    oldSuccess(root, 'h1');
    const file = await writeRunSummary(context(root, 'failure', 'h1'));
    const summary = JSON.parse(fs.readFileSync(file!, 'utf8'));
    expect(summary.tasks[0]).toMatchObject({ taskId: 'a:build', status: 'failure', artifacts: [] });
    expect(summary.tasks[0].buildStatus).toBeUndefined();
  });

  it('ignores a result written for other inputs', async () => {
    const root = tempDir();
    oldSuccess(root, 'old-hash');
    const file = await writeRunSummary(context(root, 'success', 'new-hash'));
    const summary = JSON.parse(fs.readFileSync(file!, 'utf8'));
    expect(summary.tasks[0].buildStatus).toBeUndefined();
  });

  it('uses the result written for this task', async () => {
    const root = tempDir();
    oldSuccess(root, 'h2');
    const file = await writeRunSummary(context(root, 'success', 'h2'));
    const summary = JSON.parse(fs.readFileSync(file!, 'utf8'));
    expect(summary.tasks[0]).toMatchObject({ buildStatus: 'success', artifacts: [expect.objectContaining({ path: 'packages/a/dist/index.js' })] });
  });
});

describe('run summary: a result restored from the cache', () => {
  it('is the task’s own, even without an input hash and written long before the task started', async () => {
    const root = tempDir();
    oldSuccess(root, '');
    const file = await writeRunSummary(context(root, 'local-cache', 'h3'));
    const summary = JSON.parse(fs.readFileSync(file!, 'utf8'));
    expect(summary.tasks[0]).toMatchObject({ buildStatus: 'success', cacheHit: true });
    expect(summary.tasks[0].integrity.ok).toBe(false);
  });
});
