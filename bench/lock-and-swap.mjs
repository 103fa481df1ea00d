#!/usr/bin/env node
// npm run bench:lock [-- --iterations=N --trials=N --rounds=N --files=N --only=a,b,c --quick]
//
// Micro-benchmark of the package lock and of the staging swap (see docs/performance.md, "Locks and
// atomic outputs"). Not a test: it prints numbers and asserts nothing about speed. It stops with
// exit code 1 if a build fails or a measurement is impossible.
//
//   (a) lock overhead: acquirePackageLock + release, uncontended, in this process
//   (b) wait-to-start: this process holds the lock; a second process is already waiting for it;
//       this process releases it at T, the waiter holds it at T'. Reported: T' - T. Both sides
//       read the same clock (process.hrtime: CLOCK_MONOTONIC, system-wide on Linux).
//   (c) 10,000 output files: runBuild with a custom module builder that writes them into the
//       staging folder (result.durationMs), and the swap alone: commitStaging on a 10,000-file
//       staging folder replacing a 10,000-file outDir.
//
// The engine runs from src/: src/engine/{lock,staging,run-build,artifacts}.ts are bundled with
// esbuild into a temporary .cjs (packages left external, resolved through a node_modules link to
// this repo's), the way test/unit/engine/lock.test.ts bundles lock.ts.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string' },
    trials: { type: 'string' },
    rounds: { type: 'string' },
    files: { type: 'string' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    child: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

async function main() {
  const int = (name, fallback) => {
    const v = args[name];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--${name} must be a positive integer, got "${v}".`);
      process.exit(2);
    }
    return n;
  };
  const iterations = int('iterations', args.quick ? 100 : 500);
  const trials = int('trials', args.quick ? 8 : 30);
  const rounds = int('rounds', args.quick ? 2 : 5);
  const files = int('files', 10_000);
  const only = new Set((args.only ?? 'a,b,c').split(',').map((s) => s.trim()));
  for (const part of only) {
    if (!['a', 'b', 'c'].includes(part)) {
      console.error(`--only takes a comma-separated list of a, b, c; got "${args.only}".`);
      process.exit(2);
    }
  }

  const scratch = realpathSync(mkdtempSync(join(os.tmpdir(), 'bs-bench-lock-')));
  let child;
  const cleanup = () => {
    child?.kill();
    rmSync(scratch, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      cleanup();
      process.exit(130);
    });
  }

  try {
    console.log(`lock-and-swap micro-benchmark: node ${process.version}, ${os.platform()} ${os.release()}, ${os.cpus().length} CPUs, tmpdir ${os.tmpdir()}`);
    console.log(`lock.ts sha256 ${sha256(readFileSync(join(repoRoot, 'src/engine/lock.ts')))}`);
    console.log(`load average at start: ${loadavg()}`);

    const bundle = await bundleEngine(scratch);
    const require = createRequire(import.meta.url);
    const engine = require(bundle);

    // (a) Uncontended acquire + release, in process.
    if (only.has('a')) {
      const file = join(scratch, 'a/.build-system/lock');
      for (let i = 0; i < 50; i++) await (await engine.acquirePackageLock(file)).release(); // warm-up
      const acquire = [];
      const release = [];
      const total = [];
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        const lock = await engine.acquirePackageLock(file);
        const t1 = performance.now();
        await lock.release();
        const t2 = performance.now();
        acquire.push(t1 - t0);
        release.push(t2 - t1);
        total.push(t2 - t0);
      }
      console.log(`\n(a) lock overhead, uncontended, in process: ${iterations} iterations (after 50 warm-up), ms`);
      printTable([
        ['acquire + release', total],
        ['acquire', acquire],
        ['release', release],
      ], 3);
    }

    // (b) Wait-to-start latency across processes.
    if (only.has('b')) {
      const file = join(scratch, 'b/pkg/.build-system/lock');
      mkdirSync(dirname(file), { recursive: true });
      child = fork(fileURLToPath(import.meta.url), [`--child=${bundle}`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const inbox = messageQueue(child);
      await inbox.next('ready');
      // How long the holder keeps the lock after the waiter started waiting: uniform in [0, 1000) ms
      // from a fixed-seed PRNG, so the waiter is caught at every point of its backoff, the same way
      // in every run.
      const random = mulberry32(42);
      const latency = [];
      const waited = [];
      for (let i = 0; i < trials; i++) {
        const hold = Math.floor(random() * 1000);
        const lock = await engine.acquirePackageLock(file);
        child.send({ type: 'go', file });
        await inbox.next('waiting');
        await sleep(hold);
        await lock.release();
        const released = process.hrtime.bigint();
        const acquired = await inbox.next('acquired');
        latency.push(Number(BigInt(acquired.t) - released) / 1e6);
        waited.push(acquired.waitedMs);
        await inbox.next('released');
      }
      child.send({ type: 'exit' });
      await new Promise((resolve) => child.once('exit', resolve));
      child = undefined;
      console.log(`\n(b) wait-to-start across processes: ${trials} trials, holder releases 0-1000 ms after the waiter started waiting, ms`);
      printTable([
        ["T' - T (release -> waiter holds)", latency],
        ['waiter waitedMs (whole wait)', waited],
      ], 1);
    }

    // (c) 10,000 files through runBuild, and the swap alone.
    if (only.has('c')) {
      const ws = join(scratch, 'c');
      const pkg = join(ws, 'packages/lib');
      writeTree(ws, {
        'package.json': JSON.stringify({ name: 'bench-ws', private: true }),
        'packages/lib/package.json': JSON.stringify({ name: 'lib', version: '1.0.0', type: 'module' }),
        'packages/lib/src/index.ts': 'export const x = 1;\n',
        'packages/lib/scripts/many-files.mjs': MANY_FILES_MODULE,
      });
      const setRound = (round) =>
        writeFileSync(
          join(pkg, 'build.config.ts'),
          `import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({ builder: 'custom', builderOptions: { module: 'scripts/many-files.mjs', count: ${files}, round: ${round} } });\n`,
        );
      const buildOnce = async (round) => {
        setRound(round);
        const t0 = performance.now();
        const result = await engine.runBuild({ project: 'lib', workspaceRoot: ws, packageRoot: 'packages/lib', env: { PATH: process.env.PATH ?? '' } });
        const wall = performance.now() - t0;
        if (result.status !== 'success' || result.artifacts.length !== files) {
          throw new Error(`build ${round} failed or listed ${result.artifacts.length} artifacts: ${JSON.stringify(result.errors)}`);
        }
        return { result, wall, writeMs: Number(readFileSync(join(pkg, 'write-ms.txt'), 'utf8')) };
      };
      await buildOnce(0); // warm-up: also leaves a 10,000-file dist for round 1 to replace
      const duration = [];
      const wall = [];
      const write = [];
      for (let r = 1; r <= rounds; r++) {
        const { result, wall: w, writeMs } = await buildOnce(r);
        duration.push(result.durationMs);
        wall.push(w);
        write.push(writeMs);
      }
      const collect = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        const listed = await engine.collectArtifacts({ workspaceRoot: ws, packageRoot: pkg, outDir: join(pkg, 'dist'), globs: [], kinds: new Map() });
        collect.push(performance.now() - t0);
        if (listed.length !== files) throw new Error(`collectArtifacts listed ${listed.length} files`);
      }

      // The swap alone, on its own folder: a 10,000-file outDir replaced by a 10,000-file staging folder.
      const outDir = join(scratch, 'swap/dist');
      await writeMany(outDir, files, 'initial');
      const commit = [];
      const renames = [];
      const removeOld = [];
      for (let r = 0; r < rounds; r++) {
        const staging = await engine.createStaging(outDir);
        await writeMany(staging.dir, files, `commit ${r}`);
        let t0 = performance.now();
        await engine.commitStaging(staging);
        commit.push(performance.now() - t0);
        // The same two renames and removal commitStaging does, timed apart.
        const staging2 = await engine.createStaging(outDir);
        await writeMany(staging2.dir, files, `replica ${r}`);
        const retired = join(dirname(outDir), `.dist.old-${process.pid}-bench${r}`);
        t0 = performance.now();
        await rename(outDir, retired);
        await rename(staging2.dir, outDir);
        const t1 = performance.now();
        await rm(retired, { recursive: true, force: true });
        renames.push(t1 - t0);
        removeOld.push(performance.now() - t1);
      }
      console.log(`\n(c) ${files} output files: ${rounds} rounds (after 1 warm-up build), ms`);
      printTable([
        ['runBuild: result.durationMs', duration],
        ['runBuild: wall clock', wall],
        ['  of which the module writing files', write],
        ['collectArtifacts (size + sha256)', collect],
        ['commitStaging (2 renames + rm old)', commit],
        ['  the 2 renames alone', renames],
        ['  rm of the old tree', removeOld],
      ], 1);
    }

    console.log(`\nload average at end: ${loadavg()}`);
  } catch (e) {
    console.error(`bench:lock failed: ${e?.stack ?? e}`);
    process.exitCode = 1;
  } finally {
    cleanup();
  }
}

/** The waiting process of (b): on "go", waits for the lock, says when it holds it, releases it. */
async function runWaiter(bundle) {
  const { acquirePackageLock } = createRequire(import.meta.url)(bundle);
  process.on('message', async (m) => {
    if (m.type === 'exit') process.exit(0);
    if (m.type !== 'go') return;
    const lock = await acquirePackageLock(m.file, { onWait: () => process.send({ type: 'waiting' }) });
    const t = process.hrtime.bigint();
    process.send({ type: 'acquired', t: String(t), waitedMs: lock.waitedMs });
    await lock.release();
    process.send({ type: 'released' });
  });
  process.send({ type: 'ready' });
}

async function bundleEngine(scratch) {
  const outfile = join(scratch, 'engine.cjs');
  await build({
    stdin: {
      contents: [
        "export { acquirePackageLock } from './src/engine/lock';",
        "export { createStaging, commitStaging } from './src/engine/staging';",
        "export { runBuild } from './src/engine/run-build';",
        "export { collectArtifacts } from './src/engine/artifacts';",
      ].join('\n'),
      resolveDir: repoRoot,
      loader: 'ts',
      sourcefile: 'bench-engine.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  // Packages (esbuild, tinyglobby, zod) resolve from the bundle's folder: link this repo's.
  symlinkSync(join(repoRoot, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  return outfile;
}

/** Writes `count` files into a0..a9/b0..b9/f000.txt...: the layout test/unit/engine/many-files.test.ts uses. */
async function writeMany(dir, count, tag) {
  const made = new Set();
  for (let i = 0; i < count; i++) {
    const rel = relOf(i);
    const sub = join(dir, dirname(rel));
    if (!made.has(sub)) {
      await mkdir(sub, { recursive: true });
      made.add(sub);
    }
    await writeFile(join(dir, rel), `${tag} ${rel} ${'x'.repeat(i % 50)}\n`);
  }
}

function relOf(i) {
  return `a${Math.floor(i / 1000)}/b${Math.floor(i / 100) % 10}/f${String(i % 100).padStart(3, '0')}.txt`;
}

const MANY_FILES_MODULE = `import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export default async function build(input) {
  const { count, round } = input.builderOptions;
  const t0 = performance.now();
  const made = new Set();
  for (let i = 0; i < count; i++) {
    const rel = 'a' + Math.floor(i / 1000) + '/b' + (Math.floor(i / 100) % 10) + '/f' + String(i % 100).padStart(3, '0') + '.txt';
    const file = join(input.outDir, rel);
    const dir = dirname(file);
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    writeFileSync(file, 'round ' + round + ' ' + rel + ' ' + 'x'.repeat(i % 50) + '\\n');
  }
  writeFileSync(join(input.packageRoot, 'write-ms.txt'), String(performance.now() - t0));
}
`;

function writeTree(root, tree) {
  for (const [rel, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** Messages from a child, awaited in order by type. */
function messageQueue(child) {
  const queued = [];
  let waiting;
  child.on('message', (m) => {
    queued.push(m);
    waiting?.();
  });
  child.on('exit', (code) => {
    queued.push({ type: 'exit', code });
    waiting?.();
  });
  return {
    async next(type) {
      for (;;) {
        const i = queued.findIndex((m) => m.type === type || m.type === 'exit');
        if (i >= 0) {
          const [m] = queued.splice(i, 1);
          if (m.type === 'exit' && type !== 'exit') throw new Error(`the waiting process exited (code ${m.code}) before "${type}"`);
          return m;
        }
        await new Promise((resolve) => (waiting = resolve));
        waiting = undefined;
      }
    },
  };
}

function printTable(rows, digits) {
  const header = ['', 'median', 'p95', 'min', 'max', 'mean', 'n'];
  const lines = rows.map(([label, values]) => {
    const s = summarize(values);
    return [label, ...[s.median, s.p95, s.min, s.max, s.mean].map((v) => v.toFixed(digits)), String(values.length)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}

function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  return {
    median: sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2,
    p95: at(0.95),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sha256(buffer) {
  return createHash('sha256').update(buffer).digest('hex').slice(0, 12);
}

function loadavg() {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --child=<bundle>: the waiting process of (b). Driven over IPC by the parent.
if (args.child) {
  await runWaiter(args.child);
} else {
  if (args.help) {
    console.log(`Usage: npm run bench:lock -- [options]
  --iterations=N  (a) uncontended acquire+release iterations (default 500; --quick: 100)
  --trials=N      (b) wait-to-start trials, against one waiting child process (default 30; --quick: 8)
  --rounds=N      (c) timed rounds of the 10,000-file build and swap (default 5; --quick: 2)
  --files=N       (c) files per build (default 10000)
  --only=LIST     comma-separated parts to run: a, b, c (default: all)
  --quick         fewer iterations: a smoke run`);
    process.exit(0);
  }
  await main();
}
