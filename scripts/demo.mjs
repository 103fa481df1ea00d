// `npm run demo`: builds the demo workspace (demo/) through the real Nx CLI with this plugin and
// shows where the artifacts and results are. Extra arguments go to nx (e.g. `npm run demo -- -c production`).
// The demo gets what a new workspace gets: no bun in its node_modules, so `auto` builds with esbuild
// (unless bun is on your PATH, as it would be for that workspace too).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, 'demo');

if (!existsSync(join(root, 'dist/nx/plugin.js'))) {
  run(process.execPath, [join(root, 'scripts/build.mjs')], root);
}
linkNodeModules();

const extra = process.argv.slice(2);
// Static output shows each task's own lines (Nx hides them for successful tasks otherwise).
const nxArgs = ['run-many', '-t', 'build', ...(extra.some((a) => a.startsWith('--output-style')) ? [] : ['--output-style=static']), ...extra];
console.log(`$ nx ${nxArgs.join(' ')}   (in demo/)\n`);
const status = run(process.execPath, [join(demo, 'node_modules/nx/dist/bin/nx.js'), ...nxArgs], demo, {
  NX_DAEMON: process.env.NX_DAEMON ?? 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: process.env.NX_TUI ?? 'false',
});

console.log('\nResults (each is a BuildResult JSON, schema: schemas/build-result.schema.json):');
const built = [];
for (const project of ['packages/ui', 'apps/web']) {
  const file = join(demo, project, '.build-system/result.json');
  if (!existsSync(file)) {
    console.log(`  demo/${project}: no result yet`);
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  built.push(result);
  console.log(`\n  ${result.project}: ${result.status} (${result.environment}, ${result.builder.name} ${result.builder.version ?? ''}, ${result.durationMs} ms)`);
  console.log(`    result: ${relative(root, file)}`);
  console.log(`    log:    demo/${result.logFile}`);
  for (const a of result.artifacts) console.log(`    demo/${a.path.padEnd(34)} ${a.kind.padEnd(9)} ${String(a.size).padStart(7)} B  sha256 ${a.sha256.slice(0, 12)}…`);
  for (const e of result.errors) console.log(`    ${e.code} ${e.file ? `${e.file}:${e.line ?? ''}:${e.column ?? ''} ` : ''}${e.message.split('\n')[0]}`);
}

const web = join(demo, 'apps/web/dist/main.js');
if (status === 0 && existsSync(web)) {
  console.log('\n$ node demo/apps/web/dist/main.js');
  run(process.execPath, [web], demo);
}
const builders = [...new Set(built.map((r) => `${r.builder.name} ${r.builder.version ?? ''}`.trim()))];
if (builders.length) console.log(`\nBuilt with ${builders.join(', ')} (builder "auto": bun when the workspace or PATH has it, else esbuild).`);
process.exit(status);

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/**
 * demo/node_modules: links to the repo's own install, with this package as @repo/build-system.
 * Without bun (a devDependency of this repo only), as in a workspace set up by `nx add`.
 */
function linkNodeModules() {
  const without = ['bun', '@oven'];
  const modules = join(demo, 'node_modules');
  mkdirSync(join(modules, '@repo'), { recursive: true });
  mkdirSync(join(modules, '@demo'), { recursive: true });
  const link = (target, path) => {
    try {
      if (lstatSync(path)) rmSync(path, { recursive: true, force: true });
    } catch {
      /* not there yet */
    }
    symlinkSync(target, path);
  };
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '@repo' || entry === '@demo' || entry === '.bin') continue;
    if (without.includes(entry)) rmSync(join(modules, entry), { recursive: true, force: true });
    else link(join(root, 'node_modules', entry), join(modules, entry));
  }
  // A real .bin folder, so node_modules/.bin/bun is not in it either.
  const bin = join(modules, '.bin');
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin);
  for (const name of readdirSync(join(root, 'node_modules/.bin'))) {
    if (name !== 'bun' && name !== 'bunx') symlinkSync(join(root, 'node_modules/.bin', name), join(bin, name));
  }
  link(root, join(modules, '@repo/build-system'));
  link(join(demo, 'packages/ui'), join(modules, '@demo/ui'));
}
