// How much CPU went to processes that are not this benchmark's, between two snapshots.
//
// The load average counts the benchmark's own processes too (nx, its plugin workers and batch
// process, esbuild), so on 2 cores a benchmark alone pushes the 1-minute load past 2. What makes
// ratios drift is CPU taken by something else. That is summed directly, per process, from
// /proc/<pid>/stat at each snapshot (taken between runs): every process that is not the benchmark,
// one of its processes (a marker, its install folder, in the command line) or an exited orphan.
// Not "machine busy time minus the benchmark's": Nx's plugin workers outlive the nx command that
// started them, and their CPU then goes to pid 1 when it reaps them, so it is never the
// benchmark's on paper. Linux only; elsewhere it measures nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim();
  return Number(out) > 0 ? Number(out) : 100;
})();

/** `markers`: strings in the command lines of the benchmark's processes (its install and workspace folders). */
export function cpuShareMeter(markers) {
  const available = safeRead('/proc/self/stat') !== undefined;
  return {
    /** CPU ticks per other process (pid and start time), or undefined where not measurable. */
    snapshot() {
      return available ? { at: performance.now(), others: otherProcesses(markers) } : undefined;
    },
    /** Cores used by other processes on average since `start`, or undefined where not measurable. */
    otherCoresSince(start) {
      const end = this.snapshot();
      if (!start || !end) return undefined;
      const seconds = (end.at - start.at) / 1000;
      if (seconds <= 0) return undefined;
      let ticks = 0;
      // A process alive at both snapshots counts its growth; one started since, all it used.
      for (const [id, now] of end.others) ticks += now - (start.others.get(id) ?? 0);
      return Math.max(0, Math.round((ticks / TICKS_PER_S / seconds) * 100) / 100);
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

function otherProcesses(markers) {
  const others = new Map();
  const ours = new Set([String(process.pid), String(process.ppid)]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || ours.has(pid)) continue;
    const stat = safeRead(`/proc/${pid}/stat`);
    if (!stat) continue;
    // Fields after the command name: state ppid … utime stime cutime cstime (12th-15th) … starttime (20th).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [state, ppid] = [f[0], f[1]];
    // An exited orphan has no command line left to tell whose it was: most likely ours (a plugin worker).
    if (state === 'Z') continue;
    if (markers.some((m) => safeRead(`/proc/${pid}/cmdline`)?.includes(m))) continue;
    const own = Number(f[11]) + Number(f[12]);
    // pid 1 reaps orphans, ours included: its children's time is theirs, not its own.
    const children = pid === '1' || ppid === String(process.pid) ? 0 : Number(f[13]) + Number(f[14]);
    others.set(`${pid}:${f[19]}`, own + children);
  }
  return others;
}
