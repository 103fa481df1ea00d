#!/usr/bin/env node
// node bench/in-process-adapters.mjs [--rounds=5] [--small=10] [--large=1500]
//
// The in-process bundler adapters (esbuild, rollup, rolldown) on the same package, through the
// engine's runBuild (dist/, so `node scripts/build.mjs` first), without Nx: one small package and
// one large lib from bench/lib/workspace.mjs. Each builder gets its own workspace; one warm-up
// build each, then rounds interleaved with a rotating order, every build with `clean: true`.
// Wall time and CPU time per build: this process's (rollup's and rolldown's threads included) plus
// the esbuild service's (a child process; read from /proc, Linux only). Not a test: it asserts
// nothing about speed, but stops if a build fails or did not write dist/index.js.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/measure.mjs';
import { removeTree, rotated } from './lib/session.mjs';
import { createWorkspace, packageName } from './lib/workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runBuild } = createRequire(import.meta.url)('../dist/index.js');
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, small: { type: 'string', default: '10' }, large: { type: 'string', default: '1500' } },
});
const BUILDERS = ['esbuild', 'rollup', 'rolldown'];
const SIZES = [
  { id: 'small', modules: Number(args.small) },
  { id: 'large', modules: Number(args.large) },
];
const PKG = packageName(0);
const TICK_MS = 1000 / 100; // /proc/<pid>/stat counts CPU in clock ticks (USER_HZ, 100 on Linux)

/** CPU ms of this process's children (the esbuild service), from /proc; 0 where there is none. */
function childrenCpuMs() {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

function ownCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function timedBuild(root) {
  const cpu0 = ownCpuMs() + childrenCpuMs();
  const t0 = performance.now();
  const result = await runBuild({ project: PKG, workspaceRoot: root, packageRoot: `packages/${PKG}`, clean: true, env: { PATH: process.env.PATH ?? '' } });
  const ms = performance.now() - t0;
  const cpuMs = ownCpuMs() + childrenCpuMs() - cpu0;
  if (result.status !== 'success' || !existsSync(join(root, 'packages', PKG, 'dist/index.js'))) {
    throw new Error(`${root}: ${result.status} ${JSON.stringify(result.errors)}`);
  }
  return { ms, cpuMs, version: result.builder.version };
}

const temp = realpathSync(mkdtempSync(join(os.tmpdir(), 'bs-in-process-')));
try {
  const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  console.log(`start: ${uptime()}; ${os.cpus().length} cores; Node ${process.version}`);
  const workspaces = [];
  for (const size of SIZES) {
    for (const builder of BUILDERS) {
      const root = join(temp, `${size.id}-${builder}`);
      execFileSync('mkdir', ['-p', root]);
      createWorkspace(root, { variant: 'plugin', packages: 1, modules: size.modules, toolchainDir: repoRoot });
      writeFileSync(join(root, 'packages', PKG, 'build.config.ts'), `export default { entry: 'src/index.ts', formats: ['esm'], builder: '${builder}' };\n`);
      workspaces.push({ size: size.id, builder, root, runs: [] });
    }
  }
  for (const w of workspaces) w.version = (await timedBuild(w.root)).version; // warm-up
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const w of rotated(workspaces, round)) w.runs.push(await timedBuild(w.root));
    console.log(`round ${round}: load ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  }
  console.log(`end: ${uptime()}\n`);
  console.log('| package | builder | median wall ms | median CPU ms | wall ms, each round |');
  console.log('|---|---|---:|---:|---|');
  for (const w of workspaces) {
    const size = SIZES.find((s) => s.id === w.size);
    const walls = w.runs.map((r) => r.ms);
    console.log(
      `| ${w.size} (${size.modules} modules) | ${w.builder} ${w.version} | ${median(walls).toFixed(0)} | ${median(w.runs.map((r) => r.cpuMs)).toFixed(0)} | ${walls.map((m) => m.toFixed(0)).join(', ')} |`,
    );
  }
} finally {
  removeTree(temp);
}
