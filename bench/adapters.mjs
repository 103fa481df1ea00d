#!/usr/bin/env node
// npm run bench:adapters [-- --rounds=N --modules=N --tools=esbuild,tsc]
//
// One small library package built by each builder adapter of the plugin (esbuild, bun, tsc,
// rollup, custom) through `nx run p000:build --skip-nx-cache`, next to the same tool called through
// `nx:run-commands`. Every command gets its own one-package workspace; rounds are interleaved and
// the order rotates. Not a test: it asserts nothing about speed, but stops if a build fails or did
// not write its output. See docs/performance.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const PKG = packageName(0);
const TOOL_IDS = ['esbuild', 'bun', 'tsc', 'rollup', 'custom'];

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      modules: { type: 'string', default: '10' },
      tools: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`${e.message} (npm run bench:adapters -- --help)`);
  process.exit(2);
}
if (args.help) {
  console.log(`Usage: npm run bench:adapters -- [options]
  --rounds=N     timed rounds (default 5); every command runs once per round, after one warm-up run
  --modules=N    TypeScript modules in the package (default 10)
  --tools=LIST   comma-separated, from: ${TOOL_IDS.join(', ')} (default: all)`);
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
const modules = positive('modules');
const tools = args.tools ? args.tools.split(',').map((s) => s.trim()) : TOOL_IDS;
for (const t of tools) {
  if (!TOOL_IDS.includes(t)) {
    console.error(`--tools: unknown tool "${t}"; known: ${TOOL_IDS.join(', ')}.`);
    process.exit(2);
  }
}

// The run-commands rollup build: the same pipeline as the plugin's rollup adapter in its default
// mode (relative imports resolved to .ts, each module compiled by esbuild's transform, one ES bundle),
// written as the tiny config a project would have.
const ROLLUP_CONFIG = `import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { transform } from 'esbuild';

const isFile = (f) => { try { return statSync(f).isFile(); } catch { return false; } };

export default {
  input: { index: 'src/index.ts' },
  plugins: [
    {
      name: 'typescript-via-esbuild',
      resolveId(source, importer) {
        if (!importer || !source.startsWith('.')) return null;
        const base = resolve(dirname(importer), source);
        return [base.replace(/\\.js$/, '.ts'), base, base + '.ts'].find(isFile) ?? null;
      },
      async transform(code, id) {
        if (!id.endsWith('.ts')) return null;
        const out = await transform(code, { loader: 'ts', sourcefile: id, sourcemap: 'external', target: 'es2022' });
        return { code: out.code, map: out.map };
      },
    },
  ],
  output: { dir: 'dist', format: 'es', entryFileNames: '[name].js' },
};
`;

const ESBUILD_ARGS = 'src/index.ts --bundle --format=esm --platform=node --packages=external';

/**
 * The timed commands. Each has its own workspace (named by id) with one package; `tool` groups a
 * plugin command with the run-commands command it is compared with.
 */
function commands(bunRel) {
  const plugin = (tool, config, extra = {}) => ({ id: `plugin-${tool}`, tool, kind: 'plugin', builder: config.builder, config, files: extra });
  const rc = (tool, command, cli, files = {}) => ({ id: `run-commands-${tool}`, tool, kind: 'run-commands', command, cli, files });
  const all = [
    plugin('esbuild', { builder: 'esbuild' }),
    rc('esbuild', `esbuild ${ESBUILD_ARGS} --outdir=dist`, 'esbuild CLI'),
    plugin('bun', { builder: 'bun' }),
    rc('bun', `${bunRel} build src/index.ts --outdir=dist --format=esm --target=node`, 'bun build CLI'),
    plugin('tsc', { builder: 'tsc' }),
    rc('tsc', 'tsc -p tsconfig.json', 'tsc -p'),
    plugin('rollup', { builder: 'rollup' }),
    rc('rollup', 'rollup -c rollup.config.mjs', 'rollup -c', { 'rollup.config.mjs': ROLLUP_CONFIG }),
    plugin('custom', {
      builder: 'custom',
      builderOptions: { command: `"$BUILD_SYSTEM_WORKSPACE_ROOT/node_modules/.bin/esbuild" ${ESBUILD_ARGS} --outdir="$BUILD_SYSTEM_OUT_DIR"` },
    }),
  ];
  // `custom` runs the esbuild CLI, so it is compared with run-commands-esbuild (kept whenever custom is).
  const wantedTools = new Set(tools);
  return all.filter((c) => wantedTools.has(c.tool) || (c.id === 'run-commands-esbuild' && wantedTools.has('custom')));
}

/** The run-commands command a tool's plugin row is compared with. */
const baselineOf = (tool) => (tool === 'custom' ? 'run-commands-esbuild' : `run-commands-${tool}`);

function writeWiring(root, cmd) {
  const dir = join(root, 'packages', PKG);
  for (const [file, content] of Object.entries(cmd.files)) writeFileSync(join(dir, file), content);
  if (cmd.kind === 'plugin') {
    const config = { entry: 'src/index.ts', formats: ['esm'], ...cmd.config };
    writeFileSync(join(dir, 'build.config.ts'), `export default ${JSON.stringify(config, null, 2)};\n`);
    return;
  }
  writeFileSync(
    join(dir, 'project.json'),
    `${JSON.stringify(
      {
        name: PKG,
        $schema: '../../node_modules/nx/schemas/project-schema.json',
        sourceRoot: `packages/${PKG}/src`,
        projectType: 'library',
        targets: {
          build: {
            executor: 'nx:run-commands',
            cache: true,
            dependsOn: ['^build'],
            outputs: ['{projectRoot}/dist'],
            options: { command: cmd.command, cwd: `packages/${PKG}` },
          },
        },
      },
      null,
      2,
    )}\n`,
  );
}

/**
 * The bun binary the plugin's adapter would pick in this toolchain (npm here skips install scripts,
 * so node_modules/.bin/bun is bun's placeholder and the real binary is the platform package's).
 */
function findBun(toolchainDir) {
  const candidates = ['node_modules/.bin/bun', 'node_modules/bun/bin/bun.exe'];
  const oven = join(toolchainDir, 'node_modules/@oven');
  if (existsSync(oven)) {
    const names = readdirSync(oven).sort((a, b) => a.length - b.length); // bun-linux-x64 before …-baseline
    for (const n of names) candidates.push(`node_modules/@oven/${n}/bin/bun`);
  }
  for (const rel of candidates) {
    const file = join(toolchainDir, rel);
    if (!existsSync(file)) continue;
    const probe = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0 && /^\d+\.\d+/.test(probe.stdout.trim())) return { rel, version: probe.stdout.trim() };
  }
  throw new BenchFailure(`No working bun binary in ${toolchainDir}/node_modules (tried ${candidates.join(', ')}).`);
}

const log = (msg) => console.log(msg);
const loads = loadSampler();
let tmpRoot;
let nxBin;
const workspaces = {};
const cleanup = cleanupOnExit([
  () => {
    if (nxBin) for (const root of Object.values(workspaces)) stopDaemon(root, nxBin);
  },
  () => removeTree(tmpRoot),
]);

// Each command's dist/index.js: its warm-up's bytes are what every round must write again.
const referenceOf = outputReferences();

async function runOnce(cmd, label, expectedBun) {
  const root = workspaces[cmd.id];
  removeOutputs(root, [PKG]);
  const run = await timeCommand([process.execPath, join(root, nxBin), 'run', `${PKG}:build`, '--skip-nx-cache'], { cwd: root, env: nxEnv(false) });
  verifyBuilt(run, { label, workspaceRoot: root, packages: [PKG], reference: referenceOf(cmd.id), checkResultJson: cmd.kind === 'plugin' });
  const dist = join(root, 'packages', PKG, 'dist');
  const fail = (why) => {
    throw new BenchFailure(`${label}: ${why}\n--- last lines of its output ---\n${run.output.split('\n').slice(-40).join('\n')}`);
  };
  if (!readFileSync(join(dist, 'index.js'), 'utf8').includes(PKG)) fail('dist/index.js does not contain the package (no real build output)');
  if (cmd.kind === 'plugin') {
    const result = JSON.parse(readFileSync(join(root, 'packages', PKG, '.build-system', 'result.json'), 'utf8'));
    if (result.builder?.name !== cmd.builder) fail(`result.json says builder ${result.builder?.name}, expected ${cmd.builder}`);
    if (cmd.builder === 'bun' && result.builder.version !== expectedBun) fail(`the plugin ran bun ${result.builder.version}, the run-commands row runs ${expectedBun}`);
  }
  // Files in dist/, without the plugin's ownership marker (.build-system-output) in every output folder it writes.
  const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name !== '.build-system-output');
  return { ...run, distFiles: files.length };
}

async function main() {
  const started = Date.now();
  const startLoad = loads.sample('start');
  log(`@repo/build-system adapter benchmark: one package × ${modules} modules; ${rounds} rounds; tools ${tools.join(', ')}`);
  log(`Load average 1/5/15 min at start: ${formatLoad(startLoad)}`);
  const toolchain = prepareToolchain(repoRoot, { log, extra: ['bun', 'rollup'] });
  nxBin = nxBinOf(toolchain.dir);
  const bun = findBun(toolchain.dir);
  const list = commands(`../../${bun.rel}`);

  tmpRoot = mkdtempSync(join(os.tmpdir(), 'bs-bench-adapters-'));
  for (const cmd of list) {
    const root = join(tmpRoot, cmd.id);
    createWorkspace(root, { variant: cmd.kind === 'plugin' ? 'plugin' : 'run-commands', packages: 1, modules, toolchainDir: toolchain.dir });
    writeWiring(root, cmd);
    workspaces[cmd.id] = root;
  }
  log(`Workspaces: ${tmpRoot}/{${list.map((c) => c.id).join(',')}}`);
  log(`bun binary (both bun rows): ${bun.rel} (${bun.version})`);

  const describe = (cmd) => (cmd.kind === 'plugin' ? `builder ${cmd.builder}` : `run-commands → ${cmd.command.replace(`../../${bun.rel}`, 'bun')}`);
  const distFiles = {};
  log('\nWarm-up (not timed): each command once');
  for (const cmd of list) {
    const run = await runOnce(cmd, `[warm-up] ${cmd.id} (${describe(cmd)})`, bun.version);
    distFiles[cmd.id] = run.distFiles;
    log(`  ${cmd.id} ${(run.ms / 1000).toFixed(2)}s`);
  }

  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const parts = [];
    for (const cmd of rotated(list, round)) {
      const run = await runOnce(cmd, `[round ${round}] ${cmd.id} (${describe(cmd)})`, bun.version);
      runs.push({ round, command: cmd.id, ms: Math.round(run.ms) });
      parts.push(`${cmd.id} ${(run.ms / 1000).toFixed(2)}s`);
    }
    log(`  round ${round}/${rounds} (load ${os.loadavg()[0].toFixed(2)}): ${parts.join(', ')}`);
  }
  const endLoad = loads.sample('end');

  // One small table per tool: the plugin's row and its run-commands baseline, ratios per round.
  const byId = Object.fromEntries(list.map((c) => [c.id, c]));
  const tables = tools.map((tool) => {
    const pluginCmd = byId[`plugin-${tool}`];
    const base = byId[baselineOf(tool)];
    const pick = (cmd, as) => runs.filter((r) => r.command === cmd.id).map((r) => ({ round: r.round, variant: as, ms: r.ms }));
    return {
      id: tool,
      title:
        tool === 'custom'
          ? `builder custom (builderOptions.command runs the esbuild CLI) vs nx:run-commands → esbuild CLI`
          : `builder ${tool} vs nx:run-commands → ${base.cli}`,
      variants: [
        { id: 'plugin', label: `plugin, builder ${tool} (${distFiles[pluginCmd.id]} files)` },
        { id: 'run-commands', label: `run-commands, ${base.cli} (${distFiles[base.id]} files)` },
      ],
      runs: [...pick(pluginCmd, 'plugin'), ...pick(base, 'run-commands')],
    };
  });
  const rows = tables.flatMap((t) => summarize(t, 'run-commands'));

  const meta = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: machineInfo(),
    load: loads.all,
    node: process.version,
    versions: { ...toolchain.versions, 'bun binary': bun.version },
    nested: toolchain.nested,
    plugin: gitState(repoRoot),
    options: { rounds, modules, tools },
    commands: Object.fromEntries(list.map((c) => [c.id, c.kind === 'plugin' ? { buildConfig: { entry: 'src/index.ts', formats: ['esm'], ...c.config } } : { command: c.command }])),
    distFiles,
  };
  logResultsHeader(log, meta, startLoad, endLoad);
  log(`nx run ${PKG}:build --skip-nx-cache, daemon off, one package of ${modules} modules per workspace; wall-clock seconds of the whole command;`);
  log(`× run-commands is the median over rounds of (plugin time / run-commands time in the same round). (N files): files in dist/ (not counting the plugin's .build-system-output marker).`);
  log(formatTable(tables, rows, 'run-commands'));

  const file = writeResults(repoRoot, 'adapters', meta.date, { meta, rows, runs });
  log(`\nWritten: ${file}`);
}

runBenchmark(main, cleanup);
