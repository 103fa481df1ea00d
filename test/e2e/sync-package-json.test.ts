import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

/**
 * `packageJson: { sync: true }`: the sync generator writes package.json entry points from the
 * config, `nx sync:check` fails while they are stale, and after `nx sync` a build leaves a package
 * whose every entry point exists and that an outside consumer can import and require. On both
 * Nx majors: sync generators run in the main process or the daemon, and `nx build` runs them first.
 */
const majors = [
  { nx: inject('nxVersion'), installDir: inject('installDir') },
  { nx: inject('nxVersionPrevious'), installDir: inject('installDirPrevious') },
];

const GENERATOR = '@repo/build-system:sync-package-json';

/** What Nx's TypeScript preset writes (a development condition into src, types in dist), with no CommonJS entry yet. */
const presetPackageJson = {
  name: '@sync/lib',
  version: '1.0.0',
  type: 'module',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    './package.json': './package.json',
    '.': { development: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
  },
  files: ['dist', 'src'],
};

const files = {
  'packages/lib/package.json': `${JSON.stringify(presetPackageJson, null, 2)}\n`,
  'packages/lib/src/index.ts': 'export function greet(who: string): string {\n  return `hello ${who}`;\n}\n',
  'packages/lib/build.config.ts':
    "import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({\n  entry: 'src/index.ts',\n  formats: ['esm', 'cjs'],\n  dts: true,\n  packageJson: { sync: true },\n});\n",
  // Not opted in: the generator must leave it exactly as written.
  'packages/other/package.json': `${JSON.stringify({ name: '@sync/other', version: '1.0.0', type: 'module', exports: './dist/index.js' }, null, 2)}\n`,
  'packages/other/src/index.ts': 'export const other = 1;\n',
  'packages/other/build.config.ts': "import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({ formats: ['esm'] });\n",
};

/** Every path package.json names as an entry point: exports leaves under every condition, main, module, types, bin. */
function entryPointPaths(pkg: Record<string, unknown>): string[] {
  const leaves = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(leaves) : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : [];
  return [...new Set([...leaves(pkg.exports), ...leaves(pkg.main), ...leaves(pkg.module), ...leaves(pkg.types), ...leaves(pkg.bin)])];
}

/** A consumer folder whose node_modules holds a copy (not a link) of what the package ships. */
function installCopyInto(ws: Workspace, consumer: string): string {
  const installed = join(consumer, 'node_modules/@sync/lib');
  mkdirSync(installed, { recursive: true });
  const shipped: string[] = ws.json('packages/lib/package.json').files;
  cpSync(ws.path('packages/lib/package.json'), join(installed, 'package.json'));
  for (const dir of shipped) cpSync(ws.path(join('packages/lib', dir)), join(installed, dir), { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return installed;
}

describe.each(majors)('packageJson.sync on nx $nx', ({ nx, installDir }) => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = Workspace.create(installDir, files);
    const version = await ws.nx(['--version']);
    expect(version.output).toContain(`Local: v${nx}`);
  });
  afterAll(() => ws?.dispose());
  const installCopy = (consumer: string) => installCopyInto(ws, consumer);

  it('registers the sync generator on the build target of the opted-in package only', async () => {
    const shown = await ws.nx(['show', 'project', '@sync/lib', '--json']);
    expect(shown.code, shown.output).toBe(0);
    expect(JSON.parse(shown.stdout).targets.build.syncGenerators).toEqual([GENERATOR]);
    const other = await ws.nx(['show', 'project', '@sync/other', '--json']);
    expect(JSON.parse(other.stdout).targets.build.syncGenerators).toBeUndefined();
  });

  it('nx sync:check fails while package.json is stale and names the file and the fields', async () => {
    const check = await ws.nx(['sync:check']);
    expect(check.code, check.output).not.toBe(0);
    expect(check.output).toContain(GENERATOR);
    expect(check.output).toContain('packages/lib/package.json');
    expect(check.output).toMatch(/main: "\.\/dist\/index\.js" → "\.\/dist\/index\.cjs"/);
    // The check writes nothing.
    expect(ws.json('packages/lib/package.json')).toEqual(presetPackageJson);
  });

  it('the same check through the daemon', async () => {
    const check = await ws.nx(['sync:check'], { daemon: true });
    expect(check.code, check.output).not.toBe(0);
    expect(check.output).toContain('packages/lib/package.json');
  });

  it('a build outside CI stops while the workspace is out of sync (Nx runs task sync generators first)', async () => {
    const build = await ws.nx(['run', '@sync/lib:build']);
    expect(build.code, build.output).not.toBe(0);
    expect(build.output).toMatch(/The workspace is out of sync/);
    expect(build.output).toContain(GENERATOR);
  });

  it('nx sync writes exports with per-format types, keeps the development condition first; then sync:check passes', async () => {
    const sync = await ws.nx(['sync']);
    expect(sync.code, sync.output).toBe(0);
    const pkg = ws.json('packages/lib/package.json');
    expect(pkg).toEqual({
      ...presetPackageJson,
      main: './dist/index.cjs',
      module: './dist/index.js',
      exports: {
        './package.json': './package.json',
        '.': {
          development: './src/index.ts',
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
      },
    });
    expect(Object.keys(pkg)).toEqual(['name', 'version', 'type', 'main', 'module', 'types', 'exports', 'files']);
    expect(ws.read('packages/other/package.json')).toBe(files['packages/other/package.json']);

    const check = await ws.nx(['sync:check']);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/up to date/);
  });

  it('run-many builds a package whose every entry point exists', async () => {
    const build = await ws.nx(['run-many', '-t', 'build']);
    expect(build.code, build.output).toBe(0);
    const pkg = ws.json('packages/lib/package.json');
    const missing = entryPointPaths(pkg).filter((p) => !ws.exists(join('packages/lib', p)));
    expect(missing, `entry points the build did not write: ${missing.join(', ')}`).toEqual([]);
    // The build itself never writes package.json.
    expect(ws.json('packages/lib/package.json')).toEqual(pkg);
  });

  it('an outside consumer with a copy of the built package imports and requires it', () => {
    const consumer = mkdtempSync(join(tmpdir(), 'bs-e2e-sync-consumer-'));
    try {
      const installed = installCopy(consumer);
      const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(node(['--input-type=module', '-e', "import { greet } from '@sync/lib'; console.log(greet('esm'))"])).toBe('hello esm\n');
      expect(node(['--input-type=commonjs', '-e', "console.log(require('@sync/lib').greet('cjs'))"])).toBe('hello cjs\n');
      // Each condition loads the file of its own format.
      expect(node(['--input-type=commonjs', '-e', "console.log(require.resolve('@sync/lib'))"]).trim()).toBe(join(installed, 'dist/index.cjs'));
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });

  it('TypeScript finds the types of each format: ESM and CommonJS consumers under nodenext, and bundler', () => {
    const consumer = mkdtempSync(join(tmpdir(), 'bs-e2e-sync-types-'));
    try {
      installCopy(consumer);
      writeFileSync(join(consumer, 'esm.mts'), "import { greet } from '@sync/lib';\nexport const s: string = greet('esm');\n");
      writeFileSync(join(consumer, 'cjs.cts'), "import lib = require('@sync/lib');\nexport const s: string = lib.greet('cjs');\n");
      writeFileSync(join(consumer, 'bundled.ts'), "import { greet } from '@sync/lib';\nexport const s: string = greet('bundler');\n");
      const strict = { strict: true, noEmit: true, skipLibCheck: false, types: [] };
      writeFileSync(join(consumer, 'tsconfig.nodenext.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['esm.mts', 'cjs.cts'] }));
      writeFileSync(join(consumer, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler' }, files: ['bundled.ts'] }));
      const tsc = ws.path('node_modules/typescript/bin/tsc');
      for (const project of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
        let output = '';
        try {
          execFileSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        } catch (e) {
          output = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}` || String(e);
        }
        expect(output, `${project}: ${output}`).toBe('');
      }
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });

  it('in a terminal with sync.applyChanges, nx build syncs a stale package.json first, then builds', async () => {
    const nxJson = ws.read('nx.json');
    try {
      ws.write('nx.json', JSON.stringify({ ...JSON.parse(nxJson), sync: { applyChanges: true } }, null, 2));
      ws.write('packages/lib/package.json', `${JSON.stringify(presetPackageJson, null, 2)}\n`);
      const build = await ws.nxInTerminal(['run', '@sync/lib:build', '--skip-nx-cache']);
      expect(build.code, build.output).toBe(0);
      expect(build.output).toMatch(/The workspace was synced successfully/);
      expect(ws.json('packages/lib/package.json').exports['.'].require).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' });
      expect(ws.json('packages/lib/.build-system/result.json').status).toBe('success');
    } finally {
      ws.write('nx.json', nxJson);
    }
  });

  it('nx g runs it as a plain generator, like nx sync for these packages', async () => {
    ws.write('packages/lib/package.json', `${JSON.stringify(presetPackageJson, null, 2)}\n`);
    const generate = await ws.nx(['g', GENERATOR]);
    expect(generate.code, generate.output).toBe(0);
    expect(generate.output).toMatch(/UPDATE packages\/lib\/package\.json/);
    expect(generate.output).toContain('main: "./dist/index.js" → "./dist/index.cjs"');
    expect(ws.json('packages/lib/package.json').main).toBe('./dist/index.cjs');
  });

  it('a config that fails to resolve is skipped with a message, not a crash of the sync', async () => {
    const config = ws.read('packages/lib/build.config.ts');
    try {
      // Valid for inference (the target keeps its generator), but the entry does not exist.
      ws.write('packages/lib/build.config.ts', config.replace("entry: 'src/index.ts'", "entry: 'src/missing.ts'"));
      const check = await ws.nx(['sync:check']);
      expect(check.code, check.output).toBe(0);
      expect(check.output).toMatch(new RegExp(`${GENERATOR}: skipped @sync/lib, its build config failed \\(BS_ENTRY_NOT_FOUND: Entry "src/missing.ts" does not exist`));
      expect(check.output).not.toMatch(/\n\s+at /);
    } finally {
      ws.write('packages/lib/build.config.ts', config);
    }
  });
});
