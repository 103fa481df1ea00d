// `npm run demo`: builds the demo workspace (demo/) through the real Nx CLI with this plugin and
// shows where the artifacts and results are. Extra arguments go to nx (e.g. `npm run demo -- -c production`).
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

const nxArgs = ['run-many', '-t', 'build', ...process.argv.slice(2)];
console.log(`$ nx ${nxArgs.join(' ')}   (in demo/)\n`);
const status = run(process.execPath, [join(demo, 'node_modules/nx/dist/bin/nx.js'), ...nxArgs], demo, {
  NX_DAEMON: process.env.NX_DAEMON ?? 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: process.env.NX_TUI ?? 'false',
});

console.log('\nResults (each is a BuildResult JSON, schema: schemas/build-result.schema.json):');
for (const project of ['packages/ui', 'apps/web']) {
  const file = join(demo, project, '.build-system/result.json');
  if (!existsSync(file)) {
    console.log(`  demo/${project}: no result yet`);
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
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
process.exit(status);

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** demo/node_modules: links to the repo's own install, with this package as @repo/build-system. */
function linkNodeModules() {
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
    if (entry === '@repo' || entry === '@demo') continue;
    link(join(root, 'node_modules', entry), join(modules, entry));
  }
  link(root, join(modules, '@repo/build-system'));
  link(join(demo, 'packages/ui'), join(modules, '@demo/ui'));
}
