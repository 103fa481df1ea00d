#!/usr/bin/env node
// npm run bench:cache [-- --rounds=N --medium-modules=N --small-modules=N]
//
// SC-002, "cached builds are at least 50% faster than uncached full builds": in three workspaces
// (a copy of demo/, a medium package built by tsc with declarations, a small esbuild package),
// `nx run-many -t build --skip-nx-cache` against `nx run-many -t build` answered from the local
// cache, in interleaved rounds. Outputs are deleted before every run, so a cached run really
// restores them. Not a test: it asserts nothing about speed, but stops if a run did not do what it
// is timed for. See docs/performance.md.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareToolchain } from './lib/install.mjs';
import { BenchFailure, checkOutputFiles, checkResultJson, median, outputReferences, recordReference, summarize, timeCommand } from './lib/measure.mjs';
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
  writeResults,
} from './lib/session.mjs';
import { createWorkspace, packageName } from './lib/workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      'medium-modules': { type: 'string', default: '40' },
      'small-modules': { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`${e.message} (npm run bench:cache -- --help)`);
  process.exit(2);
}
if (args.help) {
  console.log(`Usage: npm run bench:cache -- [options]
  --rounds=N            timed rounds (default 5); each runs all six commands once, after one warm-up of each
  --medium-modules=N    TypeScript modules of the medium tsc package (default 40)
  --small-modules=N     TypeScript modules of the small esbuild package (default 10)`);
  process.exit(0);
}
const positive = (name) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got "${args[name]}".`);
    process.exit(2);
  }
  return n;
};
const rounds = positive('rounds');
const mediumModules = positive('medium-modules');
const smallModules = positive('small-modules');
const PKG = packageName(0);

/** The workspaces: each project's root and the files a build of it must leave behind. */
const WORKSPACES = [
  {
    id: 'demo',
    title: 'demo/ copy: @demo/ui (esm+cjs) and @demo/web, builder auto',
    projects: [
      { root: 'packages/ui', files: ['dist/index.js', 'dist/index.cjs'] },
      { root: 'apps/web', files: ['dist/main.js'] },
    ],
  },
  {
    id: 'medium-tsc',
    title: `${PKG}, ${mediumModules} modules, builder tsc, dts`,
    projects: [{ root: `packages/${PKG}`, files: ['dist/index.js', 'dist/index.d.ts'] }],
    config: { entry: 'src/index.ts', formats: ['esm'], builder: 'tsc', dts: true },
    modules: mediumModules,
  },
  {
    id: 'small-esbuild',
    title: `${PKG}, ${smallModules} modules, builder esbuild`,
    projects: [{ root: `packages/${PKG}`, files: ['dist/index.js'] }],
    config: { entry: 'src/index.ts', formats: ['esm'], builder: 'esbuild' },
    modules: smallModules,
  },
];

const VARIANTS = [
  { id: 'uncached', label: 'nx run-many -t build --skip-nx-cache', args: ['--skip-nx-cache'], statuses: ['success'] },
  { id: 'cached', label: 'nx run-many -t build (cache hit)', args: [], statuses: ['local-cache', 'local-cache-kept-existing'] },
];
/** The first build of a workspace fills its cache: every task must really run. */
const PRIME = { id: 'prime', label: 'nx run-many -t build (fills the cache)', args: [], statuses: ['success'] };

const log = (msg) => console.log(msg);
const loads = loadSampler();
let tmpRoot;
let nxBin;
const roots = {};
// No daemon to stop: every command runs with NX_DAEMON=false. (session.mjs's stopDaemon, run without
// this script's NX_CACHE_DIRECTORY, would leave an empty ~/.nx/<id>/ behind for each workspace.)
const cleanup = cleanupOnExit([() => removeTree(tmpRoot)]);

/**
 * The repo's demo/ (sources and configs only: no node_modules, .nx or build outputs), linked to
 * the toolchain the way bench/lib/workspace.mjs links its workspaces, plus the @demo/* packages.
 */
function copyDemo(root, toolchainDir) {
  const skip = new Set(['node_modules', '.nx', 'dist', '.build-system']);
  cpSync(join(repoRoot, 'demo'), root, { recursive: true, filter: (src) => !skip.has(basename(src)) });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // The toolchain's devDependencies, so the root package.json matches the lockfile Nx hashes.
  pkg.devDependencies = JSON.parse(readFileSync(join(toolchainDir, 'package.json'), 'utf8')).devDependencies;
  writeFileSync(join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  copyFileSync(join(toolchainDir, 'package-lock.json'), join(root, 'package-lock.json'));
  writeFileSync(join(root, '.gitignore'), 'node_modules\ndist\n.nx\n.build-system\n');
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@demo'), { recursive: true });
  for (const entry of readdirSync(join(toolchainDir, 'node_modules'))) symlinkSync(join(toolchainDir, 'node_modules', entry), join(modules, entry), 'dir');
  symlinkSync(join('..', '..', 'packages', 'ui'), join(modules, '@demo/ui'), 'dir');
  symlinkSync(join('..', '..', 'apps', 'web'), join(modules, '@demo/web'), 'dir');
  // As in createWorkspace: Nx reads .gitignore to leave dist/ and .build-system/ out of the hashes.
  execFileSync('git', ['init', '-q'], { cwd: root });
}

/**
 * Daemon off, and the cache in the workspace: Nx 23.3 and 24 otherwise keep the cache of a workspace with
 * a git commit in ~/.nx/<id>/, shared by every checkout with the same first commit, where it would
 * outlive the temp folder and could be filled by another run.
 */
const nxEnvOf = (root) => nxEnv(false, { NX_CACHE_DIRECTORY: join(root, '.nx/cache') });

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);

// Per workspace: the prime build's bytes, which every uncached build and every restore must match.
const referenceOf = outputReferences();

/**
 * One timed `nx run-many -t build` with the outputs deleted first. Stops unless it exited 0, every
 * project's files are there with the bytes of the prime build, result.json says success and
 * matches its artifacts on disk, and the run summary lists every task with the status the variant
 * is timed for. Returns the run and the builds' own ms.
 */
async function runBuild(ws, variant, label) {
  const root = roots[ws.id];
  for (const p of ws.projects) {
    rmSync(join(root, p.root, 'dist'), { recursive: true, force: true });
    rmSync(join(root, p.root, '.build-system'), { recursive: true, force: true });
  }
  rmSync(join(root, '.nx/build-system/runs/latest.json'), { force: true });
  const run = await timeCommand([process.execPath, join(root, nxBin), 'run-many', '-t', 'build', ...variant.args], { cwd: root, env: nxEnvOf(root) });

  const problems = [];
  if (run.code !== 0) problems.push(`exit code ${run.code}${run.signal ? ` (${run.signal})` : ''}`);
  const reference = referenceOf(ws.id);
  const files = checkOutputFiles(root, ws.projects.flatMap((p) => p.files.map((f) => `${p.root}/${f}`)), reference);
  problems.push(...files.problems);
  const results = [];
  for (const p of ws.projects) {
    const { result, problems: resultProblems } = checkResultJson(root, p.root);
    problems.push(...resultProblems);
    if (result) results.push(result);
  }
  const summary = readJson(join(root, '.nx/build-system/runs/latest.json'));
  if (!summary) problems.push('no .nx/build-system/runs/latest.json');
  else {
    const tasks = summary.tasks ?? [];
    if (tasks.length !== ws.projects.length) problems.push(`the run summary lists ${tasks.length} tasks, expected ${ws.projects.length}`);
    const wrong = tasks.filter((t) => !variant.statuses.includes(t.status));
    if (wrong.length) problems.push(`tasks not ${variant.statuses.join(' / ')}: ${wrong.map((t) => `${t.project} ${t.status}`).join(', ')}`);
    const broken = tasks.filter((t) => t.integrity && !t.integrity.ok);
    if (broken.length) problems.push(`restored outputs fail the integrity check: ${JSON.stringify(broken[0].integrity)}`);
    if (summary.notRun?.length) problems.push(`not run: ${summary.notRun.join(', ')}`);
  }
  if (problems.length) {
    throw new BenchFailure(`${label}: ${problems.join('; ')}\n--- last lines of its output ---\n${run.output.split('\n').slice(-40).join('\n')}`);
  }
  recordReference(reference, files.sums);
  // What the builds themselves took (sequential here: @demo/web depends on @demo/ui). Only
  // meaningful when they ran: a cache hit restores the result.json of the run that filled the cache.
  const buildMs = results.reduce((sum, r) => sum + r.durationMs, 0);
  const builders = [...new Set(results.map((r) => `${r.builder.name} ${r.builder.version ?? ''}`.trim()))];
  return { ...run, buildMs, builders };
}

/** One table for every workspace: the uncached row with the builds' own time, the cached row with the ratio. */
function formatCacheTable(rows) {
  const header = ['package', 'command', 'median s', 'min–max s', 'cached/uncached', 'faster by', 'build itself (result.json)', 'runs'];
  const body = rows.map((r) => [
    r.variant === 'uncached' ? r.scenario : '',
    r.label,
    r.medianS.toFixed(2),
    `${r.minS.toFixed(2)}–${r.maxS.toFixed(2)}`,
    r.variant === 'cached' ? r.ratioToBaseline.toFixed(2) : '',
    r.variant === 'cached' ? `${Math.round((1 - r.ratioToBaseline) * 100)}%` : '',
    r.buildMs === undefined ? '' : `${(r.buildMs / 1000).toFixed(2)} s`,
    String(r.runs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [fmt(header), rule, ...body.map(fmt)].join('\n');
}

async function main() {
  const started = Date.now();
  const startLoad = loads.sample('start');
  log(`@repo/build-system cache benefit (SC-002): demo/ copy, medium tsc package (${mediumModules} modules), small esbuild package (${smallModules} modules); ${rounds} rounds`);
  log(`Load average 1/5/15 min at start: ${formatLoad(startLoad)}`);
  const toolchain = prepareToolchain(repoRoot, { log });
  nxBin = nxBinOf(toolchain.dir);

  tmpRoot = mkdtempSync(join(os.tmpdir(), 'bs-bench-cache-'));
  for (const ws of WORKSPACES) {
    roots[ws.id] = join(tmpRoot, ws.id);
    if (ws.id === 'demo') copyDemo(roots[ws.id], toolchain.dir);
    else {
      createWorkspace(roots[ws.id], { variant: 'plugin', packages: 1, modules: ws.modules, toolchainDir: toolchain.dir });
      writeFileSync(join(roots[ws.id], 'packages', PKG, 'build.config.ts'), `export default ${JSON.stringify(ws.config, null, 2)};\n`);
    }
  }
  log(`Workspaces: ${tmpRoot}/{${WORKSPACES.map((w) => w.id).join(',')}}`);

  const builders = {};
  log('\nPriming and warm-up (not timed): one build that fills each cache, then each command once');
  for (const ws of WORKSPACES) {
    const run = await runBuild(ws, PRIME, `[prime] ${ws.id}: ${PRIME.label}`);
    builders[ws.id] = run.builders.join(', ');
    log(`  ${ws.id} prime ${(run.ms / 1000).toFixed(2)}s (${builders[ws.id]})`);
  }
  const commands = WORKSPACES.flatMap((ws) => VARIANTS.map((v) => ({ ws, v, id: `${ws.id}/${v.id}` })));
  for (const c of commands) {
    const run = await runBuild(c.ws, c.v, `[warm-up] ${c.ws.id}: ${c.v.label}`);
    log(`  ${c.id} ${(run.ms / 1000).toFixed(2)}s`);
  }

  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const parts = [];
    for (const c of rotated(commands, round)) {
      const run = await runBuild(c.ws, c.v, `[round ${round}] ${c.ws.id}: ${c.v.label}`);
      runs.push({ round, workspace: c.ws.id, variant: c.v.id, ms: Math.round(run.ms), ...(c.v.id === 'uncached' ? { buildMs: run.buildMs } : {}) });
      parts.push(`${c.id} ${(run.ms / 1000).toFixed(2)}s`);
    }
    log(`  round ${round}/${rounds} (load ${os.loadavg()[0].toFixed(2)}): ${parts.join(', ')}`);
  }
  const endLoad = loads.sample('end');

  const rows = WORKSPACES.flatMap((ws) => {
    const mine = runs.filter((r) => r.workspace === ws.id);
    const scenario = { id: ws.id, variants: VARIANTS, runs: mine };
    const buildMs = median(mine.filter((r) => r.variant === 'uncached').map((r) => r.buildMs));
    return summarize(scenario, 'uncached').map((row) => (row.variant === 'uncached' ? { ...row, buildMs } : row));
  });

  const meta = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: machineInfo(),
    load: loads.all,
    node: process.version,
    versions: toolchain.versions,
    nested: toolchain.nested,
    plugin: gitState(repoRoot),
    options: { rounds, mediumModules, smallModules },
    workspaces: WORKSPACES.map((ws) => ({ id: ws.id, title: ws.title, builders: builders[ws.id], buildConfig: ws.config })),
  };
  logResultsHeader(log, meta, startLoad, endLoad);
  for (const ws of WORKSPACES) log(`  ${ws.id}: ${ws.title} (${builders[ws.id]})`);
  log('Daemon off; dist/ and .build-system/ deleted before every run, so a cached run restores them from .nx/cache.');
  log('Wall-clock seconds of the whole command; cached/uncached is the median over rounds of the two times in the same round;');
  log('faster by = 1 − that ratio; build itself = the median sum of the projects\' result.json durationMs in the uncached runs.');
  log(formatCacheTable(rows));

  const file = writeResults(repoRoot, 'cache-benefit', meta.date, { meta, rows, runs });
  log(`\nWritten: ${file}`);
}

runBenchmark(main, cleanup);
