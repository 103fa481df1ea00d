import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

const FIXTURE = join(__dirname, '../fixtures/greet-lib');

/** The shared fixture library (src/, scripts/, tsconfig) under packages/<name>, as @demo/<name>. */
function fixtureFiles(name: string, config: string, extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const abs = join(dir, entry);
      if (statSync(abs).isDirectory()) walk(abs);
      else files[`packages/${name}/${relative(FIXTURE, abs)}`] = readFileSync(abs, 'utf8');
    }
  };
  walk(FIXTURE);
  files[`packages/${name}/package.json`] = JSON.stringify({ name: `@demo/${name}`, version: '1.0.0', type: 'module' });
  files[`packages/${name}/build.config.ts`] = `export default ${config};\n`;
  for (const [file, text] of Object.entries(extra)) files[`packages/${name}/${file}`] = text;
  return files;
}

const DUAL = "entry: 'src/index.ts', formats: ['esm', 'cjs'], dts: true";
/** The package's own rolldown config: ESM and CommonJS, as the build config's formats would give. */
const ROLLDOWN_CONFIG = `export default {
  input: { index: 'src/index.ts' },
  output: [{ dir: 'dist', format: 'esm' }, { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', exports: 'named' }],
};
`;
/** Each package, keyed by its folder; `builder` when it is not the key. */
const BUILDERS: Record<string, { config: string; cjs: string; builder?: string; files?: Record<string, string> }> = {
  esbuild: { config: `{ builder: 'esbuild', ${DUAL} }`, cjs: 'dist/index.cjs' },
  bun: { config: `{ builder: 'bun', ${DUAL} }`, cjs: 'dist/index.cjs' },
  rollup: { config: `{ builder: 'rollup', ${DUAL} }`, cjs: 'dist/index.cjs' },
  rolldown: { config: `{ builder: 'rolldown', ${DUAL} }`, cjs: 'dist/index.cjs' },
  'rolldown-config': {
    config: "{ builder: 'rolldown', builderOptions: { config: 'rolldown.config.mjs' }, dts: true }",
    cjs: 'dist/index.cjs',
    builder: 'rolldown',
    files: { 'rolldown.config.mjs': ROLLDOWN_CONFIG },
  },
  tsc: { config: `{ builder: 'tsc', ${DUAL} }`, cjs: 'dist/cjs/index.js' },
  custom: { config: `{ builder: 'custom', builderOptions: { command: 'node scripts/custom-build.mjs' }, ${DUAL} }`, cjs: 'dist/index.cjs' },
};

describe('every builder through nx, on the same library', () => {
  let ws: Workspace;

  beforeAll(() => {
    const files: Record<string, string> = {};
    for (const [name, b] of Object.entries(BUILDERS)) Object.assign(files, fixtureFiles(name, b.config, b.files));
    files['consumer/tsconfig.json'] = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false, types: [] }, include: ['*.ts'] });
    files['consumer/use.ts'] = Object.keys(BUILDERS)
      .map((name) => [name, name.replace(/\W/g, '_')])
      .map(([name, id]) => `import { greet as ${id} } from '../packages/${name}/dist/index.js';\nconst ${id}Result: string = ${id}('x');\n`)
      .join('');
    files['consumer/package.json'] = JSON.stringify({ type: 'module' });
    ws = Workspace.create(inject('installDir'), files, {}, { bun: true });
  });
  afterAll(() => ws?.dispose());

  it('builds every one; ESM and CJS run, every artifact has size and sha256, the .d.ts type-check a consumer', async () => {
    const run = await ws.nx(['run-many', '-t', 'build']);
    expect(run.code, run.output).toBe(0);
    // Builders write into a staging folder; what the terminal shows is the configured outDir.
    expect(run.output).not.toMatch(/\.dist\.staging-/);
    for (const [name, b] of Object.entries(BUILDERS)) {
      const result = ws.json(`packages/${name}/.build-system/result.json`);
      expect(result.status, name).toBe('success');
      expect(result.builder.name, name).toBe(b.builder ?? name);
      if (name !== 'custom') expect(result.builder.version, name).toMatch(/^\d+\.\d+/);
      expect(result.artifacts.filter((a: { kind: string }) => a.kind === 'types').length, name).toBeGreaterThan(0);
      for (const a of result.artifacts) {
        expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(statSync(ws.path(a.path)).size).toBe(a.size);
      }
      const esm = await ws.run(process.execPath, ['--input-type=module', '-e', `import { greet } from './packages/${name}/dist/index.js'; console.log(greet('esm'))`]);
      expect(esm.stdout.trim(), `${name} esm: ${esm.output}`).toBe('HELLO ESM!');
      const cjs = await ws.run(process.execPath, ['-e', `console.log(require('./packages/${name}/${b.cjs}').greet('cjs'))`]);
      expect(cjs.stdout.trim(), `${name} cjs: ${cjs.output}`).toBe('HELLO CJS!');
    }
    const typecheck = await ws.run(process.execPath, [ws.path('node_modules/typescript/bin/tsc'), '-p', 'consumer/tsconfig.json']);
    expect(typecheck.code, typecheck.output).toBe(0);
  });

  it('a syntax error gives file:line:col in the terminal and in errors[] for each builder', async () => {
    for (const name of Object.keys(BUILDERS)) ws.write(`packages/${name}/src/shout.ts`, 'export function shout(text: string): string {\n  const broken = ;\n  return text;\n}\n');
    const run = await ws.nx(['run-many', '-t', 'build', '--output-style=static']);
    expect(run.code).not.toBe(0);
    for (const name of Object.keys(BUILDERS)) {
      const result = ws.json(`packages/${name}/.build-system/result.json`);
      expect(result.status, name).toBe('failure');
      const located = result.errors.find((e: { file?: string }) => e.file === `packages/${name}/src/shout.ts`);
      expect(located, `${name}: ${JSON.stringify(result.errors)}`).toMatchObject({ line: 2 });
      expect(run.output).toContain(`packages/${name}/src/shout.ts:2:${located.column}`);
    }
  });
});

describe("builder: 'auto'", () => {
  let ws: Workspace;
  const installDir = () => inject('installDir');

  beforeAll(() => {
    ws = Workspace.create(installDir(), fixtureFiles('lib', "{ entry: 'src/index.ts' }"));
  });
  afterAll(() => ws?.dispose());

  it('uses esbuild without bun and bun with the npm bun package, and the two never share a cache entry', async () => {
    const withoutBun = await ws.nx(['run', '@demo/lib:build']);
    expect(withoutBun.code, withoutBun.output).toBe(0);
    expect(ws.json('packages/lib/.build-system/result.json').builder.name).toBe('esbuild');

    ws.setBun(installDir(), true);
    const withBun = await ws.nx(['run', '@demo/lib:build']);
    expect(withBun.code, withBun.output).toBe(0);
    expect(withBun.output).not.toContain('local cache');
    expect(ws.json('packages/lib/.build-system/result.json').builder.name).toBe('bun');

    ws.setBun(installDir(), false);
    const again = await ws.nx(['run', '@demo/lib:build']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('local cache');
    expect(ws.json('packages/lib/.build-system/result.json').builder.name).toBe('esbuild');
  });

  it('a builder that is asked for but missing fails before anything is cleaned, with its own code and a hint', async () => {
    ws.write('packages/lib/build.config.ts', "export default { entry: 'src/index.ts', builder: 'bun' };\n");
    const before = ws.read('packages/lib/dist/index.js');
    const run = await ws.nx(['run', '@demo/lib:build', '--clean']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_BUILDER_UNAVAILABLE');
    expect(run.output).toMatch(/npm i(nstall)? -D bun/);
    expect(ws.read('packages/lib/dist/index.js')).toBe(before);
  });
});
