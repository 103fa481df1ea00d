import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPresetTsWorkspace, LIBS, packageName, pnpmBin, PRESET_OWN_NX, PRESET_TS, type PackageManager, type PresetNx } from './preset-ts-fixture';
import { Workspace, type RunResult } from './workspace';

/**
 * Issue #11, "Done means": the workspace users have (create-nx-workspace --preset=ts, see
 * preset-ts-fixture.ts), set up with the configuration generator's defaults in CI mode and built
 * with `nx run-many`, gives packages that work for an outside consumer: installed from the packed
 * tarballs (no workspace links), Node imports and requires them, tsc type-checks an ESM and a CJS
 * consumer under nodenext and bundler resolution, and publint and are-the-types-wrong find no error.
 */
const installDir = inject('installDirPresetTs');
const tool = (bin: string) => join(installDir, 'node_modules/.bin', bin);
const tsc = join(installDir, 'node_modules/typescript/bin/tsc');

/** What each lib's function returns: a → 'a', b (which calls a) → 'ba'. */
const EXPECTED_OUTPUT = 'a ba';

const shown = (r: RunResult) => `exit ${r.code}\n${r.output.trim()}`;

/** Every entry point of a package.json, as `field → path` (exports leaves under every condition and subpath). */
function entryPoints(pkg: Record<string, unknown>): { field: string; path: string }[] {
  const found: { field: string; path: string }[] = [];
  const walk = (value: unknown, field: string) => {
    if (typeof value === 'string') found.push({ field, path: value });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${field}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${field}[${JSON.stringify(k)}]`);
  };
  for (const field of ['main', 'module', 'types', 'typings', 'bin']) walk(pkg[field], field);
  walk(pkg.exports, 'exports');
  return found;
}

/**
 * The preset as written (Nx 23.2.1 with @nx/js), with npm and pnpm; and the same layout moved to the
 * Nx this repo develops against (24.0.x; this registry has no @nx/js 24, so without it), with npm.
 */
const VARIANTS: Array<{ pm: PackageManager; label: string; nx: () => { installDir: string; nx: PresetNx } }> = [
  { pm: 'npm', label: `Nx ${PRESET_TS.versions.nx}`, nx: () => ({ installDir, nx: PRESET_OWN_NX }) },
  { pm: 'pnpm', label: `Nx ${PRESET_TS.versions.nx}`, nx: () => ({ installDir, nx: PRESET_OWN_NX }) },
  { pm: 'npm', label: `moved to Nx ${inject('nxVersion')}`, nx: () => ({ installDir: inject('installDir'), nx: { version: inject('nxVersion'), withNxJs: false, presetInstallDir: installDir } }) },
];

describe.each(VARIANTS)(`create-nx-workspace@${PRESET_TS.createNxWorkspace} --preset=ts --pm=$pm, $label`, ({ pm, nx }) => {
  let ws: Workspace;
  let consumer: Workspace;
  /** Each lib's tarball, packed by the workspace's package manager. */
  const tarballs: Record<string, string> = {};
  let installed: RunResult | undefined;
  // A pnpm user has pnpm on PATH: Nx runs package scripts with it (only pnpm's own folder, nothing else of the install).
  const path = pm === 'pnpm' ? { PATH: `${dirname(pnpmBin(installDir))}${delimiter}${process.env.PATH}` } : {};
  const ci = { env: { CI: 'true', ...path } };

  beforeAll(() => {
    const started = Date.now();
    const workspaceNx = nx();
    ws = createPresetTsWorkspace(pm, workspaceNx.installDir, inject('tarball'), workspaceNx.nx);
    console.log(`preset-ts (${pm}): workspace ready in ${Date.now() - started} ms`);
    consumer = createConsumer();
  });
  afterAll(async () => {
    await ws?.dispose();
    await consumer?.dispose();
  });

  it('the configuration generator with its defaults, in CI mode, sets up both libs', async () => {
    for (const lib of LIBS) {
      const gen = await ws.nx(['g', '@repo/build-system:configuration', packageName(lib), '--no-interactive'], ci);
      expect(gen.code, `nx g @repo/build-system:configuration ${packageName(lib)}: ${shown(gen)}`).toBe(0);
      expect(ws.exists(`packages/${lib}/build.config.ts`), `packages/${lib}/build.config.ts after the generator:\n${shown(gen)}`).toBe(true);
      // The lib's `build` npm script would shadow the inferred target; the generator must say how it resolved that.
      expect(gen.output, `the generator's output for ${packageName(lib)} names the "build" script it resolved:\n${shown(gen)}`).toMatch(/\bbuild\b[^\n]*\bscripts?\b|\bscripts?\b[^\n]*\bbuild\b/i);
    }
  });

  it("nx show project shows each lib's build target as @repo/build-system:build, not the package's build script", async () => {
    for (const lib of LIBS) {
      const show = await ws.nx(['show', 'project', packageName(lib), '--json'], { env: path });
      expect(show.code, `nx show project ${packageName(lib)} --json: ${shown(show)}`).toBe(0);
      const build = JSON.parse(show.stdout).targets?.build;
      const described = JSON.stringify({ executor: build?.executor, options: build?.options });
      expect(build?.executor, `${packageName(lib)}: the build target is ${described}`).toBe('@repo/build-system:build');
    }
  });

  it('nx run-many -t build builds both libs with @repo/build-system', async () => {
    const run = await ws.nx(['run-many', '-t', 'build'], ci);
    expect(run.code, `nx run-many -t build: ${shown(run)}`).toBe(0);
    for (const lib of LIBS) {
      const resultFile = `packages/${lib}/.build-system/result.json`;
      expect(ws.exists(resultFile), `${resultFile} missing: the build target did not run @repo/build-system:build.\nnx run-many -t build: ${shown(run)}`).toBe(true);
      const result = ws.json(resultFile);
      expect(result.status, `${resultFile}: ${JSON.stringify(result.errors)}`).toBe('success');
    }
  });

  it(`${pm} pack: every package.json entry point of each lib is in its tarball`, async () => {
    for (const lib of LIBS) {
      const tarball = await pack(lib);
      const unpacked = join(consumer.root, 'unpacked', lib);
      mkdirSync(unpacked, { recursive: true });
      const untar = await consumer.run('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1']);
      expect(untar.code, shown(untar)).toBe(0);
      const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
      const missing = entryPoints(pkg).filter((e) => !consumer.exists(join('unpacked', lib, e.path)));
      const listing = (await consumer.run('tar', ['tzf', tarball])).stdout.trim();
      expect(missing.map((e) => `${e.field} → ${e.path}`), `${packageName(lib)}: entry points not in ${tarball}, which holds:\n${listing}`).toEqual([]);
    }
  });

  it('an outside consumer installs the tarballs, and Node imports and requires each lib', async () => {
    const install = await installInConsumer();
    expect(install.code, `npm install of the tarballs in the consumer: ${shown(install)}`).toBe(0);
    const imports = `import { a } from '${packageName('a')}'; import { b } from '${packageName('b')}'; console.log(a(), b());`;
    const imported = await consumer.run(process.execPath, ['--input-type=module', '-e', imports]);
    expect(imported.code, `node: ${imports}\n${shown(imported)}`).toBe(0);
    expect(imported.stdout.trim()).toBe(EXPECTED_OUTPUT);
    const requires = `const { a } = require('${packageName('a')}'); const { b } = require('${packageName('b')}'); console.log(a(), b());`;
    const required = await consumer.run(process.execPath, ['-e', requires]);
    expect(required.code, `node: ${requires}\n${shown(required)}`).toBe(0);
    expect(required.stdout.trim()).toBe(EXPECTED_OUTPUT);
  });

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`tsc --noEmit type-checks an ESM (.mts) and a CJS (.cts) consumer with moduleResolution ${resolution}: zero errors`, async () => {
      const install = await installInConsumer();
      expect(install.code, `npm install of the tarballs in the consumer: ${shown(install)}`).toBe(0);
      const check = await consumer.run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`, '--pretty', 'false']);
      expect(check.code, `tsc -p tsconfig.${resolution}.json in the consumer (${consumer.read(`tsconfig.${resolution}.json`).replace(/\s+/g, ' ')}):\n${shown(check)}`).toBe(0);
    });
  }

  it('publint finds no error in either packed lib', async () => {
    for (const lib of LIBS) {
      const lint = await consumer.run(tool('publint'), ['run', await pack(lib)]);
      expect(lint.code, `publint ${packageName(lib)}: ${shown(lint)}`).toBe(0);
      expect(lint.output, `publint ${packageName(lib)}: ${shown(lint)}`).not.toMatch(/^Errors:/m);
    }
  });

  it('are-the-types-wrong finds no problem in either packed lib', async () => {
    for (const lib of LIBS) {
      // An ESM-only package is fine for require() on Node >= 20.19 and TypeScript >= 5.8 (nodenext),
      // which the .cts consumer above checks; attw 0.18.5 analyses with TypeScript 5.6, which predates it.
      const attw = await consumer.run(tool('attw'), [await pack(lib), '--no-definitely-typed', '--no-color', '--format', 'ascii', '--ignore-rules', 'cjs-resolves-to-esm']);
      expect(attw.code, `attw ${packageName(lib)}: ${shown(attw)}`).toBe(0);
    }
  });

  /** The lib packed once by the workspace's package manager, into its own folder. */
  async function pack(lib: string): Promise<string> {
    if (tarballs[lib]) return tarballs[lib];
    // Packed only after a build by the plugin: otherwise the tarball holds what the lib's own build
    // script wrote (the shadowing case), and the checks below would test tsc, not @repo/build-system.
    const resultFile = `packages/${lib}/.build-system/result.json`;
    if (!ws.exists(resultFile)) throw new Error(`${packageName(lib)} was not built by @repo/build-system (no ${resultFile}): nothing of the plugin's to pack; see the run-many test`);
    const dest = join(consumer.root, 'packs', lib);
    mkdirSync(dest, { recursive: true });
    const packed = pm === 'npm' ? await ws.run('npm', ['pack', `./packages/${lib}`, '--pack-destination', dest, '--loglevel=error']) : await ws.run(pnpmBin(installDir), ['-C', `packages/${lib}`, 'pack', '--pack-destination', dest]);
    const file = readdirSync(dest).find((f) => f.endsWith('.tgz'));
    if (packed.code !== 0 || !file) throw new Error(`${pm} pack of packages/${lib} made no tarball: ${shown(packed)}`);
    return (tarballs[lib] = join(dest, file));
  }

  /** The consumer's npm install of both tarballs, once (npm, the package manager an outside user most likely has). */
  async function installInConsumer(): Promise<RunResult> {
    if (installed) return installed;
    const dependencies = Object.fromEntries(await Promise.all(LIBS.map(async (lib) => [packageName(lib), `file:${await pack(lib)}`])));
    consumer.write('package.json', JSON.stringify({ name: 'consumer', private: true, dependencies }, null, 2));
    return (installed = await consumer.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']));
  }
});

/** A folder of its own outside the workspace, with one ESM and one CJS consumer file and a tsconfig per resolution. */
function createConsumer(): Workspace {
  const consumer = Workspace.adopt(mkdtempSync(join(tmpdir(), 'bs-e2e-preset-consumer-')));
  const source = `import { a } from '${packageName('a')}';\nimport { b } from '${packageName('b')}';\n\nexport const value: string = a() + b();\n`;
  consumer.write('esm.mts', source);
  consumer.write('cjs.cts', source);
  const tsconfig = (module: string, moduleResolution: string) =>
    JSON.stringify({ compilerOptions: { module, moduleResolution, strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['es2022'], target: 'es2022' }, files: ['esm.mts', 'cjs.cts'] }, null, 2);
  consumer.write('tsconfig.nodenext.json', tsconfig('nodenext', 'nodenext'));
  consumer.write('tsconfig.bundler.json', tsconfig('esnext', 'bundler'));
  return consumer;
}
