import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// bench/lib/cpu-share.mjs: the CPU the benchmark's rounds leave to other processes.
describe.runIf(process.platform === 'linux')('cpuShareMeter', () => {
  const busyFor = (ms: number, marker: string) => {
    // A detached busy loop, as an Nx daemon is detached from the command that started it.
    const child = spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {} // ${marker}`], { detached: true, stdio: 'ignore' });
    return { pid: child.pid!, exited: new Promise<void>((resolve) => child.on('exit', () => resolve())) };
  };
  // The ticks the meter attributes to the process with this pid (another process), if it sees it.
  const ticksOf = (snapshot: { others: Map<string, number> }, pid: number) =>
    [...snapshot.others].find(([id]) => id.startsWith(`${pid}:`))?.[1];

  it("counts a busy process as another process's CPU, unless its command line carries the benchmark's marker", async () => {
    const { cpuShareMeter } = await import('../../../bench/lib/cpu-share.mjs');
    const meter = cpuShareMeter(['bs-bench-marker-mine']);
    const start = meter.snapshot()!;
    const theirs = busyFor(1500, 'someone-else');
    const mine = busyFor(1500, 'bs-bench-marker-mine');
    await new Promise((r) => setTimeout(r, 1200));
    const end = meter.snapshot()!;
    // While both still run: once reaped by this process, their CPU is this process's (as the bench's children are the bench's).
    const otherCores = meter.otherCoresSince(start);
    await Promise.all([theirs.exited, mine.exited]);

    // ~1.2 s of a busy loop: at least a fifth of it (clock ticks of 10 ms) even on a busy machine.
    expect(ticksOf(end, theirs.pid)).toBeGreaterThan(20);
    expect(ticksOf(end, mine.pid)).toBeUndefined();
    expect(otherCores).toBeGreaterThan(0.15);
  });
});
