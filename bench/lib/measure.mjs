// Timing one command, checking it really built, and summarizing the runs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** A failed or unverified run: the benchmark stops instead of reporting its time. */
export class BenchFailure extends Error {}

let current;

/** The child being timed, so Ctrl+C handling can end it. */
export function currentChild() {
  return current;
}

/**
 * Runs argv[0] with the rest as arguments; resolves { ms, code, output }. Output is kept for errors.
 * With `sampleRss`, also { rss }: peak resident memory per kind of process (see RssSampler); the
 * sampling reads /proc every 50 ms, so use it on runs that are not timed.
 */
export function timeCommand(argv, { cwd, env, sampleRss = false }) {
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = sampleRss ? new RssSampler(child.pid) : undefined;
    current = child;
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('error', (e) => {
      current = undefined;
      reject(e);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      current = undefined;
      const rss = sampler?.stop();
      resolvePromise({ ms, code: code ?? (signal ? 128 : 1), signal, output: Buffer.concat(chunks).toString('utf8'), ...(rss ? { rss } : {}) });
    });
  });
}

/**
 * Peak RSS (VmHWM, MiB) of a process tree on Linux, by kind: `main` (the nx CLI), `executor` (the
 * processes Nx forks to run executors: bin/run-executor.js, tasks-runner/fork.js, batch/run-batch.js), `worker` (plugin
 * workers, the daemon's included when it is a child) and `tool` (anything else: esbuild, tsc, sh).
 * Each is the largest single process of that kind. VmHWM only grows, so the last sample before a
 * process exits is its peak, up to what it allocated in its final 50 ms.
 */
class RssSampler {
  constructor(rootPid) {
    this.rootPid = rootPid;
    this.peaks = new Map(); // pid → { kind, mib }
    this.timer = process.platform === 'linux' ? setInterval(() => this.sample(), 50) : undefined;
    this.sample();
  }

  sample() {
    for (const pid of this.tree()) {
      const status = readProc(pid, 'status');
      const hwm = status && /VmHWM:\s+(\d+) kB/.exec(status);
      if (!hwm) continue;
      const mib = Number(hwm[1]) / 1024;
      const known = this.peaks.get(pid);
      if (known) {
        known.mib = Math.max(known.mib, mib);
        // A process first seen between fork and exec still shows its parent's command line.
        if (known.kind === 'tool') known.kind = this.kindOf(pid);
      } else this.peaks.set(pid, { kind: this.kindOf(pid), mib });
    }
  }

  /** The root and its descendants, from /proc/<pid>/task/<tid>/children. */
  tree() {
    const out = [];
    const queue = [this.rootPid];
    while (queue.length) {
      const pid = queue.shift();
      out.push(pid);
      let tids = [];
      try {
        tids = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const tid of tids) {
        const children = readProc(pid, `task/${tid}/children`);
        if (children) queue.push(...children.trim().split(/\s+/).filter(Boolean).map(Number));
      }
    }
    return out;
  }

  kindOf(pid) {
    if (pid === this.rootPid) return 'main';
    const cmd = (readProc(pid, 'cmdline') ?? '').split('\0').join(' ');
    if (/tasks-runner[\\/](fork|batch[\\/]run-batch)\.js|bin[\\/]run-executor\.js/.test(cmd)) return 'executor';
    if (/plugin-worker\.js|daemon[\\/]server[\\/]start\.js/.test(cmd)) return 'worker';
    return 'tool';
  }

  stop() {
    if (!this.timer) return undefined;
    clearInterval(this.timer);
    const byKind = { main: 0, executor: 0, worker: 0, tool: 0 };
    for (const { kind, mib } of this.peaks.values()) byKind[kind] = Math.max(byKind[kind], Math.round(mib));
    return byKind;
  }
}

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes what a build of these packages writes, so what is there afterwards came from the run. */
export function removeOutputs(workspaceRoot, packages) {
  for (const p of packages) {
    rmSync(join(workspaceRoot, 'packages', p, 'dist'), { recursive: true, force: true });
    rmSync(join(workspaceRoot, 'packages', p, '.build-system'), { recursive: true, force: true });
  }
}

/**
 * The bytes each variant's outputs must have: `referenceOf(key)` is a Map of workspace-relative
 * path → sha256, filled by the variant's first verified run. Outputs are deleted before every run,
 * so a file that exists afterwards was written or restored by it; its bytes are what is left to
 * check. (Not its mtime: Nx 24 restores cached files with the mtime they had when cached.)
 */
export function outputReferences() {
  const byKey = new Map();
  return (key) => {
    if (!byKey.has(key)) byKey.set(key, new Map());
    return byKey.get(key);
  };
}

/**
 * Checks `files` (workspace-relative): each must exist and, once `reference` knows it, have the
 * same sha256. Returns { problems, sums }; pass `sums` to recordReference when the run verified.
 */
export function checkOutputFiles(workspaceRoot, files, reference) {
  const problems = [];
  const sums = new Map();
  for (const rel of files) {
    const file = join(workspaceRoot, rel);
    if (!existsSync(file)) {
      problems.push(`${rel} missing`);
      continue;
    }
    const found = sha256Of(file);
    const expected = reference?.get(rel);
    if (expected && found !== expected) problems.push(`${rel} has sha256 ${short(found)}, expected ${short(expected)} (what this variant's first verified run left)`);
    sums.set(rel, found);
  }
  return { problems, sums };
}

/** The first verified run of a variant sets its reference; later runs only compare with it. */
export function recordReference(reference, sums) {
  if (!reference) return;
  for (const [rel, sha] of sums) if (!reference.has(rel)) reference.set(rel, sha);
}

/**
 * Checks a package's .build-system/result.json: status success, and every artifact it lists on
 * disk with the listed sha256 (after a cache hit, the result of the build that filled the cache).
 * Returns { result, problems }.
 */
export function checkResultJson(workspaceRoot, packageRoot) {
  const rel = `${packageRoot}/.build-system/result.json`;
  let result;
  try {
    result = JSON.parse(readFileSync(join(workspaceRoot, rel), 'utf8'));
  } catch (e) {
    return { problems: [`${rel} ${e.code === 'ENOENT' ? 'missing' : `unreadable (${e.message})`}`] };
  }
  const problems = result.status === 'success' ? [] : [`${rel} status is ${result.status}`];
  for (const a of result.artifacts ?? []) {
    const file = join(workspaceRoot, a.path);
    const found = existsSync(file) ? sha256Of(file) : undefined;
    if (found !== a.sha256) problems.push(`${a.path} ${found ? `has sha256 ${short(found)}` : 'is missing'}, ${rel} lists ${short(a.sha256)}`);
  }
  return { result, problems };
}

function sha256Of(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const short = (sha) => String(sha).slice(0, 12);

/**
 * Throws BenchFailure unless the command exited 0 and every package has its dist/index.js with the
 * bytes of `reference` (the variant's first verified run; see outputReferences) and, for the plugin,
 * a result.json that says success and matches every artifact on disk; with `declarations`, also its
 * dist/index.d.ts. Without `reference` (a build
 * of edited sources) the bytes are not compared.
 */
export function verifyBuilt(run, { label, workspaceRoot, packages, reference, checkResultJson: withResult, declarations = false }) {
  const problems = [];
  if (run.code !== 0) problems.push(`exit code ${run.code}${run.signal ? ` (${run.signal})` : ''}`);
  const sums = new Map();
  for (const p of packages) {
    const expected = [`packages/${p}/dist/index.js`, ...(declarations ? [`packages/${p}/dist/index.d.ts`] : [])];
    const files = checkOutputFiles(workspaceRoot, expected, reference);
    problems.push(...files.problems);
    for (const [rel, sha] of files.sums) sums.set(rel, sha);
    if (withResult) problems.push(...checkResultJson(workspaceRoot, `packages/${p}`).problems);
    if (problems.length > 5) break;
  }
  if (problems.length) {
    const tail = run.output.split('\n').slice(-40).join('\n');
    throw new BenchFailure(`${label} did not build: ${problems.join('; ')}\n--- last lines of its output ---\n${tail}`);
  }
  recordReference(reference, sums);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * One table row per variant: median, min and max in seconds, and the median over rounds of
 * (this variant's time / the baseline's time in the same round).
 */
export function summarize(scenario, baseline) {
  const rows = [];
  for (const variant of scenario.variants) {
    const times = scenario.runs.filter((r) => r.variant === variant.id).map((r) => r.ms);
    if (!times.length) continue;
    const ratios = [];
    for (const round of new Set(scenario.runs.map((r) => r.round))) {
      const mine = scenario.runs.find((r) => r.round === round && r.variant === variant.id);
      const base = scenario.runs.find((r) => r.round === round && r.variant === baseline);
      if (mine && base) ratios.push(mine.ms / base.ms);
    }
    rows.push({
      scenario: scenario.id,
      variant: variant.id,
      label: variant.label,
      runs: times.length,
      medianS: round2(median(times) / 1000),
      minS: round2(Math.min(...times) / 1000),
      maxS: round2(Math.max(...times) / 1000),
      ratioToBaseline: ratios.length ? round2(median(ratios)) : null,
      ...(scenario.roundLoads?.length ? { maxLoad1: Math.max(...scenario.roundLoads.map((l) => l.loadavg[0])), overloaded: overloadedRounds(scenario).length > 0 } : {}),
      ...(maxOtherCores(scenario.roundLoads) !== undefined ? { maxOtherCores: maxOtherCores(scenario.roundLoads) } : {}),
    });
  }
  return rows;
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

/**
 * The rounds of a scenario whose 1-minute load average exceeded the core count (scenario.roundLoads,
 * one os.loadavg() sample at the end of each round): on such a machine the variants queue for the
 * CPU, and times and ratios drift with the load rather than with what is measured.
 */
export function overloadedRounds(scenario, cpus = os.cpus().length) {
  return (scenario.roundLoads ?? []).filter((l) => l.loadavg[0] > cpus);
}

const loadText = (l) => l.loadavg.map((x) => x.toFixed(2)).join('/');

/** Below this many cores taken by other processes, a round's load is the benchmark's own. */
export const QUIET_OTHER_CORES = 0.25;

/** The most cores other processes used in a round of these rounds, or undefined where not measured. */
export function maxOtherCores(roundLoads) {
  const measured = (roundLoads ?? []).filter((l) => typeof l.otherCores === 'number');
  return measured.length ? Math.max(...measured.map((l) => l.otherCores)) : undefined;
}

/**
 * Under a scenario's table: its load per round, the CPU other processes took, and a loud warning
 * when the load exceeded the cores, saying whether that load was the benchmark's own.
 */
function loadLines(scenario, cpus) {
  if (!scenario.roundLoads?.length) return [];
  const lines = [`load average 1/5/15 min at the end of each round: ${scenario.roundLoads.map((l) => `r${l.round} ${loadText(l)}`).join(', ')}`];
  if (maxOtherCores(scenario.roundLoads) !== undefined) {
    lines.push(`cores used by other processes during each round (of ${cpus}): ${scenario.roundLoads.map((l) => `r${l.round} ${l.otherCores?.toFixed(2) ?? '?'}`).join(', ')}`);
  }
  const over = overloadedRounds(scenario, cpus);
  if (over.length) {
    const worst = Math.max(...over.map((l) => l.loadavg[0]));
    const others = maxOtherCores(over);
    const verdict =
      others !== undefined && others < QUIET_OTHER_CORES
        ? `other processes used at most ${others.toFixed(2)} cores in those rounds, so the load is the benchmark's own (nx, its workers, the builders)`
        : `these times and ratios are not a quiet machine's`;
    lines.push(`!!! OVERLOADED: the 1-minute load exceeded the ${cpus} cores in ${over.length} of ${scenario.roundLoads.length} rounds (up to ${worst.toFixed(2)}): ${verdict} !!!`);
  }
  return lines;
}

export function formatTable(scenarios, rows, baseline, { cpus = os.cpus().length } = {}) {
  const header = ['variant', 'median s', 'min–max s', `× ${baseline}`, 'runs'];
  const lines = [];
  for (const s of scenarios) {
    const mine = rows.filter((r) => r.scenario === s.id);
    if (!mine.length) continue;
    const body = mine.map((r) => [
      r.label,
      r.medianS.toFixed(2),
      `${r.minS.toFixed(2)}–${r.maxS.toFixed(2)}`,
      r.ratioToBaseline === null ? '–' : `${r.ratioToBaseline.toFixed(2)}×`,
      String(r.runs),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const fmt = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    lines.push('', `${s.id}: ${s.title}`, fmt(header), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const b of body) lines.push(fmt(b));
    lines.push(...loadLines(s, cpus));
  }
  return lines.join('\n');
}
