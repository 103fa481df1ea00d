// What every benchmark script around `nx` needs besides timing: the environment Nx runs in, daemons
// stopped and temp folders removed on every exit path (Ctrl+C included), interleaved round order,
// load samples, machine facts and the results file. Used by bench/adapters.mjs and
// bench/remote-cache.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BenchFailure, currentChild } from './measure.mjs';

/**
 * The environment of a measured `nx` command: the caller's, minus CI and every inherited NX_*
 * setting (verbose logging, cache dirs, batch mode… would change what is measured), plus `extra`.
 * The output style is pinned to what Nx picks for a non-interactive terminal: Nx 23.3 and 24 switch
 * to their terse `summary` style when they think an AI agent runs them, which prints less (so
 * times differ) and none of the lines the benchmarks read.
 */
export function nxEnv(daemon, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NX_') && k !== 'CI') env[k] = v;
  return {
    ...env,
    NX_DAEMON: daemon ? 'true' : 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_DEFAULT_OUTPUT_STYLE: 'static-failures-only',
    ...extra,
  };
}

/** Workspace-relative path of the nx CLI script in a toolchain install. */
export function nxBinOf(toolchainDir) {
  const nxPkg = JSON.parse(readFileSync(join(toolchainDir, 'node_modules/nx/package.json'), 'utf8'));
  return join('node_modules/nx', typeof nxPkg.bin === 'string' ? nxPkg.bin : nxPkg.bin.nx);
}

/** `nx daemon --stop` in a workspace (a no-op when none runs). Synchronous: usable in cleanup. */
export function stopDaemon(root, nxBin) {
  spawnSync(process.execPath, [join(root, nxBin), 'daemon', '--stop'], { cwd: root, env: nxEnv(true), stdio: 'ignore', timeout: 30_000 });
}

/**
 * Cleanup that runs once, on success, failure and SIGINT/SIGTERM/SIGHUP: the timed child is ended,
 * then `steps` run in order (each one's failure is reported and does not stop the others).
 * Returns the cleanup function, to call in a `finally`.
 */
export function cleanupOnExit(steps) {
  let done = false;
  const cleanup = () => {
    if (done) return;
    done = true;
    const child = currentChild();
    if (child && child.exitCode === null) child.kill('SIGTERM');
    for (const step of steps) {
      try {
        step();
      } catch (e) {
        console.error(`cleanup: ${e?.message ?? e}`);
      }
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping Nx daemons and removing the benchmark workspaces…`);
      cleanup();
      process.exit(130);
    });
  }
  return cleanup;
}

/** Removes a folder tree, retrying briefly (a daemon may still be closing files). */
export function removeTree(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Round 1 runs A, B, C; round 2 runs B, C, A; and so on. */
export function rotated(order, round) {
  const shift = (round - 1) % order.length;
  return [...order.slice(shift), ...order.slice(0, shift)];
}

/** os.loadavg() samples: `sample(when)` records one, `all` holds them. */
export function loadSampler() {
  const all = [];
  return {
    all,
    sample(when) {
      const entry = { when, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
      all.push(entry);
      return entry;
    },
  };
}

export const formatLoad = (entry) => entry.loadavg.map((x) => x.toFixed(2)).join(' / ');

export function machineInfo() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** The commit the plugin was packed from, and whether its sources had uncommitted changes. */
export function gitState(repoRoot) {
  const git = (...a) => spawnSync('git', a, { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD');
  return head ? `${head}${git('status', '--porcelain', '--', 'src', 'package.json', 'executors.json') ? ' + uncommitted changes' : ''}` : 'unknown';
}

/** Writes <outDir>/<prefix>-<timestamp>.json (default outDir: bench/.results, git-ignored) and returns its path. */
export function writeResults(repoRoot, prefix, date, data, outDir = join(repoRoot, 'bench', '.results')) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${prefix}-${date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** The lines every results block starts with: when, the machine, its load, and what was measured. */
export function logResultsHeader(log, meta, startLoad, endLoad) {
  const m = meta.machine;
  const versions = Object.entries(meta.versions).filter(([, v]) => v);
  log(`\nResults (${meta.date}; ${meta.durationS} s in all)`);
  log(`Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}`);
  log(`Load average 1/5/15 min: at start ${formatLoad(startLoad)}, at end ${formatLoad(endLoad)}`);
  log(`Node ${meta.node}; ${versions.map(([k, v]) => `${k} ${v}`).join(', ')}; plugin from ${meta.plugin}`);
  const nested = Object.entries(meta.nested ?? {});
  if (nested.length) {
    const loads = nested.map(([plugin, deps]) => `${plugin} loads ${Object.entries(deps).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log(`Nested installs: ${loads.join('; ')} (nx ${meta.versions.nx} runs the tasks)`);
  }
}

/** Runs a benchmark's main: a failure prints why and exits 1; cleanup runs either way. */
export function runBenchmark(main, cleanup) {
  main()
    .catch((e) => {
      console.error(`\nBENCHMARK ABORTED: ${e instanceof BenchFailure ? e.message : (e?.stack ?? e)}`);
      process.exitCode = 1;
    })
    .finally(cleanup);
}
