#!/usr/bin/env node
// npm run bench [-- --rounds=N --packages=N --modules=N --quick --only=one,many]
//
// Builds the same synthetic workspace four ways (this plugin, nx:run-commands → esbuild CLI,
// @nx/esbuild, @nx/js:tsc) and times real `nx` commands, interleaved in rounds with the order
// rotating each round, so a noisy machine slows every variant alike. See docs/performance.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareToolchain } from './lib/install.mjs';
import { BenchFailure, currentChild, formatTable, removeOutputs, summarize, timeCommand, verifyBuilt } from './lib/measure.mjs';
import { gitState, nxEnv, stopDaemon as stopDaemonIn } from './lib/session.mjs';
import { createWorkspace, GRAPH_ONLY_VARIANTS, packageName, VARIANTS } from './lib/workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = 'run-commands';
const SCENARIO_IDS = ['graph', 'graph-cold', 'one', 'many', 'one-daemon'];
// graph-cold (every run without .nx/workspace-data and .nx/cache) runs only when --only names it.
const DEFAULT_SCENARIO_IDS = ['graph', 'one', 'many', 'one-daemon'];

const { values: args } = parseArgsOrExit({
  options: {
    rounds: { type: 'string' },
    packages: { type: 'string' },
    modules: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    variants: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
function parseArgsOrExit(config) {
  try {
    return parseArgs(config);
  } catch (e) {
    console.error(`${e.message} (npm run bench -- --help)`);
    process.exit(2);
  }
}
if (args.help) {
  console.log(`Usage: npm run bench -- [options]
  --rounds=N       rounds for every scenario (default: 5 for single-package scenarios, 3 for "many")
  --packages=N     packages in each synthetic workspace (default 50; --quick: 5)
  --modules=N      TypeScript modules per package (default 10; --quick: 3)
  --quick          tiny workspaces, 2 rounds (1 for "many"): a smoke run
  --only=LIST      comma-separated scenarios: ${SCENARIO_IDS.join(', ')}
                   (default: all but graph-cold, which deletes .nx/workspace-data and .nx/cache before each run)
  --variants=LIST  comma-separated variants for every scenario (${BASELINE} is always kept):
                   plugin, run-commands, nx-esbuild, nx-tsc, run-commands-tsc, esbuild-cli,
                   nx-js-typescript (@nx/js/typescript inference; graph scenarios only, only when named);
                   default: all, except nx-tsc in "many" (about 200 s a round on 2 cores)`);
  process.exit(0);
}

function usageError(message) {
  console.error(`${message} (npm run bench -- --help)`);
  process.exit(2);
}
const positiveInt = (name, value, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) usageError(`--${name} must be a positive integer, got "${value}".`);
  return n;
};
const packages = positiveInt('packages', args.packages, args.quick ? 5 : 50);
const modules = positiveInt('modules', args.modules, args.quick ? 3 : 10);
const roundsSingle = positiveInt('rounds', args.rounds, args.quick ? 2 : 5);
const roundsMany = positiveInt('rounds', args.rounds, args.quick ? 1 : 3);
const only = args.only ? args.only.split(',').map((s) => s.trim()) : DEFAULT_SCENARIO_IDS;
for (const id of only) if (!SCENARIO_IDS.includes(id)) usageError(`--only: unknown scenario "${id}"; known: ${SCENARIO_IDS.join(', ')}.`);
// Names are p000…p999.
if (packages > 1000) usageError('--packages is at most 1000.');
const ALL_VARIANT_IDS = [...VARIANTS, ...GRAPH_ONLY_VARIANTS, 'run-commands-tsc', 'esbuild-cli'];
const variantFilter = args.variants ? new Set([BASELINE, ...args.variants.split(',').map((s) => s.trim())]) : undefined;
for (const id of variantFilter ?? []) if (!ALL_VARIANT_IDS.includes(id)) usageError(`--variants: unknown variant "${id}"; known: ${ALL_VARIANT_IDS.join(', ')}.`);
// @nx/js:tsc over every package forks one tsc per package: it alone would triple the default run.
const DEFAULT_SKIP = { many: ['nx-tsc'], graph: GRAPH_ONLY_VARIANTS, 'graph-cold': GRAPH_ONLY_VARIANTS };
const VARIANT_LABELS = { 'nx-js-typescript': '@nx/js/typescript (inferred)' };

const log = (msg) => console.log(msg);
const loads = [];
const sampleLoad = (when) => loads.push({ when, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) });

// ---- cleanup: daemons stopped and workspaces removed, on success, failure and Ctrl+C ----------
let tmpRoot;
let workspaces = {};
let nxBin;
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  const child = currentChild();
  if (child && child.exitCode === null) child.kill('SIGTERM');
  for (const root of Object.values(workspaces)) stopDaemon(root);
  if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping Nx daemons and removing ${tmpRoot ?? 'the benchmark workspaces'}…`);
    cleanup();
    process.exit(130);
  });
}

function stopDaemon(root) {
  if (nxBin) stopDaemonIn(root, nxBin);
}

// ---- what each scenario runs ------------------------------------------------------------------
const nx = (...a) => [process.execPath, '<nx>', ...a];
const all = Array.from({ length: packages }, (_, i) => packageName(i));
const one = [packageName(0)];

function nxVariants(command, built, extra = []) {
  return [...VARIANTS, ...extra].map((v) => ({
    id: v,
    label: v === BASELINE ? `${v} (esbuild CLI)` : (VARIANT_LABELS[v] ?? v),
    workspace: v,
    argv: nx(...command),
    built,
  }));
}

function scenarios() {
  const single = nxVariants(['run', `${one[0]}:build`, '--skip-nx-cache'], one);
  const tscViaRunCommands = {
    id: 'run-commands-tsc',
    label: 'run-commands (tsc CLI)',
    workspace: 'run-commands',
    argv: nx('run', `${one[0]}:build-tsc`, '--skip-nx-cache'),
    built: one,
  };
  return [
    {
      id: 'graph',
      title: `project graph only (nx show projects, ${packages} packages, daemon off): the cost every nx command pays before running tasks`,
      daemon: false,
      rounds: roundsSingle,
      variants: nxVariants(['show', 'projects', '--with-target', 'build', '--json'], null, GRAPH_ONLY_VARIANTS),
    },
    {
      id: 'graph-cold',
      title: `project graph from cold inference caches (nx show projects, ${packages} packages, daemon off, .nx/workspace-data and .nx/cache deleted before each run)`,
      daemon: false,
      cold: true,
      rounds: roundsSingle,
      variants: nxVariants(['show', 'projects', '--with-target', 'build', '--json'], null, GRAPH_ONLY_VARIANTS),
    },
    {
      id: 'one',
      title: `one package, uncached (nx run ${one[0]}:build --skip-nx-cache, in a ${packages}-package workspace, daemon off)`,
      daemon: false,
      rounds: roundsSingle,
      variants: [
        ...single,
        tscViaRunCommands,
        {
          id: 'esbuild-cli',
          label: 'esbuild CLI alone (no Nx)',
          workspace: 'run-commands',
          cwd: `packages/${one[0]}`,
          argv: ['node_modules/.bin/esbuild', 'src/index.ts', '--bundle', '--format=esm', '--platform=node', '--outdir=dist', '--packages=external'],
          built: one,
        },
      ],
    },
    {
      id: 'many',
      title: `${packages} packages, uncached (nx run-many -t build --skip-nx-cache --parallel=2, daemon off)`,
      daemon: false,
      rounds: roundsMany,
      // A full warm-up would double the longest scenario; the graph warm-up fills caches cheaply.
      warmup: ['show', 'projects', '--with-target', 'build', '--json'],
      variants: nxVariants(['run-many', '-t', 'build', '--skip-nx-cache', '--parallel=2'], all),
    },
    {
      id: 'one-daemon',
      title: `one package, uncached (nx run ${one[0]}:build --skip-nx-cache, daemon on and warm)`,
      daemon: true,
      rounds: roundsSingle,
      variants: [...single, tscViaRunCommands],
    },
  ]
    .filter((s) => only.includes(s.id))
    .map((s) => ({
      ...s,
      variants: s.variants.filter((v) => (variantFilter ? variantFilter.has(v.id) : !(DEFAULT_SKIP[s.id] ?? []).includes(v.id))),
    }));
}

async function runOnce(scenario, variant, { round, warmup }) {
  const root = workspaces[variant.workspace];
  const cwd = variant.cwd ? join(root, variant.cwd) : root;
  let argv = (warmup && scenario.warmup ? nx(...scenario.warmup) : variant.argv).map((a) => (a === '<nx>' ? join(root, nxBin) : a));
  if (argv[0].startsWith('node_modules/')) argv = [join(root, argv[0]), ...argv.slice(1)];
  const built = warmup && scenario.warmup ? null : variant.built;
  if (built) removeOutputs(root, built);
  if (scenario.cold) for (const d of ['workspace-data', 'cache']) rmSync(join(root, '.nx', d), { recursive: true, force: true, maxRetries: 3 });
  const startedAt = Date.now();
  const run = await timeCommand(argv, { cwd, env: nxEnv(scenario.daemon) });
  const label = `[${scenario.id}${warmup ? ' warm-up' : ` round ${round}`}] ${variant.label} (${argv.slice(1).join(' ').replace(root, '<ws>')})`;
  if (built) {
    verifyBuilt(run, { label, workspaceRoot: root, packages: built, startedAt, checkResultJson: variant.workspace === 'plugin' });
  } else {
    verifyProjectList(run, label);
  }
  return run;
}

function verifyProjectList(run, label) {
  let listed;
  try {
    listed = run.code === 0 ? JSON.parse(run.output.slice(run.output.indexOf('['))) : undefined;
  } catch {
    listed = undefined;
  }
  if (!Array.isArray(listed) || listed.length !== packages) {
    throw new BenchFailure(
      `${label}: expected ${packages} projects with a build target, got ${Array.isArray(listed) ? listed.length : 'no list'} (exit ${run.code})\n${run.output.split('\n').slice(-30).join('\n')}`,
    );
  }
}

/**
 * Before anything is timed: every workspace's graph lists all the packages, and where build targets
 * are inferred (this plugin, @nx/js/typescript) p000 really has one. Cold: a fresh workspace.
 */
async function verifyGraphs(variants) {
  for (const variant of variants) {
    const root = workspaces[variant];
    const show = async (...a) => {
      const run = await timeCommand([process.execPath, join(root, nxBin), 'show', ...a], { cwd: root, env: nxEnv(false) });
      let json;
      try {
        json = run.code === 0 ? JSON.parse(run.output.slice(run.output.search(/[[{]/))) : undefined;
      } catch {
        json = undefined;
      }
      if (json === undefined) {
        throw new BenchFailure(`${variant}: nx show ${a.join(' ')} failed (exit ${run.code})\n${run.output.split('\n').slice(-30).join('\n')}`);
      }
      return { json, ms: run.ms };
    };
    const { json: projects, ms } = await show('projects', '--json');
    const expected = new Set(all);
    const missing = all.filter((p) => !projects.includes(p));
    if (!Array.isArray(projects) || projects.length !== packages || missing.length) {
      throw new BenchFailure(`${variant}: expected ${packages} projects (${all[0]}…${all.at(-1)}), got ${projects.length}; missing ${missing.slice(0, 5).join(', ')}; extra ${projects.filter((p) => !expected.has(p)).slice(0, 5).join(', ')}`);
    }
    const { json: p0 } = await show('project', one[0], '--json');
    const build = p0.targets?.build;
    if (!build) throw new BenchFailure(`${variant}: ${one[0]} has no build target (targets: ${Object.keys(p0.targets ?? {}).join(', ') || 'none'})`);
    const how = build.executor === 'nx:run-commands' && build.options?.command ? build.options.command : build.executor;
    log(`  verified ${variant}: ${projects.length} projects (first graph ${(ms / 1000).toFixed(1)} s); ${one[0]}:build → ${how}; targets ${Object.keys(p0.targets).join(', ')}`);
  }
}

async function runScenario(scenario) {
  log(`\n== ${scenario.id}: ${scenario.title}`);
  sampleLoad(`${scenario.id} start`);
  scenario.runs = [];
  const order = scenario.variants;
  // Warm-up (not timed): OS file cache, Nx's workspace data, and the daemon when it is on.
  for (const variant of order) {
    if (scenario.warmup && variant.argv[0] !== process.execPath) continue;
    await runOnce(scenario, variant, { warmup: true });
    if (scenario.daemon) await runOnce(scenario, variant, { warmup: true });
  }
  for (let round = 1; round <= scenario.rounds; round++) {
    const shift = (round - 1) % order.length;
    const rotated = [...order.slice(shift), ...order.slice(0, shift)];
    const parts = [];
    for (const variant of rotated) {
      const run = await runOnce(scenario, variant, { round });
      scenario.runs.push({ round, variant: variant.id, ms: Math.round(run.ms) });
      parts.push(`${variant.id} ${(run.ms / 1000).toFixed(2)}s`);
    }
    log(`  round ${round}/${scenario.rounds} (load ${os.loadavg()[0].toFixed(2)}): ${parts.join(', ')}`);
  }
  sampleLoad(`${scenario.id} end`);
  if (scenario.daemon) for (const v of new Set(scenario.variants.map((x) => x.workspace))) stopDaemon(workspaces[v]);
}

async function main() {
  const started = Date.now();
  sampleLoad('start');
  log(`@repo/build-system benchmark: ${packages} packages × ${modules} modules; rounds ${roundsSingle} (single package), ${roundsMany} (all packages)`);
  const toolchain = prepareToolchain(repoRoot, { log });
  const nxPkg = JSON.parse(readFileSync(join(toolchain.dir, 'node_modules/nx/package.json'), 'utf8'));
  nxBin = join('node_modules/nx', typeof nxPkg.bin === 'string' ? nxPkg.bin : nxPkg.bin.nx);

  const list = scenarios();
  // Only the workspaces some selected scenario runs in (a default run still makes all four).
  const needed = [...VARIANTS, ...GRAPH_ONLY_VARIANTS].filter((v) => list.some((s) => s.variants.some((x) => x.workspace === v)));
  tmpRoot = mkdtempSync(join(os.tmpdir(), 'bs-bench-ws-'));
  for (const variant of needed) {
    const root = join(tmpRoot, variant);
    createWorkspace(root, { variant, packages, modules, toolchainDir: toolchain.dir });
    workspaces[variant] = root;
  }
  log(`Workspaces: ${tmpRoot}/{${needed.join(',')}}`);
  await verifyGraphs(needed);

  for (const scenario of list) await runScenario(scenario);
  sampleLoad('end');

  const rows = list.flatMap((s) => summarize(s, BASELINE));
  const meta = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
    },
    load: loads,
    node: process.version,
    versions: toolchain.versions,
    plugin: gitState(repoRoot),
    options: { packages, modules, roundsSingle, roundsMany, only, variants: variantFilter ? [...variantFilter] : 'default' },
  };
  const fmtLoad = (l) => l.loadavg.map((x) => x.toFixed(2)).join(' / ');
  log(`\nResults (${meta.date}; ${meta.durationS} s in all)`);
  log(`Machine: ${meta.machine.cpus} × ${meta.machine.cpuModel}, ${meta.machine.memoryGiB} GiB, ${meta.machine.platform}`);
  log(`Load average 1/5/15 min: at start ${fmtLoad(loads[0])}, at end ${fmtLoad(loads.at(-1))}`);
  log(
    `Node ${meta.node}; ${Object.entries(meta.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; plugin from ${meta.plugin}`,
  );
  log(`Times are wall-clock seconds of the whole command; × ${BASELINE} is the median of per-round ratios.`);
  log(formatTable(list, rows, BASELINE));

  const outDir = join(repoRoot, 'bench', '.results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${meta.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ meta, rows, runs: Object.fromEntries(list.map((s) => [s.id, { title: s.title, runs: s.runs }])) }, null, 2)}\n`,
  );
  log(`\nWritten: ${file}`);
}

main()
  .catch((e) => {
    console.error(`\nBENCHMARK ABORTED: ${e instanceof BenchFailure ? e.message : (e?.stack ?? e)}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
