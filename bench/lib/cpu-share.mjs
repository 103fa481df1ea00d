// How much CPU went to processes that are not this benchmark's, between two snapshots.
//
// The load average counts the benchmark's own processes too (nx, its plugin workers and batch
// process, esbuild), so on 2 cores a benchmark alone pushes the 1-minute load past 2. What makes
// ratios drift is CPU taken by something else: this is the machine's busy time (/proc/stat) minus
// the benchmark's (its own and its reaped children's, /proc/self/stat, plus the detached Nx daemons
// it started, found by a marker in their command line). Linux only; elsewhere it measures nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim();
  return Number(out) > 0 ? Number(out) : 100;
})();

/** `markers`: strings in the command lines of detached processes that are the benchmark's (its install dir). */
export function cpuShareMeter(markers) {
  const available = safeRead('/proc/stat') !== undefined;
  return {
    snapshot() {
      if (!available) return undefined;
      return { at: performance.now(), busy: machineBusyTicks(), bench: ownTicks() + detachedTicks(markers) };
    },
    /** Cores used by other processes on average since `start`, or undefined where not measurable. */
    otherCoresSince(start) {
      const end = this.snapshot();
      if (!start || !end) return undefined;
      const seconds = (end.at - start.at) / 1000;
      if (seconds <= 0) return undefined;
      const other = end.busy - start.busy - (end.bench - start.bench);
      return Math.max(0, Math.round((other / TICKS_PER_S / seconds) * 100) / 100);
    },
  };
}

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

// user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
function machineBusyTicks() {
  const cpu = safeRead('/proc/stat')?.split('\n')[0].trim().split(/\s+/).slice(1).map(Number) ?? [];
  return cpu.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
}

// Fields after the command name: utime stime cutime cstime are the 12th-15th.
function statTicks(stat) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) };
}

function ownTicks() {
  const stat = safeRead('/proc/self/stat');
  return stat ? statTicks(stat).ticks : 0;
}

// Nx daemons (and their plugin workers) outlive the command that started them and are never
// reaped by it. Snapshots are taken between runs, when nothing else of ours is alive, so every
// process carrying a marker then is one of these: counted with the children it has reaped.
function detachedTicks(markers) {
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmdline = safeRead(`/proc/${pid}/cmdline`);
    if (!cmdline || !markers.some((m) => cmdline.includes(m))) continue;
    const stat = safeRead(`/proc/${pid}/stat`);
    if (stat) sum += statTicks(stat).ticks;
  }
  return sum;
}
