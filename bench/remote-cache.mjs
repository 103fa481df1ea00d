#!/usr/bin/env node
// npm run bench:remote-cache [-- --rounds=N --packages=N --modules=N --parallel=N]
//
// Two copies of the same plugin workspace and a loopback remote cache (Nx's self-hosted protocol,
// GET/PUT /v1/cache/{hash}, served from this process). Copy A builds everything and fills the
// cache; then, in interleaved rounds on copy B, (a) all packages restored from the remote cache
// against (b) all packages rebuilt locally. Not a test: it asserts nothing about speed, but stops
// if a run did not do what it is timed for. See docs/performance.md.
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareToolchain } from './lib/install.mjs';
import { BenchFailure, formatTable, outputReferences, removeOutputs, summarize, timeCommand, verifyBuilt } from './lib/measure.mjs';
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
  stopDaemon,
  writeResults,
} from './lib/session.mjs';
import { createWorkspace, packageName } from './lib/workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      packages: { type: 'string', default: '50' },
      modules: { type: 'string', default: '10' },
      parallel: { type: 'string', default: '2' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`${e.message} (npm run bench:remote-cache -- --help)`);
  process.exit(2);
}
if (args.help) {
  console.log(`Usage: npm run bench:remote-cache -- [options]
  --rounds=N     timed rounds (default 5); each runs (a) and (b) once, after one warm-up of each
  --packages=N   packages in the workspace (default 50, at most 999)
  --modules=N    TypeScript modules per package (default 10)
  --parallel=N   nx run-many --parallel (default 2, as in npm run bench)`);
  process.exit(0);
}
const positive = (name, max = Infinity) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} must be an integer from 1 to ${max}, got "${args[name]}".`);
    process.exit(2);
  }
  return n;
};
const rounds = positive('rounds');
const packages = positive('packages', 999);
const modules = positive('modules');
const parallel = positive('parallel');
const all = Array.from({ length: packages }, (_, i) => packageName(i));

// ---- the remote cache: in memory, loopback only, bounded ---------------------------------------
const LIMITS = { entryBytes: 64 * 2 ** 20, totalBytes: 1024 * 2 ** 20, entries: 10_000 };

function startCacheServer() {
  const entries = new Map();
  const stats = { getHit: 0, getMiss: 0, put: 0, putConflict: 0, rejected: 0, bytesIn: 0, bytesOut: 0 };
  let totalBytes = 0;
  const server = createServer((req, res) => {
    const match = req.url?.match(/^\/v1\/cache\/([A-Za-z0-9._-]{1,200})$/);
    if (!match) return res.writeHead(404).end();
    const hash = match[1];
    if (req.method === 'GET') {
      const body = entries.get(hash);
      if (!body) {
        stats.getMiss++;
        return res.writeHead(404).end();
      }
      stats.getHit++;
      stats.bytesOut += body.length;
      return res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
    }
    if (req.method === 'PUT') {
      if (entries.has(hash)) {
        stats.putConflict++;
        req.resume();
        return res.writeHead(409).end();
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      const full = entries.size >= LIMITS.entries || totalBytes + declared > LIMITS.totalBytes;
      if (declared > LIMITS.entryBytes || full) {
        stats.rejected++;
        res.writeHead(full ? 507 : 413, { Connection: 'close' }).end();
        return req.destroy();
      }
      const chunks = [];
      let size = 0;
      req.on('data', (c) => {
        size += c.length;
        if (size > LIMITS.entryBytes || totalBytes + size > LIMITS.totalBytes) {
          stats.rejected++;
          res.writeHead(413, { Connection: 'close' }).end();
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        const body = Buffer.concat(chunks);
        entries.set(hash, body);
        totalBytes += body.length;
        stats.put++;
        stats.bytesIn += body.length;
        res.writeHead(200).end();
      });
      return;
    }
    res.writeHead(405).end();
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolvePromise({ server, url: `http://127.0.0.1:${server.address().port}`, entries, stats, size: () => totalBytes }),
    );
  });
}

// ---- runs ---------------------------------------------------------------------------------------
const log = (msg) => console.log(msg);
const loads = loadSampler();
let tmpRoot;
let nxBin;
let cache;
const roots = {};
const cleanup = cleanupOnExit([
  () => {
    if (nxBin) for (const root of Object.values(roots)) stopDaemon(root, nxBin);
  },
  () => removeTree(tmpRoot),
  () => {
    cache?.server.closeAllConnections();
    cache?.server.close();
  },
]);

const VARIANTS = [
  { id: 'remote', label: '(a) restore all from the remote cache', skipCache: false, remote: true, status: 'remote-cache' },
  { id: 'local', label: '(b) local rebuild (--skip-nx-cache)', skipCache: true, remote: false, status: 'success' },
];

function summaryOf(root) {
  const file = join(root, '.nx/build-system/runs/latest.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

// Per variant: copy A's build sets the bytes that every restore from the remote cache must have.
const referenceOf = outputReferences();

/** Runs `nx run-many -t build` in a copy; checks exit code, the outputs' bytes, results and the run summary. */
async function runBuild(root, variant, label) {
  removeOutputs(root, all);
  rmSync(join(root, '.nx/cache'), { recursive: true, force: true });
  rmSync(join(root, '.nx/build-system/runs/latest.json'), { force: true });
  const before = { ...cache.stats };
  const argv = [process.execPath, join(root, nxBin), 'run-many', '-t', 'build', `--parallel=${parallel}`, ...(variant.skipCache ? ['--skip-nx-cache'] : [])];
  const env = nxEnv(false, variant.remote ? { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url } : {});
  const run = await timeCommand(argv, { cwd: root, env });
  verifyBuilt(run, { label, workspaceRoot: root, packages: all, reference: referenceOf(variant.id), checkResultJson: true });

  const problems = [];
  const summary = summaryOf(root);
  if (!summary) problems.push('no .nx/build-system/runs/latest.json');
  else {
    const tasks = summary.tasks ?? [];
    if (tasks.length !== packages) problems.push(`the run summary lists ${tasks.length} tasks, expected ${packages}`);
    const wrong = tasks.filter((t) => t.status !== variant.status);
    if (wrong.length) problems.push(`${wrong.length} tasks are not ${variant.status}: ${wrong.slice(0, 5).map((t) => `${t.project} ${t.status}`).join(', ')}`);
    const broken = tasks.filter((t) => t.integrity && !t.integrity.ok);
    if (broken.length) problems.push(`${broken.length} restored tasks fail the integrity check: ${JSON.stringify(broken[0].integrity)}`);
    if (summary.notRun?.length) problems.push(`not run: ${summary.notRun.join(', ')}`);
  }
  const gets = cache.stats.getHit - before.getHit;
  if (variant.status === 'remote-cache' && gets !== packages) problems.push(`the cache server served ${gets} entries, expected ${packages}`);
  if (problems.length) {
    throw new BenchFailure(`${label}: ${problems.join('; ')}\n--- last lines of its output ---\n${run.output.split('\n').slice(-40).join('\n')}`);
  }
  return run;
}

async function main() {
  const started = Date.now();
  const startLoad = loads.sample('start');
  log(`@repo/build-system remote-cache benchmark: ${packages} packages × ${modules} modules; ${rounds} rounds; --parallel=${parallel}`);
  log(`Load average 1/5/15 min at start: ${formatLoad(startLoad)}`);
  const toolchain = prepareToolchain(repoRoot, { log });
  nxBin = nxBinOf(toolchain.dir);
  cache = await startCacheServer();
  log(`Remote cache: ${cache.url} (in this process; at most ${LIMITS.entryBytes / 2 ** 20} MiB an entry, ${LIMITS.totalBytes / 2 ** 20} MiB in all)`);

  tmpRoot = mkdtempSync(join(os.tmpdir(), 'bs-bench-remote-'));
  for (const copy of ['a', 'b']) {
    roots[copy] = join(tmpRoot, copy);
    createWorkspace(roots[copy], { variant: 'plugin', packages, modules, toolchainDir: toolchain.dir });
  }
  log(`Workspaces: ${tmpRoot}/{a,b} (the same files in two folders)`);

  // Copy A fills the remote cache: a normal build, every task a miss, every result uploaded.
  const fill = await runBuild(roots.a, { ...VARIANTS[0], status: 'success' }, '[copy A] nx run-many -t build (fills the remote cache)');
  if (cache.stats.put < packages) throw new BenchFailure(`copy A uploaded ${cache.stats.put} cache entries, expected ${packages}.`);
  log(`Copy A built ${packages} packages in ${(fill.ms / 1000).toFixed(2)} s and uploaded ${cache.stats.put} entries (${(cache.size() / 2 ** 20).toFixed(2)} MiB).`);
  stopDaemon(roots.a, nxBin);

  log('\nWarm-up on copy B (not timed): each variant once');
  for (const v of VARIANTS) {
    const run = await runBuild(roots.b, v, `[warm-up] ${v.label}`);
    log(`  ${v.id} ${(run.ms / 1000).toFixed(2)}s`);
  }
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const parts = [];
    for (const v of rotated(VARIANTS, round)) {
      const run = await runBuild(roots.b, v, `[round ${round}] ${v.label}`);
      runs.push({ round, variant: v.id, ms: Math.round(run.ms) });
      parts.push(`${v.id} ${(run.ms / 1000).toFixed(2)}s`);
    }
    log(`  round ${round}/${rounds} (load ${os.loadavg()[0].toFixed(2)}): ${parts.join(', ')}`);
  }
  const endLoad = loads.sample('end');

  const scenario = {
    id: 'remote-cache',
    title: `${packages} packages on copy B (nx run-many -t build --parallel=${parallel}, daemon off; outputs, .build-system and .nx/cache deleted before every run)`,
    variants: VARIANTS,
    runs,
  };
  const rows = summarize(scenario, 'local');
  const meta = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: machineInfo(),
    load: loads.all,
    node: process.version,
    versions: toolchain.versions,
    nested: toolchain.nested,
    plugin: gitState(repoRoot),
    options: { rounds, packages, modules, parallel },
    fillMs: Math.round(fill.ms),
    cacheServer: { ...cache.stats, entries: cache.entries.size, bytes: cache.size() },
  };
  logResultsHeader(log, meta, startLoad, endLoad);
  log('Times are wall-clock seconds of the whole command; × local is the median over rounds of (a) / (b) in the same round.');
  log(formatTable([scenario], rows, 'local'));
  const s = meta.cacheServer;
  log(`\nCache server: ${s.entries} entries, ${(s.bytes / 2 ** 20).toFixed(2)} MiB; ${s.put} PUT stored, ${s.putConflict} PUT conflicts, ${s.rejected} rejected; ${s.getHit} GET hits, ${s.getMiss} misses.`);

  const file = writeResults(repoRoot, 'remote-cache', meta.date, { meta, rows, runs });
  log(`\nWritten: ${file}`);
}

runBenchmark(main, cleanup);
