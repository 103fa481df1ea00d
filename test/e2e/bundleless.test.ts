import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

/**
 * A bundleless component library built natively (no plugin of its own) with esbuild and with
 * rollup, each output byte-identical to a hand-written esbuild call / rollup config, and with bun
 * (the packed plugin's Bun.build script), the same files; in the same
 * workspace, a hook that runs `tsc` with nx started without node_modules/.bin on PATH, and a
 * package's own rollup.config with @rollup/plugin-typescript under a root tsconfig that fails it.
 */
const LIBRARY: Record<string, string> = {
  'src/index.ts': "export { Button } from './button';\nexport { format } from './utils/format';\n",
  'src/button/index.tsx': "/** @jsx h */\nimport { h } from '../utils/h';\nimport { format } from '../utils/format.js';\n\nexport const Button = (label: string): string => <button>{format(label)}</button>;\n",
  'src/button/button.test.ts': "import { Button } from './index';\n\nthrow new Error(`a test is no module: ${Button('x')}`);\n",
  'src/utils/format.ts': 'export const format = (s: string): string => s.trim();\n',
  'src/utils/h.ts': "export const h = (tag: string, _props: unknown, ...children: unknown[]): string => `<${tag}>${children.join('')}</${tag}>`;\n",
  'src/jsx.d.ts': 'declare namespace JSX {\n  type Element = string;\n  type IntrinsicElements = Record<string, unknown>;\n}\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', jsx: 'react', jsxFactory: 'h', skipLibCheck: true, types: [] },
    include: ['src'],
  }),
};
const MODULES = ['src/button/index.tsx', 'src/index.ts', 'src/utils/format.ts', 'src/utils/h.ts'];
const FORMATS = [
  { format: 'esm', ext: '.js', rollup: 'es' },
  { format: 'cjs', ext: '.cjs', rollup: 'cjs' },
] as const;

function library(name: string, builder: string): Record<string, string> {
  const files: Record<string, string> = {
    [`packages/${name}/package.json`]: JSON.stringify({ name: `@demo/${name}`, version: '1.0.0', type: 'module' }),
    [`packages/${name}/build.config.ts`]: `export default { builder: '${builder}', bundle: false, formats: ['esm', 'cjs'], dts: true };\n`,
  };
  for (const [rel, text] of Object.entries(LIBRARY)) files[`packages/${name}/${rel}`] = text;
  return files;
}

/** Every file under dir, relative path → contents; not the engine's marker of the outDir it owns. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const abs = join(d, entry);
      if (entry === '.build-system-output') continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else out.set(relative(dir, abs), readFileSync(abs));
    }
  };
  walk(dir);
  return out;
}

/** The hand-written esbuild side: every import external, relative ones renamed to the emitted file. */
function handWrittenRewrite(ext: string) {
  return {
    name: 'hand-written-rewrite',
    setup(build: { onResolve: (o: { filter: RegExp }, cb: (a: { path: string; importer: string; kind: string }) => unknown) => void }) {
      build.onResolve({ filter: /.*/ }, ({ path, importer, kind }) => {
        if (kind === 'entry-point') return undefined;
        if (!path.startsWith('.')) return { path, external: true };
        const base = resolve(dirname(importer), path.replace(/\.js$/, ''));
        const file = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((e) => base + e).find((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
        let specifier = relative(dirname(importer), file!).replace(/\.tsx?$/, ext);
        if (!specifier.startsWith('.')) specifier = `./${specifier}`;
        return { path: specifier, external: true };
      });
    },
  };
}

describe('bundleless library, builder environment, own rollup config', () => {
  let ws: Workspace;
  let first: { code: number; output: string };

  beforeAll(async () => {
    ws = Workspace.create(inject('installDir'), {
      ...library('ui-esbuild', 'esbuild'),
      ...library('ui-rollup', 'rollup'),
      ...library('ui-bun', 'bun'),
      'packages/hooked/package.json': JSON.stringify({ name: '@demo/hooked', version: '1.0.0', type: 'module' }),
      'packages/hooked/src/index.ts': 'export const one = 1;\n',
      'packages/hooked/build.config.ts': "export default { hooks: { pre: ['tsc --version'] } };\n",
      'packages/own-rollup/package.json': JSON.stringify({ name: '@demo/own-rollup', version: '1.0.0', type: 'module' }),
      'packages/own-rollup/src/index.ts': 'export const greet = (name: string): string => `hello ${name}`;\n',
      'packages/own-rollup/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmitOnError: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler' }, include: ['src'] }),
      'packages/own-rollup/rollup.config.mjs':
        "import typescript from '@rollup/plugin-typescript';\n\nexport default { input: 'src/index.ts', output: { dir: 'dist', format: 'es' }, plugins: [typescript()] };\n",
      'packages/own-rollup/build.config.ts': "export default { builder: 'rollup', builderOptions: { config: 'rollup.config.mjs' } };\n",
      // The workspace's own tsconfig: from the root, @rollup/plugin-typescript would type-check this and fail.
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmitOnError: true, module: 'esnext', moduleResolution: 'bundler' }, include: ['tools/**/*.ts'] }),
      'tools/broken.ts': 'export const n: number = "not a number";\n',
    }, {}, { bun: true });
    // Started as `node_modules/.bin/nx` with a PATH that has node but no node_modules/.bin (what
    // an IDE or a CI step that calls the bin directly gives).
    first = await ws.run(ws.path('node_modules/.bin/nx'), ['run-many', '-t', 'build'], { PATH: `${dirname(process.execPath)}:/bin`, NX_DAEMON: 'false' });
  });
  afterAll(() => ws?.dispose());

  it('builds all five in one batch', () => {
    expect(first.code, first.output).toBe(0);
  });

  it.each(['ui-esbuild', 'ui-rollup', 'ui-bun'])('%s: one file per module (tests left out), with per-module declarations; Node imports each', (name) => {
    const files = [...tree(ws.path(`packages/${name}/dist`)).keys()].sort();
    const expected = MODULES.flatMap((m) => {
      const stem = m.replace(/^src\//, '').replace(/\.tsx?$/, '');
      return [`${stem}.js`, `${stem}.cjs`, `${stem}.d.ts`, `${stem}.d.cts`];
    });
    expect(files).toEqual(expected.sort());
    const dist = ws.path(`packages/${name}/dist`);
    const cjsFile = JSON.stringify(`${dist}/index.cjs`);
    // bun's CommonJS names its exports in no form Node's import() reads (docs/adapters.md#bun): required.
    const loadCjs = name === 'ui-bun' ? `(await import('node:module')).createRequire(import.meta.url)(${cjsFile})` : `await import(${cjsFile})`;
    const script = `for (const f of ${JSON.stringify(files.filter((f) => !f.includes('.d.')))}) await import(${JSON.stringify(`${dist}/`)} + f);
const esm = await import(${JSON.stringify(`${dist}/index.js`)}); const cjs = ${loadCjs};
console.log(esm.Button(' a '), cjs.Button(' b '));`;
    return ws.run(process.execPath, ['--input-type=module', '-e', script]).then((run) => {
      expect(run.code, run.output).toBe(0);
      expect(run.stdout.trim()).toBe('<button>a</button> <button>b</button>');
    });
  });

  it('esbuild: byte-identical to a hand-written esbuild call over the same modules', async () => {
    const esbuild = createRequire(ws.path('package.json'))('esbuild') as typeof import('esbuild');
    const pkg = ws.path('packages/ui-esbuild');
    for (const { format, ext } of FORMATS) {
      await esbuild.build({
        absWorkingDir: ws.root,
        entryPoints: MODULES.map((m) => join(pkg, m)),
        outbase: join(pkg, 'src'),
        outdir: ws.path('hand/esbuild'),
        bundle: true,
        format,
        platform: 'node',
        target: ['es2022'],
        outExtension: { '.js': ext },
        plugins: [handWrittenRewrite(ext)],
        logLevel: 'silent',
      });
    }
    const built = tree(join(pkg, 'dist'));
    const hand = tree(ws.path('hand/esbuild'));
    expect(hand.size).toBe(8);
    for (const [rel, bytes] of hand) expect(built.get(rel)?.equals(bytes), rel).toBe(true);
  });

  it('rollup: byte-identical to a hand-written rollup config over the same modules (preserveModules)', async () => {
    const req = createRequire(ws.path('package.json'));
    const rollup = req('rollup') as typeof import('rollup');
    const esbuild = req('esbuild') as typeof import('esbuild');
    const pkg = ws.path('packages/ui-rollup');
    const bundle = await rollup.rollup({
      input: MODULES.map((m) => join(pkg, m)),
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
      plugins: [
        {
          name: 'typescript-by-esbuild',
          resolveId(source, importer) {
            if (!importer || !source.startsWith('.')) return null;
            const base = resolve(dirname(importer), source.replace(/\.js$/, ''));
            return ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((e) => base + e).find((f) => statSync(f, { throwIfNoEntry: false })?.isFile()) ?? null;
          },
          async transform(code, id) {
            const out = await esbuild.transform(code, { loader: id.endsWith('x') ? 'tsx' : 'ts', sourcefile: id, sourcemap: 'external', target: ['es2022'], define: {}, logLevel: 'silent' });
            return { code: out.code, map: out.map || null };
          },
        },
      ],
    });
    for (const { rollup: format, ext } of FORMATS) {
      await bundle.write({
        dir: ws.path('hand/rollup'),
        format,
        entryFileNames: `[name]${ext}`,
        chunkFileNames: `[name]-[hash]${ext}`,
        preserveModules: true,
        preserveModulesRoot: join(pkg, 'src'),
        sourcemap: false,
        ...(format === 'cjs' ? { exports: 'named' as const } : {}),
      });
    }
    await bundle.close();
    const built = tree(join(pkg, 'dist'));
    const hand = tree(ws.path('hand/rollup'));
    expect(hand.size).toBe(8);
    for (const [rel, bytes] of hand) expect(built.get(rel)?.equals(bytes), rel).toBe(true);
  });

  it('result.json lists exactly the files on disk, with their sha256', () => {
    for (const name of ['ui-esbuild', 'ui-rollup', 'ui-bun', 'own-rollup']) {
      const result = ws.json(`packages/${name}/.build-system/result.json`);
      const onDisk = [...tree(ws.path(`packages/${name}/dist`))].map(([rel, bytes]) => [`packages/${name}/dist/${rel}`, createHash('sha256').update(bytes).digest('hex')]);
      const listed = result.artifacts.map((a: { path: string; sha256: string }) => [a.path, a.sha256]);
      expect(listed.sort(), name).toEqual(onDisk.sort());
    }
  });

  it("a hook runs the workspace's tsc although nx's PATH has no node_modules/.bin", () => {
    const result = ws.json('packages/hooked/.build-system/result.json');
    expect(result.hooks).toMatchObject([{ name: 'tsc --version', exitCode: 0 }]);
    expect(ws.read('packages/hooked/.build-system/build.log')).toMatch(/Version \d+\.\d+\.\d+/);
  });

  it("a package's own rollup.config with @rollup/plugin-typescript uses the package's tsconfig, not the failing root one", () => {
    expect(ws.json('packages/own-rollup/.build-system/result.json').status).toBe('success');
    expect(ws.read('packages/own-rollup/dist/index.js')).toContain('hello ${name}');
  });

  it('a second run restores every build from the cache with integrity ok', async () => {
    const again = await ws.nx(['run-many', '-t', 'build']);
    expect(again.code, again.output).toBe(0);
    const tasks = ws.json('.nx/build-system/runs/latest.json').tasks;
    expect(tasks).toHaveLength(5);
    for (const task of tasks) {
      expect(task.cacheHit, task.taskId).toBe(true);
      expect(task.integrity, task.taskId).toEqual({ ok: true, problems: [] });
    }
  });
});
