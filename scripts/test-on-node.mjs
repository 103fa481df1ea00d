// `node scripts/test-on-node.mjs 22`: the unit suite again, on another Node major, with a Node binary
// from the npm registry (the `node-<platform>-<arch>` package: a plain binary, no install script, so
// it works where npm skips dependency scripts). Installed once into the OS temp dir and reused.
// Part of `npm test`: the suite runs on the Node that runs npm, and then here on this major.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = process.argv[2];
if (!/^\d+$/.test(major ?? '')) {
  console.error('usage: node scripts/test-on-node.mjs <node major> [vitest arguments]');
  process.exit(2);
}
const vitestArgs = process.argv.length > 3 ? process.argv.slice(3) : ['--project', 'unit'];

if (process.versions.node.split('.')[0] === major) {
  console.log(`Already on Node ${process.versions.node}: the suite that just ran covered Node ${major}.`);
  process.exit(0);
}

const node = installNode(major);
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`\nThe unit suite on Node ${version} (${node}):\n`);
const run = spawnSync(node, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...vitestArgs], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);

/** The newest `node-<platform>-<arch>@<major>` from the registry, in a temp folder kept between runs. */
function installNode(major) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(tmpdir(), `build-system-${pkg}-${major}`);
  const bin = join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(join(dir, '.complete')) && existsSync(bin)) return bin;
  const staging = mkdtempSync(join(tmpdir(), `build-system-${pkg}-`));
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'node-install', private: true }));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${major}`], { cwd: staging, stdio: 'inherit' });
  if (install.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    console.error(`Could not install ${pkg}@${major} from the npm registry (exit ${install.status}).`);
    process.exit(1);
  }
  writeFileSync(join(staging, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return bin;
}
