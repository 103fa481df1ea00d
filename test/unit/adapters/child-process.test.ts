import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../../src/adapters/child-process';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

/** Live processes whose command line is exactly `command` (zombies excluded). */
function running(command: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\S+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m && m[3] === command && !m[2].startsWith('Z'))
    .map((m) => Number(m[1]));
}

/** A sleep whose command line is unique to this test, to find its leftovers by. */
function marker(): string {
  return String(1000 + Math.floor(Math.random() * 8000));
}

const base = () => ({ cwd: tempDir(), env: process.env, signal: new AbortController().signal, shell: true });

describe('runProcess: the child-process policy', () => {
  it('decides on exit: a background process holding stdout does not keep it waiting, and is stopped', async () => {
    const m = marker();
    const t0 = performance.now();
    const outcome = await runProcess({ ...base(), command: `echo started; sleep ${m} & exit 0` });
    expect(performance.now() - t0).toBeLessThan(8000);
    expect(outcome).toMatchObject({ exitCode: 0, stoppedLeftovers: true, timedOut: false, cancelled: false });
    expect(outcome.stdout).toContain('started');
    expect(running(`sleep ${m}`)).toEqual([]);
  });

  it('gives leftovers a moment to finish before stopping them', async () => {
    const dir = tempDir();
    const outcome = await runProcess({ ...base(), cwd: dir, command: `(sleep 0.2; echo done > late.txt) & exit 0` });
    expect(outcome.stoppedLeftovers).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'late.txt'), 'utf8').trim()).toBe('done');
  });

  it('times out a tree that ignores SIGTERM: SIGKILL after the grace, nothing left', async () => {
    const m = marker();
    const t0 = performance.now();
    const outcome = await runProcess({ ...base(), command: `trap '' TERM; sleep ${m}; echo never`, timeoutMs: 300 });
    const took = performance.now() - t0;
    expect(outcome.timedOut).toBe(true);
    expect(outcome.stdout).not.toContain('never');
    expect(took).toBeLessThan(15_000);
    expect(running(`sleep ${m}`)).toEqual([]);
  });

  it('on abort (Ctrl+C, a CI cancel) kills grandchildren that ignore SIGTERM even when the child exits at once', async () => {
    const m = marker();
    const abort = new AbortController();
    // The child dies on TERM; its grandchild ignores TERM and holds no pipe of ours.
    const run = runProcess({ ...base(), signal: abort.signal, command: `(trap '' TERM; sleep ${m}) >/dev/null 2>&1 & sleep 30` });
    await new Promise((r) => setTimeout(r, 300));
    expect(running(`sleep ${m}`)).toHaveLength(1);
    abort.abort();
    const outcome = await run;
    expect(outcome.cancelled).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(running(`sleep ${m}`)).toEqual([]);
  });

  it('on abort after the child exited, kills what it left at once (no grace: a SIGKILL of this process may follow)', async () => {
    const m = marker();
    const abort = new AbortController();
    const run = runProcess({ ...base(), signal: abort.signal, command: `(trap '' TERM; exec sleep ${m}) & exit 0` });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    abort.abort();
    const outcome = await run;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(outcome.cancelled).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(running(`sleep ${m}`)).toEqual([]);
  });

  it('reports a command that cannot start', async () => {
    const outcome = await runProcess({ ...base(), shell: false, command: path.join(tempDir(), 'missing-binary') });
    expect(outcome.spawnError).toBeDefined();
    expect(outcome.exitCode).toBeNull();
  });
});
