#!/usr/bin/env node
// npm run bench [-- --rounds=N --packages=N --large=N --modules=N --quick --only=one,many …]
//
// Builds the same synthetic workspace several ways (this plugin, nx:run-commands → esbuild CLI,
// @nx/esbuild, @nx/js:tsc, and two do-nothing floors) and times real `nx` commands, interleaved in
// rounds with the order rotating each round, so a noisy machine slows every variant alike.
// See docs/performance.md.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuShareMeter } from './lib/cpu-share.mjs';
import { preparePeers, prepareToolchain } from './lib/install.mjs';
import { BenchFailure, formatTable, maxOtherCores, outputReferences, overloadedRounds, QUIET_OTHER_CORES, removeOutputs, summarize, timeCommand, verifyBuilt } from './lib/measure.mjs';
import {
  cleanupOnExit,
  formatLoad,
  gitState,
  loadSampler,
  logResultsHeader,
  machineInfo,
  nxBinOf,
  nxEnv,
  removeTree,
  rotated,
  runBenchmark,
  stopDaemon as stopDaemonIn,
  writeResults,
} from './lib/session.mjs';
import { createWorkspace, dependencyDag, DTS_VARIANTS, FLOOR_VARIANTS, GRAPH_ONLY_VARIANTS, OPTION_VARIANTS, packageName, VARIANTS } from './lib/workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = 'run-commands';
const SCENARIO_IDS = ['graph', 'graph-cold', 'one', 'one-daemon', 'many', 'many-large', 'cache', 'affected', 'dts-many', 'dts-large'];
// graph-cold (every run without .nx/workspace-data and .nx/cache) runs only when --only names it.
const DEFAULT_SCENARIO_IDS = SCENARIO_IDS.filter((id) => id !== 'graph-cold');

const { values: args } = parseArgsOrExit({
  options: {
    rounds: { type: 'string' },
    packages: { type: 'string' },
    large: { type: 'string' },
    modules: { type: 'string' },
    'lib-modules': { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    variants: { type: 'string' },
    toolchain: { type: 'string' },
    out: { type: 'string' },
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
  --rounds=N       rounds for every scenario (default: 5, and 3 for "many" and "many-large")
  --packages=N     packages in the workspaces of every scenario but "many-large" (default 50; --quick: 5)
  --large=N        packages in the "many-large" workspaces (default 200; --quick: 8)
  --modules=N      TypeScript modules per package (default 10; --quick: 3)
  --lib-modules=N  modules of the one-package library of "dts-large" (default 1500; --quick: 20)
  --quick          tiny workspaces, 1 round: a smoke run (what the test suite runs)
  --only=LIST      comma-separated scenarios: ${SCENARIO_IDS.join(', ')}
                   (default: all but graph-cold, which deletes .nx/workspace-data and .nx/cache before each run)
  --variants=LIST  comma-separated variants for every scenario (${BASELINE} is always kept):
                   plugin, run-commands, nx-esbuild, nx-tsc, run-commands-tsc, esbuild-cli, noop, noop-inferred,
                   plugin-no-summary (single-package scenarios), plugin-dts (dts scenarios),
                   tsdown, tsup, rolldown-cli, tsdown-dts, tsup-dts (peer CLIs through run-commands),
                   nx-js-typescript (@nx/js/typescript inference; graph scenarios only, only when named);
                   default: all that the scenario lists (see docs/performance.md)
  --toolchain=DIR  use this existing install (a node_modules with nx, esbuild, typescript and this
                   plugin) as is: no npm install, no packing; variants it cannot run are refused
  --out=DIR        where the results JSON goes (default bench/.results)`);
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
const large = positiveInt('large', args.large, args.quick ? 8 : 200);
const modules = positiveInt('modules', args.modules, args.quick ? 3 : 10);
const libModules = positiveInt('lib-modules', args['lib-modules'], args.quick ? 20 : 1500);
const roundsSingle = positiveInt('rounds', args.rounds, args.quick ? 1 : 5);
const roundsMany = positiveInt('rounds', args.rounds, args.quick ? 1 : 3);
const only = args.only ? args.only.split(',').map((s) => s.trim()) : DEFAULT_SCENARIO_IDS;
for (const id of only) if (!SCENARIO_IDS.includes(id)) usageError(`--only: unknown scenario "${id}"; known: ${SCENARIO_IDS.join(', ')}.`);
// Names are p000…p999.
if (packages > 1000 || large > 1000) usageError('--packages and --large are at most 1000.');
/**
 * Variants that run another target of the run-commands workspace: the same packages as the esbuild
 * CLI rows, built by tsc or a peer builder's CLI (bench/lib/workspace.mjs PEER_TARGETS). `peer`:
 * needs the peers install; `declarations`: the build writes dist/index.d.ts too, which is checked.
 */
const TARGET_VARIANTS = {
  'run-commands-tsc': { target: 'build-tsc', label: 'run-commands (tsc CLI, .js + .d.ts)', declarations: true },
  tsdown: { target: 'build-tsdown', label: 'run-commands (tsdown CLI)', peer: true },
  'tsdown-dts': { target: 'build-tsdown-dts', label: 'run-commands (tsdown CLI, --dts)', peer: true, declarations: true },
  tsup: { target: 'build-tsup', label: 'run-commands (tsup CLI)', peer: true },
  'tsup-dts': { target: 'build-tsup-dts', label: 'run-commands (tsup CLI, --dts)', peer: true, declarations: true },
  'rolldown-cli': { target: 'build-rolldown', label: 'run-commands (rolldown CLI)', peer: true },
};
const PEERS = ['tsdown', 'tsup', 'rolldown-cli'];
const ALL_VARIANT_IDS = [...VARIANTS, ...GRAPH_ONLY_VARIANTS, ...FLOOR_VARIANTS, ...OPTION_VARIANTS, ...DTS_VARIANTS, ...Object.keys(TARGET_VARIANTS), 'esbuild-cli'];
const variantFilter = args.variants ? new Set([BASELINE, ...args.variants.split(',').map((s) => s.trim())]) : undefined;
for (const id of variantFilter ?? []) if (!ALL_VARIANT_IDS.includes(id)) usageError(`--variants: unknown variant "${id}"; known: ${ALL_VARIANT_IDS.join(', ')}.`);
// @nx/js:tsc forks one tsc per package (200–300 s a round for 50 packages here), @nx/esbuild one
// Node process per package (about 4 min a round at 200): either would double the default run.
const DEFAULT_SKIP = {
  many: ['nx-tsc'],
  'many-large': ['nx-tsc', 'nx-esbuild', ...PEERS],
  // Their warm-up is a full uncached build of the workspace.
  cache: ['nx-tsc'],
  affected: ['nx-tsc'],
  graph: GRAPH_ONLY_VARIANTS,
  'graph-cold': GRAPH_ONLY_VARIANTS,
};
const VARIANT_LABELS = {
  'nx-js-typescript': '@nx/js/typescript (inferred)',
  'plugin-no-summary': 'plugin, runSummary: false',
  'plugin-dts': 'plugin, dts: true',
  noop: 'floor: do-nothing executor (project.json)',
  'noop-inferred': 'floor: do-nothing executor (inferred)',
};
// Variants that need packages a --toolchain install may not have.
const NEEDS = { 'nx-esbuild': '@nx/esbuild', 'nx-tsc': '@nx/js', 'nx-js-typescript': '@nx/js' };

const log = (msg) => console.log(msg);
const loads = loadSampler();

// ---- cleanup: daemons stopped and workspaces removed, on success, failure and Ctrl+C ----------
let tmpRoot;
const workspaces = {}; // "<variant>@<packages>" → root
let nxBin;
// Cores other processes used per round (bench/lib/cpu-share.mjs), set once the workspaces exist.
let cpuMeter;
const cleanup = cleanupOnExit([
  () => {
    for (const root of Object.values(workspaces)) stopDaemon(root);
  },
  () => removeTree(tmpRoot),
]);
function stopDaemon(root) {
  if (nxBin) stopDaemonIn(root, nxBin);
}

// ---- what each scenario runs ------------------------------------------------------------------
const nx = (...a) => [process.execPath, '<nx>', ...a];
const names = (n) => Array.from({ length: n }, (_, i) => packageName(i));
const one = [packageName(0)];
// The affected scenario edits a package nothing depends on: the highest index that is no one's parent.
const leaf = (() => {
  const parents = new Set(dependencyDag(packages).flat());
  for (let i = packages - 1; i >= 0; i--) if (!parents.has(i)) return packageName(i);
  return packageName(packages - 1);
})();

function nxVariants(command, built, { size = packages, mods = modules, extra = [], only: ids } = {}) {
  return (ids ?? [...VARIANTS, ...extra]).map((v) => ({
    id: v,
    label: v === BASELINE ? `${v} (esbuild CLI)` : (VARIANT_LABELS[v] ?? v),
    workspace: v,
    size,
    modules: mods,
    argv: nx(...command),
    built,
    declarations: DTS_VARIANTS.includes(v),
  }));
}

/** TARGET_VARIANTS rows: `commandFor(target)` is the nx command that runs that target. */
function targetVariants(ids, commandFor, built, { size = packages, mods = modules } = {}) {
  return ids.map((id) => {
    const { target, label, peer = false, declarations = false } = TARGET_VARIANTS[id];
    return { id, label, workspace: 'run-commands', size, modules: mods, argv: nx(...commandFor(target)), built, peer, declarations };
  });
}

function scenarios() {
  const runOne = (target) => ['run', `${one[0]}:${target}`, '--skip-nx-cache'];
  const runMany = (target) => ['run-many', '-t', target, '--skip-nx-cache', '--parallel=2'];
  const single = nxVariants(runOne('build'), one, { extra: [...OPTION_VARIANTS, ...FLOOR_VARIANTS] });
  const singleTargets = targetVariants(['run-commands-tsc', ...PEERS], runOne, one);
  const DTS_ROWS = ['plugin', 'plugin-dts'];
  const DTS_TARGET_ROWS = ['run-commands-tsc', 'tsdown', 'tsdown-dts', 'tsup', 'tsup-dts'];
  const graphCommand = ['show', 'projects', '--with-target', 'build', '--json'];
  return [
    {
      id: 'graph',
      title: `project graph only (nx show projects, ${packages} packages, daemon off): the cost every nx command pays before running tasks`,
      daemon: false,
      rounds: roundsSingle,
      variants: nxVariants(graphCommand, null, { extra: GRAPH_ONLY_VARIANTS }),
    },
    {
      id: 'graph-cold',
      title: `project graph from cold inference caches (nx show projects, ${packages} packages, daemon off, .nx/workspace-data and .nx/cache deleted before each run)`,
      daemon: false,
      cold: true,
      rounds: roundsSingle,
      variants: nxVariants(graphCommand, null, { extra: GRAPH_ONLY_VARIANTS }),
    },
    {
      id: 'one',
      title: `one package, uncached (nx run ${one[0]}:build --skip-nx-cache, in a ${packages}-package workspace, daemon off)`,
      daemon: false,
      rounds: roundsSingle,
      sampleMemory: true,
      variants: [
        ...single,
        ...singleTargets,
        {
          id: 'esbuild-cli',
          label: 'esbuild CLI alone (no Nx)',
          workspace: 'run-commands',
          size: packages,
          modules,
          cwd: `packages/${one[0]}`,
          argv: ['node_modules/.bin/esbuild', 'src/index.ts', '--bundle', '--format=esm', '--platform=node', '--outdir=dist', '--packages=external'],
          built: one,
        },
      ],
    },
    {
      id: 'one-daemon',
      title: `one package, uncached (nx run ${one[0]}:build --skip-nx-cache, daemon on and warm)`,
      daemon: true,
      rounds: roundsSingle,
      variants: [...single, ...singleTargets],
    },
    {
      id: 'many',
      title: `${packages} packages, uncached (nx run-many -t build --skip-nx-cache --parallel=2, daemon off)`,
      daemon: false,
      rounds: roundsMany,
      sampleMemory: true,
      // A full warm-up would double the longest scenario; the graph warm-up fills caches cheaply.
      warmup: graphCommand,
      variants: [...nxVariants(runMany('build'), names(packages)), ...targetVariants(PEERS, runMany, names(packages))],
    },
    {
      id: 'many-large',
      title: `${large} packages, uncached (nx run-many -t build --skip-nx-cache --parallel=2, daemon off)`,
      daemon: false,
      rounds: roundsMany,
      sampleMemory: true,
      warmup: graphCommand,
      variants: [...nxVariants(runMany('build'), names(large), { size: large }), ...targetVariants(PEERS, runMany, names(large), { size: large })],
    },
    {
      id: 'cache',
      title: `${packages} packages, all cache hits (nx run-many -t build --parallel=2, daemon off; outputs deleted before each run, so Nx restores every one)`,
      daemon: false,
      rounds: roundsSingle,
      // The warm-up builds everything once with the cache on: every timed run is then all hits.
      expectAllCached: true,
      variants: nxVariants(['run-many', '-t', 'build', '--parallel=2'], names(packages), { extra: [...OPTION_VARIANTS, ...FLOOR_VARIANTS] }),
    },
    {
      id: 'affected',
      title: `nx affected -t build --base=HEAD after an edit of the leaf package ${leaf} (${packages} packages, daemon off; the other packages' outputs in place and cached)`,
      daemon: false,
      rounds: roundsSingle,
      editLeaf: true,
      variants: nxVariants(['affected', '-t', 'build', '--base=HEAD', '--parallel=2'], [leaf]),
    },
    {
      id: 'dts-many',
      title: `${packages} packages, uncached, with and without declarations (nx run-many -t <target> --skip-nx-cache --parallel=2, daemon off)`,
      daemon: false,
      rounds: roundsMany,
      warmup: graphCommand,
      variants: [
        ...nxVariants(runMany('build'), names(packages), { only: [BASELINE, ...DTS_ROWS] }),
        ...targetVariants(DTS_TARGET_ROWS, runMany, names(packages)),
      ],
    },
    {
      id: 'dts-large',
      title: `one library of ${libModules} modules, uncached, with and without declarations (nx run ${one[0]}:<target> --skip-nx-cache, daemon off)`,
      daemon: false,
      rounds: roundsSingle,
      variants: [
        ...nxVariants(runOne('build'), one, { size: 1, mods: libModules, only: [BASELINE, ...DTS_ROWS] }),
        ...targetVariants([...DTS_TARGET_ROWS, 'rolldown-cli'], runOne, one, { size: 1, mods: libModules }),
      ],
    },
  ]
    .filter((s) => only.includes(s.id))
    .map((s) => ({
      ...s,
      variants: s.variants.filter((v) => (variantFilter ? variantFilter.has(v.id) : !(DEFAULT_SKIP[s.id] ?? []).includes(v.id))),
    }));
}

// "<workspace variant>@<packages>@<modules per package>"
const workspaceKey = (variant) => `${variant.workspace}@${variant.size}@${variant.modules}`;
const parseKey = (key) => {
  const [variant, size, mods] = key.split('@');
  return { variant, size: Number(size), mods: Number(mods) };
};
// Per variant, not per workspace: run-commands-tsc writes another dist/index.js than run-commands.
const referenceOf = outputReferences();
let edits = 0;

async function runOnce(scenario, variant, { round, warmup, sampleRss = false }) {
  const root = workspaces[workspaceKey(variant)];
  const cwd = variant.cwd ? join(root, variant.cwd) : root;
  const graphWarmup = warmup && scenario.warmup;
  let argv = (graphWarmup ? nx(...scenario.warmup) : variant.argv).map((a) => (a === '<nx>' ? join(root, nxBin) : a));
  if (argv[0].startsWith('node_modules/')) argv = [join(root, argv[0]), ...argv.slice(1)];
  const built = graphWarmup ? null : variant.built;
  if (built) removeOutputs(root, built);
  if (scenario.cold) for (const d of ['workspace-data', 'cache']) rmSync(join(root, '.nx', d), { recursive: true, force: true, maxRetries: 3 });
  // A new edit every run, so the leaf's build is never a cache hit.
  if (scenario.editLeaf) {
    const index = join(root, 'packages', leaf, 'src', 'index.ts');
    writeFileSync(index, `${readFileSync(index, 'utf8').replace(/\n\/\/ bench edit \d+\n$/, '\n')}// bench edit ${++edits}\n`);
  }
  const run = await timeCommand(argv, { cwd, env: nxEnv(scenario.daemon), sampleRss });
  const label = `[${scenario.id}${warmup ? ' warm-up' : sampleRss ? ' memory' : ` round ${round}`}] ${variant.label} (${argv.slice(1).join(' ').replace(root, '<ws>')})`;
  if (built) {
    // An edited leaf builds to new bytes every run: it has no reference to match.
    const reference = scenario.editLeaf ? undefined : referenceOf(`${variant.id}@${variant.size}@${variant.modules}`);
    verifyBuilt(run, { label, workspaceRoot: root, packages: built, reference, checkResultJson: variant.workspace.startsWith('plugin'), declarations: variant.declarations });
    if (scenario.expectAllCached && !warmup && variant.argv[0] === process.execPath) verifyAllCached(run, label, built.length);
    if (scenario.editLeaf && variant.argv[0] === process.execPath) verifyRanOnly(run, label);
  } else {
    verifyProjectList(run, label, variant.size);
  }
  return run;
}

/**
 * Nx's own count of the tasks in the run and of those it read from the cache, from what it prints
 * at the end in the static output styles (Nx 23.3 and 24 alike; nxEnv pins the style): "Nx read the
 * output from the cache instead of running the command for C out of T tasks.", or with nothing
 * cached only "Successfully ran target build for N projects" / "… for project pNNN[ and K tasks it
 * depends on]". Undefined when neither is there.
 */
function nxTaskCounts(output) {
  const text = output.replace(/\x1b\[[0-9;]*m/g, ''); // a FORCE_COLOR from the caller bolds the numbers
  const cached = /from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(text);
  if (cached) return { cached: Number(cached[1]), total: Number(cached[2]) };
  const ran = /Successfully ran targets? .*? for (?:(\d+) projects|project \S+)(?: and (\d+) tasks? (?:it|they) depends? on)?/.exec(text);
  if (ran) return { cached: 0, total: Number(ran[1] ?? 1) + Number(ran[2] ?? 0) };
  return undefined;
}

const describeCounts = (counts) => (counts ? `${counts.cached} of ${counts.total} tasks from the cache` : 'no task summary');

/** Every task of the run was a cache hit, as Nx counts them. */
function verifyAllCached(run, label, expected) {
  const counts = nxTaskCounts(run.output);
  if (counts?.cached !== expected || counts.total !== expected) {
    throw new BenchFailure(`${label}: expected all ${expected} tasks from the cache, Nx said: ${describeCounts(counts)}\n${run.output.split('\n').slice(-20).join('\n')}`);
  }
}

/** After a leaf edit exactly one task runs; every other task of the graph is a cache hit. */
function verifyRanOnly(run, label) {
  const counts = nxTaskCounts(run.output);
  if (!counts || counts.total - counts.cached !== 1) {
    throw new BenchFailure(`${label}: expected exactly 1 task to run, Nx said: ${describeCounts(counts)}\n${run.output.split('\n').slice(-20).join('\n')}`);
  }
}

function verifyProjectList(run, label, expected) {
  let listed;
  try {
    listed = run.code === 0 ? JSON.parse(run.output.slice(run.output.indexOf('['))) : undefined;
  } catch {
    listed = undefined;
  }
  if (!Array.isArray(listed) || listed.length !== expected) {
    throw new BenchFailure(
      `${label}: expected ${expected} projects with a build target, got ${Array.isArray(listed) ? listed.length : 'no list'} (exit ${run.code})\n${run.output.split('\n').slice(-30).join('\n')}`,
    );
  }
}

/**
 * Before anything is timed: every workspace's graph lists all its packages, and p000 really has a
 * build target (inferred ones included). The first graph of each workspace is also its warm-up.
 */
async function verifyGraphs(keys) {
  for (const key of keys) {
    const root = workspaces[key];
    const { size } = parseKey(key);
    const show = async (...a) => {
      const run = await timeCommand([process.execPath, join(root, nxBin), 'show', ...a], { cwd: root, env: nxEnv(false) });
      let json;
      try {
        json = run.code === 0 ? JSON.parse(run.output.slice(run.output.search(/[[{]/))) : undefined;
      } catch {
        json = undefined;
      }
      if (json === undefined) {
        throw new BenchFailure(`${key}: nx show ${a.join(' ')} failed (exit ${run.code})\n${run.output.split('\n').slice(-30).join('\n')}`);
      }
      return { json, ms: run.ms };
    };
    const { json: projects, ms } = await show('projects', '--json');
    const all = names(size);
    const missing = all.filter((p) => !projects.includes(p));
    if (!Array.isArray(projects) || projects.length !== size || missing.length) {
      throw new BenchFailure(`${key}: expected ${size} projects (${all[0]}…${all.at(-1)}), got ${projects.length}; missing ${missing.slice(0, 5).join(', ')}`);
    }
    const { json: p0 } = await show('project', one[0], '--json');
    const build = p0.targets?.build;
    if (!build) throw new BenchFailure(`${key}: ${one[0]} has no build target (targets: ${Object.keys(p0.targets ?? {}).join(', ') || 'none'})`);
    const how = build.executor === 'nx:run-commands' && build.options?.command ? build.options.command : build.executor;
    log(`  verified ${key}: ${projects.length} projects (first graph ${(ms / 1000).toFixed(1)} s); ${one[0]}:build → ${how}`);
  }
}

async function runScenario(scenario) {
  log(`\n== ${scenario.id}: ${scenario.title}`);
  loads.sample(`${scenario.id} start`);
  scenario.runs = [];
  scenario.rss = [];
  scenario.roundLoads = [];
  const order = scenario.variants;
  // Warm-up (not timed): OS file cache, Nx's workspace data and cache, and the daemon when it is on.
  for (const variant of order) {
    if (scenario.warmup && variant.argv[0] !== process.execPath) continue;
    await runOnce(scenario, variant, { warmup: true });
    if (scenario.daemon) await runOnce(scenario, variant, { warmup: true });
  }
  for (let round = 1; round <= scenario.rounds; round++) {
    const times = new Map();
    const cpuAtStart = cpuMeter?.snapshot();
    for (const variant of rotated(order, round)) {
      const run = await runOnce(scenario, variant, { round });
      scenario.runs.push({ round, variant: variant.id, ms: Math.round(run.ms) });
      times.set(variant.id, run.ms);
    }
    // Each time with its ratio to the baseline's time in this round: the per-round ratios the table's median comes from.
    const load = loads.sample(`${scenario.id} round ${round}`);
    const otherCores = cpuMeter?.otherCoresSince(cpuAtStart);
    scenario.roundLoads.push({ round, loadavg: load.loadavg, ...(otherCores === undefined ? {} : { otherCores }) });
    const base = times.get(BASELINE);
    const parts = [...times].map(([id, ms]) => `${id} ${(ms / 1000).toFixed(2)}s${base && id !== BASELINE ? ` (${(ms / base).toFixed(2)}×)` : ''}`);
    const over = load.loadavg[0] > os.cpus().length ? ` OVERLOADED (> ${os.cpus().length} cores)` : '';
    const others = otherCores === undefined ? '' : `, other processes ${otherCores.toFixed(2)} cores`;
    log(`  round ${round}/${scenario.rounds} (load ${formatLoad(load)}${over}${others}): ${parts.join(', ')}`);
  }
  // Memory from one more, untimed run per Nx variant: sampling /proc would perturb the timings.
  if (scenario.sampleMemory && process.platform === 'linux') {
    for (const variant of order.filter((v) => v.argv[0] === process.execPath)) {
      const run = await runOnce(scenario, variant, { sampleRss: true });
      scenario.rss.push({ variant: variant.id, label: variant.label, ...run.rss });
    }
    log(`  peak RSS MiB (main / executor / plugin workers / tools): ${scenario.rss.map((r) => `${r.variant} ${r.main}/${r.executor}/${r.worker}/${r.tool}`).join(', ')}`);
  }
  loads.sample(`${scenario.id} end`);
  if (scenario.editLeaf) for (const v of order) restoreLeaf(workspaces[workspaceKey(v)]);
  if (scenario.daemon) for (const v of new Set(order.map(workspaceKey))) stopDaemon(workspaces[v]);
}

function restoreLeaf(root) {
  const index = join(root, 'packages', leaf, 'src', 'index.ts');
  writeFileSync(index, readFileSync(index, 'utf8').replace(/\n\/\/ bench edit \d+\n$/, '\n'));
}

function formatRss(list) {
  const lines = ['', 'Peak resident memory (MiB; one untimed run per variant after the timed rounds; VmHWM of the largest process of each kind)'];
  lines.push('| scenario | variant | nx (main) | executor process | plugin workers | tools (esbuild, tsc…) |', '|:--|:--|--:|--:|--:|--:|');
  for (const s of list) for (const r of s.rss ?? []) lines.push(`| ${s.id} | ${r.label} | ${r.main} | ${r.executor || '–'} | ${r.worker || '–'} | ${r.tool || '–'} |`);
  return lines.join('\n');
}

async function main() {
  const started = Date.now();
  loads.sample('start');
  log(`@repo/build-system benchmark: ${packages} packages (many-large: ${large}) × ${modules} modules; rounds ${roundsSingle} (single package, cache, affected), ${roundsMany} (many)`);
  const toolchain = prepareToolchain(repoRoot, { log, reuseDir: args.toolchain });
  nxBin = nxBinOf(toolchain.dir);

  const list = scenarios();
  for (const s of list) {
    for (const v of s.variants) {
      const pkg = NEEDS[v.workspace];
      if (pkg && !toolchain.versions[pkg]) usageError(`variant ${v.id} needs ${pkg}, which ${toolchain.dir} does not have; leave it out with --variants.`);
    }
  }
  const peers = list.some((s) => s.variants.some((v) => v.peer)) ? preparePeers(repoRoot, { log }) : undefined;
  const keys = [...new Set(list.flatMap((s) => s.variants.map(workspaceKey)))];
  tmpRoot = join(os.tmpdir(), `bs-bench-ws-${process.pid}-${Date.now().toString(36)}`);
  const folderOf = (key) => key.replaceAll('@', '-');
  for (const key of keys) {
    const { variant, size, mods } = parseKey(key);
    const root = join(tmpRoot, folderOf(key));
    // Without bun, the plugin's `auto` builder is esbuild, as the baseline's (a --toolchain install may have bun).
    createWorkspace(root, { variant, packages: size, modules: mods, toolchainDir: toolchain.dir, peersDir: peers?.dir, skipModules: ['bun', '@oven'] });
    workspaces[key] = root;
  }
  log(`Workspaces: ${tmpRoot}/{${keys.map(folderOf).join(',')}}`);
  cpuMeter = cpuShareMeter([toolchain.dir, tmpRoot, ...(peers ? [peers.dir] : [])]);
  await verifyGraphs(keys);

  for (const scenario of list) await runScenario(scenario);
  loads.sample('end');

  const rows = list.flatMap((s) => summarize(s, BASELINE));
  const meta = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: machineInfo(),
    load: loads.all,
    node: process.version,
    versions: { ...toolchain.versions, ...(peers ? Object.fromEntries(Object.entries(peers.versions).filter(([k]) => k !== 'typescript')) : {}) },
    nested: toolchain.nested,
    plugin: toolchain.reused ? `${toolchain.versions['@repo/build-system']} from ${toolchain.dir}` : gitState(repoRoot),
    options: { packages, large, modules, libModules, roundsSingle, roundsMany, only, variants: variantFilter ? [...variantFilter] : 'default' },
  };
  logResultsHeader(log, meta, loads.all[0], loads.all.at(-1));
  log(`Times are wall-clock seconds of the whole command; × ${BASELINE} is the median of per-round ratios.`);
  const overloaded = list.flatMap((s) => overloadedRounds(s).map((l) => ({ scenario: s.id, round: l.round, load1: l.loadavg[0] })));
  meta.overloaded = overloaded;
  if (overloaded.length) {
    log(`!!! OVERLOADED RUN: the 1-minute load exceeded the ${os.cpus().length} cores in ${overloaded.length} rounds (${[...new Set(overloaded.map((o) => o.scenario))].join(', ')}); ratios drift with load, so compare them only with runs at a similar load !!!`);
  }
  const others = maxOtherCores(list.flatMap((s) => s.roundLoads ?? []));
  if (others !== undefined) {
    meta.maxOtherCores = others;
    log(
      `Other processes used at most ${others.toFixed(2)} of the ${os.cpus().length} cores in any round${others < QUIET_OTHER_CORES ? ': apart from the benchmark itself the machine was quiet' : ': the machine was shared, and ratios drift with that'}.`,
    );
  }
  log(formatTable(list, rows, BASELINE));
  if (list.some((s) => s.rss?.length)) log(formatRss(list));

  const data = { meta, rows, rss: Object.fromEntries(list.filter((s) => s.rss?.length).map((s) => [s.id, s.rss])), runs: Object.fromEntries(list.map((s) => [s.id, { title: s.title, runs: s.runs, loads: s.roundLoads }])) };
  const file = writeResults(repoRoot, 'bench', meta.date, data, args.out);
  log(`\nWritten: ${file}`);
}

runBenchmark(main, cleanup);
