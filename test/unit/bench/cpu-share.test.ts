import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// bench/lib/cpu-share.mjs: the CPU the benchmark's rounds leave to other processes.
describe.runIf(process.platform === 'linux')('cpuShareMeter', () => {
  const busyFor = (ms: number, marker: string) => {
    // A detached busy loop, as an Nx daemon is detached from the command that started it.
    const child = spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {} // ${marker}`], { detached: true, stdio: 'ignore' });
    return new Promise<void>((resolve) => child.on('exit', () => resolve()));
  };

  it("counts a busy process carrying the marker as the benchmark's CPU, and one without it as another process's", async () => {
    const { cpuShareMeter } = await import('../../../bench/lib/cpu-share.mjs');
    const meter = cpuShareMeter(['bs-bench-marker-mine']);
    // Ticks are what the meter attributes to the benchmark; whatever else the machine does is not in them.
    const benchTicksDuring = async (marker: string) => {
      const start = meter.snapshot()!;
      const done = busyFor(1500, marker);
      await new Promise((r) => setTimeout(r, 1200));
      const end = meter.snapshot()!;
      await done;
      return end.bench - start.bench;
    };

    const someoneElses = await benchTicksDuring('someone-else');
    const ours = await benchTicksDuring('bs-bench-marker-mine');

    // The marked loop ran ~1.2 s before the second snapshot: at least a fifth of it even on a busy machine.
    expect(ours).toBeGreaterThan(someoneElses + 25);
    expect(someoneElses).toBeLessThan(15);
    expect(meter.otherCoresSince(meter.snapshot())).toBeGreaterThanOrEqual(0);
  });
});
