import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configSource, writeFiles, type TestWorkspace } from './workspace';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = path.join(REPO, 'test/fixtures/greet-lib');

/** Builder packages a test workspace can have installed, linked from this repo's node_modules. */
export type LinkedPackage = 'typescript' | 'rollup' | 'rolldown' | 'esbuild' | 'bun' | 'oxc-transform';
export const ALL_PACKAGES: LinkedPackage[] = ['typescript', 'rollup', 'rolldown', 'esbuild', 'bun', 'oxc-transform'];

/**
 * A workspace whose package at packages/greet is test/fixtures/greet-lib (src/index.ts exports
 * greet(), which imports shout() from src/shout.ts), built with `config`. The builders in
 * `packages` are "installed" as symlinks into the workspace's node_modules, as npm would lay them
 * out (bun with its node_modules/.bin/bun link).
 */
export function createLibraryWorkspace(
  makeDir: (prefix?: string) => string,
  config: string,
  options: { packages?: LinkedPackage[]; files?: Record<string, string> } = {},
): TestWorkspace {
  const root = makeDir('bs-adapters-');
  const pkgRel = 'packages/greet';
  const pkg = path.join(root, pkgRel);
  writeFiles(root, { 'package.json': JSON.stringify({ name: 'workspace', private: true }, null, 2) });
  fs.cpSync(FIXTURE, pkg, { recursive: true });
  writeFiles(pkg, { 'build.config.ts': configSource(config), ...options.files });
  for (const name of options.packages ?? ALL_PACKAGES) linkPackage(root, name);
  return { root, pkg, pkgRel };
}

function linkPackage(root: string, name: LinkedPackage): void {
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name), 'dir');
  if (name === 'bun') fs.symlinkSync('../bun/bin/bun.exe', path.join(modules, '.bin', 'bun'));
}

/** Runs a script in a fresh Node process (no vitest transforms) and returns its stdout. */
export function runNode(args: string[], cwd?: string): string {
  return execFileSync(process.execPath, args, { encoding: 'utf8', cwd }).trim();
}

export function importGreet(file: string, name: string): string {
  const url = JSON.stringify(pathToFileURL(file).href);
  return runNode(['--input-type=module', '-e', `const m = await import(${url}); console.log(m.greet(${JSON.stringify(name)}));`]);
}

export function requireGreet(file: string, name: string): string {
  return runNode(['-e', `console.log(require(${JSON.stringify(file)}).greet(${JSON.stringify(name)}));`]);
}

/**
 * Type-checks an ES module consumer of the built package with the workspace's TypeScript: it must
 * see `greet(name: string): string` (a wrong argument is an expected error, so `any` fails too).
 * Returns tsc's exit code and output.
 */
export function typeCheckConsumer(ws: TestWorkspace, typesEntry: string): { status: number | null; output: string } {
  const consumer = path.join(ws.root, 'consumer.mts');
  const specifier = `./${path.relative(ws.root, typesEntry).split(path.sep).join('/').replace(/\.d\.ts$/, '.js')}`;
  fs.writeFileSync(
    consumer,
    [
      `import { greet } from '${specifier}';`,
      `export const greeting: string = greet('types');`,
      '// @ts-expect-error greet takes a string',
      'greet(42);',
      '',
    ].join('\n'),
  );
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', consumer],
    { cwd: ws.root, encoding: 'utf8' },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Every file under dir, as paths relative to the workspace root with `/`. */
export function filesUnder(root: string, dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    // The ownership marker is ours, not an artifact.
    .filter((e) => e.isFile() && e.name !== '.build-system-output')
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

export interface DualEntryPoints {
  /** Package-relative files, e.g. `dist/index.js` and `dist/index.d.ts`. */
  import: { types: string; default: string };
  require: { types: string; default: string };
}

/**
 * An outside consumer of the built package: its own folder whose node_modules links the package
 * (its package.json given `exports` for `import` and `require`), a `.cts` file that requires it and
 * an `.mts` file that imports it, type-checked by the workspace's TypeScript with each module
 * resolution. `greet(42)` must be an error in both (so `any` fails too). Returns per resolution
 * tsc's exit code, its output and the package's declaration files it read.
 */
export function typeCheckDualConsumer(ws: TestWorkspace, exportsMap: DualEntryPoints): Record<'nodenext' | 'bundler', { status: number | null; output: string; declarations: string[] }> {
  const manifest = path.join(ws.pkg, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string };
  const dot = (p: string) => `./${p}`;
  fs.writeFileSync(
    manifest,
    JSON.stringify({
      ...pkg,
      exports: {
        '.': {
          import: { types: dot(exportsMap.import.types), default: dot(exportsMap.import.default) },
          require: { types: dot(exportsMap.require.types), default: dot(exportsMap.require.default) },
        },
      },
    }),
  );
  const consumer = path.join(ws.root, 'consumer');
  fs.mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
  fs.symlinkSync(ws.pkg, path.join(consumer, 'node_modules', pkg.name), 'dir');
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const body = (how: string) => [how, "export const greeting: string = greet('types');", '// @ts-expect-error greet takes a string', 'greet(42);', ''].join('\n');
  fs.writeFileSync(path.join(consumer, 'required.cts'), body(`import { greet } from '${pkg.name}';`));
  fs.writeFileSync(path.join(consumer, 'imported.mts'), body(`import { greet } from '${pkg.name}';`));
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  const settings = { nodenext: ['nodenext', 'nodenext'], bundler: ['preserve', 'bundler'] } as const;
  const out = {} as ReturnType<typeof typeCheckDualConsumer>;
  for (const [name, [module, resolution]] of Object.entries(settings)) {
    const run = spawnSync(
      process.execPath,
      [tsc, '--noEmit', '--strict', '--listFiles', '--module', module, '--moduleResolution', resolution, '--target', 'es2022', path.join(consumer, 'required.cts'), path.join(consumer, 'imported.mts')],
      { cwd: consumer, encoding: 'utf8' },
    );
    const lines = `${run.stdout}${run.stderr}`.split('\n');
    const pkgReal = fs.realpathSync(ws.pkg);
    out[name as keyof typeof settings] = {
      status: run.status,
      output: lines.filter((l) => l && !path.isAbsolute(l)).join('\n'),
      declarations: lines.filter((l) => l.startsWith(pkgReal)).map((l) => path.relative(pkgReal, l).split(path.sep).join('/')).sort(),
    };
  }
  return out;
}
