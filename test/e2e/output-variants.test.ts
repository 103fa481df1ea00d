import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace, type RunResult } from './workspace';

/**
 * Three library shapes built natively through `outputs` (no plugin of their own), each compared
 * byte for byte with the esbuild (and tsc) command lines a maintainer would write by hand, run
 * here in the same workspace from its root (esbuild names sources relative to its working folder).
 */
const installDir = inject('installDir');
const tsc = join(installDir, 'node_modules/typescript/bin/tsc');
const COMMON = '--platform=node --target=es2022 --log-level=warning';
/** What `cjsInterop: true` appends, as a hand-written build would put it with --footer:js. */
const INTEROP =
  ';(function (m) { var d = m.exports && m.exports.default; if (d !== null && (typeof d === "object" || typeof d === "function") && Object.isExtensible(d)) m.exports = Object.assign(d, m.exports); })(module);';

const config = (body: string) => `import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig(${body});\n`;
const json = (value: unknown) => JSON.stringify(value, null, 2);

const FILES: Record<string, string> = {
  // a) React-like: per-file minified ESM, a minified CommonJS production bundle and an
  //    unminified development one; index.js picks the CommonJS bundle by NODE_ENV.
  'packages/react-like/package.json': json({
    name: 'react-like',
    version: '1.0.0',
    main: './index.js',
    exports: { '.': { import: './dist/esm/index.js', require: './index.js' } },
    files: ['index.js', 'dist'],
  }),
  'packages/react-like/index.js':
    "'use strict';\nmodule.exports = process.env.NODE_ENV === 'production' ? require('./dist/cjs/react-like.production.js') : require('./dist/cjs/react-like.development.js');\n",
  'packages/react-like/src/index.ts': "export { Button } from './button.js';\nexport const mode: string = process.env.NODE_ENV ?? 'unset';\n",
  'packages/react-like/src/button.ts': 'export function Button(label: string): string {\n  return `[${label}]`;\n}\n',
  'packages/react-like/build.config.ts': config(`{
  entry: 'src/index.ts',
  outputs: [
    { name: 'esm', format: 'esm', bundle: false, minify: true, dir: 'esm', extension: '.js' },
    { name: 'production', format: 'cjs', entry: { 'react-like': 'src/index.ts' }, minify: true, dir: 'cjs', extension: '.production.js', define: { 'process.env.NODE_ENV': '"production"' } },
    { name: 'development', format: 'cjs', entry: { 'react-like': 'src/index.ts' }, dir: 'cjs', extension: '.development.js', define: { 'process.env.NODE_ENV': '"development"' } },
  ],
}`),

  // b) Per-format folders: dist/cjs (the package's CommonJS, with the interop footer) and dist/es.
  'packages/folders/package.json': json({
    name: 'folders',
    version: '1.0.0',
    main: './dist/cjs/index.js',
    module: './dist/es/index.js',
    exports: { '.': { import: './dist/es/index.js', require: './dist/cjs/index.js' } },
    files: ['dist'],
  }),
  'packages/folders/src/index.ts': "export default function greet(who: string): string {\n  return `hello ${who}`;\n}\nexport const version = '1.0.0';\n",
  'packages/folders/build.config.ts': config(`{
  outputs: [
    { name: 'cjs', format: 'cjs', dir: 'cjs', cjsInterop: true },
    { name: 'es', format: 'esm', dir: 'es', extension: '.js' },
  ],
}`),

  // c) Dual ESM/CJS with declarations of each format.
  'packages/dual/package.json': json({
    name: 'dual',
    version: '1.0.0',
    type: 'module',
    main: './dist/index.cjs',
    types: './dist/index.d.cts',
    exports: { '.': { import: { types: './dist/index.d.mts', default: './dist/index.mjs' }, require: { types: './dist/index.d.cts', default: './dist/index.cjs' } } },
    files: ['dist'],
  }),
  'packages/dual/tsconfig.json': json({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', rootDir: 'src', strict: true, types: [] }, include: ['src'] }),
  'packages/dual/src/index.ts': 'export function greet(who: string): string {\n  return `hello ${who}`;\n}\n',
  'packages/dual/build.config.ts': config(`{
  dts: true,
  outputs: [
    { name: 'esm', format: 'esm', extension: '.mjs' },
    { name: 'cjs', format: 'cjs', extension: '.cjs' },
  ],
}`),
};

/** The hand-written equivalent of each package's build: commands run from the workspace root into `out`. */
const HAND_WRITTEN: Record<string, (out: string) => string[][]> = {
  'react-like': (out) => [
    // Per file: every module an entry point, relative imports (already naming the emitted files) left as they are.
    ['esbuild', 'packages/react-like/src/index.ts', 'packages/react-like/src/button.ts', '--bundle', '--external:./*', '--format=esm', '--minify', `--outdir=${out}/esm`, ...COMMON.split(' ')],
    ['esbuild', 'react-like=packages/react-like/src/index.ts', '--bundle', '--format=cjs', '--minify', '--define:process.env.NODE_ENV="production"', '--out-extension:.js=.production.js', `--outdir=${out}/cjs`, ...COMMON.split(' ')],
    ['esbuild', 'react-like=packages/react-like/src/index.ts', '--bundle', '--format=cjs', '--define:process.env.NODE_ENV="development"', '--out-extension:.js=.development.js', `--outdir=${out}/cjs`, ...COMMON.split(' ')],
  ],
  folders: (out) => [
    ['esbuild', 'packages/folders/src/index.ts', '--bundle', '--format=cjs', `--footer:js=${INTEROP}`, `--outdir=${out}/cjs`, ...COMMON.split(' ')],
    ['esbuild', 'packages/folders/src/index.ts', '--bundle', '--format=esm', `--outdir=${out}/es`, ...COMMON.split(' ')],
  ],
  dual: (out) => [
    ['esbuild', 'packages/dual/src/index.ts', '--bundle', '--format=esm', '--out-extension:.js=.mjs', `--outdir=${out}`, ...COMMON.split(' ')],
    ['esbuild', 'packages/dual/src/index.ts', '--bundle', '--format=cjs', '--out-extension:.js=.cjs', `--outdir=${out}`, ...COMMON.split(' ')],
    [process.execPath, tsc, '-p', 'packages/dual/tsconfig.json', '--declaration', '--emitDeclarationOnly', '--outDir', out],
  ],
};

/** Files the hand-written commands do not make: the type markers, and the per-format copies of index.d.ts. */
const EXTRA: Record<string, Record<string, string>> = {
  'react-like': { 'esm/package.json': '{"type":"module"}\n' },
  folders: { 'es/package.json': '{"type":"module"}\n' },
  dual: {},
};

/** Every file under dir, relative with '/', without the plugin's ownership marker. */
function filesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; name: string; parentPath: string }>)
    .filter((e) => e.isFile() && e.name !== '.build-system-output')
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const shown = (run: RunResult) => `exit ${run.code}\n${run.output.slice(-4000)}`;

describe('output variants: three library shapes built natively', () => {
  let ws: Workspace;
  let consumer: Workspace;
  let built: RunResult;

  beforeAll(async () => {
    ws = Workspace.create(installDir, FILES);
    consumer = Workspace.adopt(mkdtempSync(join(tmpdir(), 'bs-e2e-variants-consumer-')));
    built = await ws.nx(['run-many', '-t', 'build']);
  });
  afterAll(async () => {
    await ws?.dispose();
    await consumer?.dispose();
  });

  for (const pkg of Object.keys(HAND_WRITTEN)) {
    it(`${pkg}: every output is byte-identical to the hand-written commands, and result.json lists exactly the files on disk with their variant`, async () => {
      expect(built.code, shown(built)).toBe(0);
      const out = mkdtempSync(join(tmpdir(), `bs-e2e-variants-${pkg}-`));
      try {
        for (const [command, ...args] of HAND_WRITTEN[pkg](out)) {
          const run = await ws.run(command === 'esbuild' ? ws.path('node_modules/.bin/esbuild') : command, args);
          expect(run.code, `${command} ${args.join(' ')}\n${shown(run)}`).toBe(0);
        }
        const dist = ws.path(`packages/${pkg}/dist`);
        const expected = { ...Object.fromEntries(filesIn(out).map((f) => [f, readFileSync(join(out, f), 'utf8')])), ...EXTRA[pkg] };
        const onDisk = Object.fromEntries(filesIn(dist).map((f) => [f, readFileSync(join(dist, f), 'utf8')]));
        if (pkg === 'dual') {
          // The .d.mts / .d.cts copies of index.d.ts (one module: nothing to rename in them).
          expected['index.d.mts'] = expected['index.d.ts'];
          expected['index.d.cts'] = expected['index.d.ts'];
        }
        expect(onDisk).toEqual(expected);

        const result = ws.json(`packages/${pkg}/.build-system/result.json`);
        expect(result.status).toBe('success');
        expect(result.artifacts.map((a: { path: string; sha256: string; variant?: string }) => [a.path, a.sha256, a.variant])).toEqual(
          filesIn(dist).map((f) => [`packages/${pkg}/dist/${f}`, sha256(join(dist, f)), expect.any(String)]),
        );
      } finally {
        await ws.run('rm', ['-rf', out]);
      }
    });
  }

  it('names the output that wrote each artifact', () => {
    const variants = (pkg: string) =>
      Object.fromEntries(ws.json(`packages/${pkg}/.build-system/result.json`).artifacts.map((a: { path: string; variant: string }) => [a.path.replace(`packages/${pkg}/dist/`, ''), a.variant]));
    expect(variants('react-like')).toEqual({
      'cjs/react-like.development.js': 'development',
      'cjs/react-like.production.js': 'production',
      'esm/button.js': 'esm',
      'esm/index.js': 'esm',
      'esm/package.json': 'esm',
    });
    expect(variants('folders')).toEqual({ 'cjs/index.js': 'cjs', 'es/index.js': 'es', 'es/package.json': 'es' });
    expect(variants('dual')).toEqual({ 'index.cjs': 'cjs', 'index.d.cts': 'cjs', 'index.d.mts': 'esm', 'index.d.ts': 'esm', 'index.mjs': 'esm' });
  });

  it('an outside consumer installs the packed packages: index.js picks the bundle by NODE_ENV, and require() of the per-format package returns its default export', async () => {
    const packs = join(consumer.root, 'packs');
    mkdirSync(packs);
    const dependencies: Record<string, string> = {};
    for (const pkg of Object.keys(HAND_WRITTEN)) {
      const pack = await ws.run('npm', ['pack', `./packages/${pkg}`, '--pack-destination', packs, '--loglevel=error']);
      expect(pack.code, shown(pack)).toBe(0);
      dependencies[pkg] = `file:${join(packs, readdirSync(packs).find((f) => f.startsWith(`${pkg}-`))!)}`;
    }
    consumer.write('package.json', json({ name: 'consumer', private: true, dependencies }));
    const install = await consumer.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    expect(install.code, shown(install)).toBe(0);

    const node = async (args: string[], env: Record<string, string> = {}) => {
      const run = await consumer.run(process.execPath, args, env);
      expect(run.code, `node ${args.join(' ')}\n${shown(run)}`).toBe(0);
      return run.stdout.trim();
    };
    expect(await node(['-e', 'const r = require("react-like"); console.log(r.mode, r.Button("ok"))'], { NODE_ENV: 'production' })).toBe('production [ok]');
    expect(await node(['-e', 'const r = require("react-like"); console.log(r.mode, r.Button("ok"))'], { NODE_ENV: 'development' })).toBe('development [ok]');
    expect(await node(['--input-type=module', '-e', 'import { Button } from "react-like"; console.log(Button("esm"))'])).toBe('[esm]');
    expect(await node(['-e', 'const greet = require("folders"); console.log(typeof greet, greet("cjs"), greet.version)'])).toBe('function hello cjs 1.0.0');
    expect(await node(['--input-type=module', '-e', 'import greet, { version } from "folders"; console.log(greet("es"), version)'])).toBe('hello es 1.0.0');
    expect(await node(['-e', 'console.log(require("dual").greet("cjs"))'])).toBe('hello cjs');
    expect(await node(['--input-type=module', '-e', 'import { greet } from "dual"; console.log(greet("esm"))'])).toBe('hello esm');
  });

  for (const [module, moduleResolution] of [['nodenext', 'nodenext'], ['esnext', 'bundler']] as const) {
    it(`tsc type-checks an ESM (.mts) and a CommonJS (.cts) consumer of the dual package under ${moduleResolution}`, async () => {
      const source = "import { greet } from 'dual';\n\nexport const value: string = greet('you');\n// @ts-expect-error greet takes a string: declarations that said `any` would fail here\ngreet(1);\n";
      consumer.write('esm.mts', source);
      consumer.write('cjs.cts', source);
      consumer.write(
        `tsconfig.${moduleResolution}.json`,
        json({ compilerOptions: { module, moduleResolution, strict: true, noEmit: true, types: [], lib: ['es2022'], target: 'es2022' }, files: ['esm.mts', 'cjs.cts'] }),
      );

      const check = await consumer.run(process.execPath, [tsc, '-p', `tsconfig.${moduleResolution}.json`, '--pretty', 'false']);

      expect(check.code, shown(check)).toBe(0);
    });
  }

  it('a second run is a cache hit for all three, and the restored files match their checksums', async () => {
    const again = await ws.nx(['run-many', '-t', 'build']);
    expect(again.code, shown(again)).toBe(0);

    const summary = ws.json('.nx/build-system/runs/latest.json');
    expect(summary.tasks).toHaveLength(3);
    for (const task of summary.tasks) {
      expect(task.cacheHit, task.taskId).toBe(true);
      expect(task.integrity, task.taskId).toEqual({ ok: true, problems: [] });
    }
  });
});
