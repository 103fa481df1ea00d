// The toolchain every benchmark workspace links to: one npm install under os.tmpdir(), keyed by
// the versions in it and kept between runs, plus this plugin packed from the repo on every run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * What the cached install holds: nx and @nx/devkit at the versions in this repo's package-lock.json
 * (the Nx the plugin is developed against), so the bench measures that Nx. @nx/devkit is pinned
 * too: the plugin's range would otherwise dedupe with the exact @nx/devkit of @nx/js, an older
 * major. @nx/js and @nx/esbuild have no 24 release: their newest 23.x run beside nx 24 (each keeps
 * its own 23.x @nx/devkit, and @nx/esbuild its own @nx/js; the header says which). @nx/esbuild has no
 * 23.3 release; its next spec is the fallback. `extra` names more packages (bun, rollup…) installed
 * at the version in this repo's package-lock.json.
 */
export function toolVersions(repoRoot, extra = []) {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const lockVersion = (name) => {
    const version = lock.packages?.[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in the repo package-lock.json; cannot pin the benchmark ${name}.`);
    return version;
  };
  return {
    nx: lockVersion('nx'),
    '@nx/devkit': lockVersion('@nx/devkit'),
    '@nx/js': '23.3.1',
    '@nx/esbuild': ['23.2.1', '^23.0.0'],
    esbuild: lockVersion('esbuild'),
    typescript: '5.9.3',
    ...Object.fromEntries(extra.map((name) => [name, lockVersion(name)])),
  };
}

/**
 * Installs the toolchain once (cache dir keyed by versions, Node major and npm major), then packs
 * the repo (`npm pack` runs `prepare`, which builds dist/) and installs that tarball into it.
 * Returns { dir, versions, nested }: versions are what actually got installed at the top level,
 * nested what the @nx plugins load instead (see nestedVersions).
 */
export function prepareToolchain(repoRoot, { log, extra = [], reuseDir }) {
  if (reuseDir) return reuseToolchain(reuseDir, extra, log);
  const wanted = toolVersions(repoRoot, extra);
  const npmVersion = execFileSync(NPM, ['--version'], { encoding: 'utf8' }).trim();
  const key = createHash('sha256')
    .update(JSON.stringify({ wanted, node: process.versions.node.split('.')[0], npm: npmVersion.split('.')[0] }))
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `repo-build-system-bench-${key}`);
  const marker = join(dir, '.bench-ready.json');

  if (!existsSync(marker)) {
    log(`Installing the benchmark toolchain into ${dir} (once; later runs reuse it)…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let installed = false;
    for (const esbuildPluginSpec of wanted['@nx/esbuild']) {
      const deps = {
        nx: wanted.nx,
        '@nx/devkit': wanted['@nx/devkit'],
        '@nx/js': wanted['@nx/js'],
        '@nx/esbuild': esbuildPluginSpec,
        esbuild: wanted.esbuild,
        typescript: wanted.typescript,
        ...Object.fromEntries(extra.map((name) => [name, wanted[name]])),
      };
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'bench-workspace', private: true, devDependencies: deps }, null, 2)}\n`);
      rmSync(join(dir, 'package-lock.json'), { force: true });
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
      try {
        npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
        installed = true;
        if (esbuildPluginSpec !== wanted['@nx/esbuild'][0]) {
          log(`  @nx/esbuild@${wanted['@nx/esbuild'][0]} did not install cleanly; using ${esbuildPluginSpec}.`);
        }
        break;
      } catch (e) {
        log(`  npm install with @nx/esbuild@${esbuildPluginSpec} failed: ${firstLines(e)}`);
      }
    }
    if (!installed) throw new Error(`Could not install the benchmark toolchain into ${dir}.`);
    writeFileSync(marker, `${JSON.stringify({ createdAt: new Date().toISOString(), wanted }, null, 2)}\n`);
  }

  installPluginTarball(repoRoot, dir, log);

  return { dir, versions: installedVersions(dir, extra), nested: nestedVersions(dir) };
}

/**
 * The peers the bench compares the plugin with, beside the Nx toolchain in a cached install of
 * their own (about 120 MB; not devDependencies, so `npm ci` of this repo stays light): tsdown and
 * tsup at their newest releases that still run on Node 20 (tsdown 0.22 and tsup 9 need Node 22.18),
 * rolldown at the version in this repo's package-lock.json (what vitest and the rolldown adapter
 * use), and the TypeScript their declaration builds load.
 */
export function peerVersions(repoRoot) {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  return { tsdown: '0.21.10', tsup: '8.5.1', rolldown: lock.packages?.['node_modules/rolldown']?.version ?? '1.2.19', typescript: '5.9.3' };
}

/** Installs the peers once into os.tmpdir()/repo-build-system-bench-peers-<key>; returns { dir, versions }. */
export function preparePeers(repoRoot, { log }) {
  const wanted = peerVersions(repoRoot);
  const key = createHash('sha256')
    .update(JSON.stringify({ wanted, node: process.versions.node.split('.')[0] }))
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `repo-build-system-bench-peers-${key}`);
  const marker = join(dir, '.bench-ready.json');
  if (!existsSync(marker)) {
    log(`Installing the peer builders (${Object.entries(wanted).map(([k, v]) => `${k}@${v}`).join(', ')}) into ${dir} (once)…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'bench-peers', private: true, devDependencies: wanted }, null, 2)}\n`);
    npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    writeFileSync(marker, `${JSON.stringify({ createdAt: new Date().toISOString(), wanted }, null, 2)}\n`);
  }
  return { dir, versions: Object.fromEntries(Object.keys(wanted).map((n) => [n, versionIn(join(dir, 'node_modules', n))])) };
}

/**
 * An install made elsewhere (the e2e tests' cached one, say), used as it is: nothing is installed
 * or packed. Packages it lacks have no version, and the caller refuses the variants that need them.
 */
function reuseToolchain(dir, extra, log) {
  for (const required of ['nx', 'esbuild', 'typescript', '@repo/build-system']) {
    if (!existsSync(join(dir, 'node_modules', required, 'package.json'))) throw new Error(`--toolchain ${dir}: node_modules/${required} is missing.`);
  }
  if (!existsSync(join(dir, 'package-lock.json'))) throw new Error(`--toolchain ${dir}: package-lock.json is missing (Nx reads it for external dependency inputs).`);
  log(`Using the install in ${dir} as it is (--toolchain).`);
  return { dir, versions: installedVersions(dir, extra), nested: nestedVersions(dir), reused: true };
}

function installedVersions(dir, extra) {
  const names = ['nx', '@nx/devkit', '@nx/js', '@nx/esbuild', 'esbuild', 'typescript', ...extra, '@repo/build-system'];
  return Object.fromEntries(names.map((n) => [n, versionIn(join(dir, 'node_modules', n))]));
}

function versionIn(packageDir) {
  const file = join(packageDir, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

/**
 * Nx packages that an @nx plugin loads at another version than the top-level one, from its own
 * nested install: { '@nx/esbuild': { '@nx/js': '23.2.1', nx: '23.2.1', … } }. With nx 24 the 23.x
 * plugins bring their own @nx/devkit (and @nx/esbuild its own @nx/js and nx), so the top-level
 * versions alone would not say what ran.
 */
function nestedVersions(dir) {
  const top = (name) => versionIn(join(dir, 'node_modules', name));
  const nested = {};
  for (const plugin of ['@nx/js', '@nx/esbuild']) {
    const pluginDir = join(dir, 'node_modules', plugin);
    if (!existsSync(pluginDir)) continue;
    const differs = {};
    for (const name of ['@nx/js', '@nx/devkit', 'nx']) {
      const seen = name === plugin ? undefined : versionSeenFrom(dir, pluginDir, name);
      if (seen && seen !== top(name)) differs[name] = seen;
    }
    if (Object.keys(differs).length) nested[plugin] = differs;
  }
  return nested;
}

/** The version of `name` that code in `fromDir` loads: Node looks in node_modules of each parent in turn. */
function versionSeenFrom(rootDir, fromDir, name) {
  for (let d = fromDir; d.startsWith(rootDir); d = dirname(d)) {
    const version = versionIn(join(d, 'node_modules', name));
    if (version) return version;
  }
  return undefined;
}

function installPluginTarball(repoRoot, dir, log) {
  const packDir = join(dir, '.pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  log('Packing the plugin (npm pack runs prepare, which builds dist/)…');
  const out = npm(['pack', '--json', '--pack-destination', packDir], repoRoot, { quietStdout: true });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
  const packed = join(packDir, filename.replace(/^@/, '').replace(/\//, '-'));
  const found = existsSync(packed) ? packed : join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')));
  // Named by content, so npm never mistakes a changed tarball for the one it installed last time.
  const hash = createHash('sha256').update(readFileSync(found)).digest('hex').slice(0, 12);
  const tarball = `build-system-${hash}.tgz`;
  for (const f of readdirSync(dir)) if (/^build-system-.*\.tgz$/.test(f) && f !== tarball) rmSync(join(dir, f));
  copyFileSync(found, join(dir, tarball));
  rmSync(packDir, { recursive: true, force: true });
  npm(['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`], dir);

  const installed = join(dir, 'node_modules/@repo/build-system/dist/nx/plugin.js');
  const built = join(repoRoot, 'dist/nx/plugin.js');
  if (!existsSync(installed) || readFileSync(installed, 'utf8') !== readFileSync(built, 'utf8')) {
    throw new Error(`The installed plugin (${installed}) is not the one just built from ${repoRoot}.`);
  }
  log(`  installed ${tarball}`);
}

function npm(args, cwd, { quietStdout = false } = {}) {
  return execFileSync(NPM, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', quietStdout ? 'pipe' : 'inherit'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function firstLines(e) {
  return String(e?.stderr || e?.message || e)
    .split('\n')
    .slice(0, 4)
    .join(' | ');
}
