import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import { buildPackage, createWorkspace, useTempDirs, writeFiles, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();

const MODE_SOURCE = 'export const mode: string = process.env.NODE_ENV ?? "unset";\nexport function greet(name: string): string {\n  return `hello ${name}`;\n}\n';

/** Every file under the package's dist (relative, sorted), without the ownership marker. */
function distFiles(ws: TestWorkspace): string[] {
  const dist = path.join(ws.pkg, 'dist');
  return (fs.readdirSync(dist, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() && d.name !== OWNERSHIP_MARKER)
    .map((d) => path.relative(dist, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

function node(ws: TestWorkspace, script: string): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: ws.pkg, encoding: 'utf8' }).trim();
}

describe('output variants', () => {
  it('builds every output into one outDir and lists each file once with the output that wrote it', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{
        outputs: [
          { name: 'esm', format: 'esm' },
          { name: 'production', format: 'cjs', dir: 'cjs', extension: '.production.js', minify: true, define: { 'process.env.NODE_ENV': '"production"' } },
          { name: 'development', format: 'cjs', dir: 'cjs', extension: '.development.js', define: { 'process.env.NODE_ENV': '"development"' } },
        ],
      }`,
      files: { 'src/index.ts': MODE_SOURCE },
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(distFiles(ws)).toEqual(['cjs/index.development.js', 'cjs/index.production.js', 'cjs/package.json', 'index.js']);
    expect(result.artifacts.map((a) => [a.path.replace(`${ws.pkgRel}/dist/`, ''), a.variant])).toEqual([
      ['cjs/index.development.js', 'development'],
      ['cjs/index.production.js', 'production'],
      ['cjs/package.json', 'production'],
      ['index.js', 'esm'],
    ]);
    expect(node(ws, 'console.log(require("./dist/cjs/index.production.js").mode, require("./dist/cjs/index.development.js").mode)')).toBe('production development');
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/cjs/index.production.js'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('lets an environment change every output, and one output by name', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{
        outputs: [
          { name: 'esm', format: 'esm' },
          { name: 'cjs', format: 'cjs', sourcemap: false },
        ],
        environments: { production: { sourcemap: true, outputs: { esm: { banner: '/* esm production */' } } } },
      }`,
    });

    await buildPackage(ws, { configuration: 'production' });

    expect(distFiles(ws)).toEqual(['index.cjs', 'index.js', 'index.js.map']);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toMatch(/^\/\* esm production \*\/\n/);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.cjs'), 'utf8')).not.toContain('esm production');
  });

  it('writes a package.json type marker only into folders whose .js files Node would read as the other format', async () => {
    const ws = createWorkspace(tempDir, {
      type: 'commonjs',
      config: `{ outputs: [{ name: 'cjs', format: 'cjs', dir: 'cjs' }, { name: 'es', format: 'esm', dir: 'es', extension: '.js' }, { name: 'mjs', format: 'esm', dir: 'mjs', extension: '.mjs' }] }`,
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(distFiles(ws)).toEqual(['cjs/index.js', 'es/index.js', 'es/package.json', 'mjs/index.mjs']);
    expect(JSON.parse(fs.readFileSync(path.join(ws.pkg, 'dist/es/package.json'), 'utf8'))).toEqual({ type: 'module' });
    expect(node(ws, 'import("./dist/es/index.js").then((m) => console.log(m.greet("es")))')).toBe('hello es');
  });

  it('makes require() return the default export with the named exports attached, with cjsInterop', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{ outputs: [{ name: 'cjs', format: 'cjs', cjsInterop: true }] }`,
      files: { 'src/index.ts': 'export default function greet(name: string): string {\n  return `hello ${name}`;\n}\nexport const version = "1.0";\n' },
    });

    await buildPackage(ws);

    expect(node(ws, 'const m = require("./dist/index.cjs"); console.log(typeof m, m("you"), m.version, m.default === m)')).toBe('function hello you 1.0 true');
  });

  it('leaves module.exports as the exports object with cjsInterop when there is no default export', async () => {
    const ws = createWorkspace(tempDir, { config: `{ outputs: [{ name: 'cjs', format: 'cjs', cjsInterop: true }] }` });

    await buildPackage(ws);

    expect(node(ws, 'const m = require("./dist/index.cjs"); console.log(typeof m, m.greet("you"))')).toBe('object hello you');
  });

  it('fails the build with the diagnostics of a failing output and keeps the previous outputs', async () => {
    const ws = createWorkspace(tempDir, { config: `{ outputs: [{ name: 'esm', format: 'esm' }, { name: 'broken', format: 'cjs', entry: 'src/broken.ts' }] }`, files: { 'src/broken.ts': 'export const x = 1;\n' } });
    await buildPackage(ws);
    writeFiles(ws.pkg, { 'src/broken.ts': 'export const x = ;\n', 'src/index.ts': 'export const changed = 1;\n' });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toMatchObject([{ code: 'BS_BUILD_FAILED', file: `${ws.pkgRel}/src/broken.ts`, line: 1 }]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toContain('hello');
  });
});

describe('output variants: config errors found before building', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['formats beside outputs', `{ formats: ['esm'], outputs: [{ name: 'a', format: 'cjs' }] }`, /`formats` and `outputs` are both set/],
    ['formats in an environment of a config with outputs', `{ outputs: [{ name: 'a', format: 'cjs' }], environments: { development: { formats: ['esm'] } } }`, /environments\.development sets `formats`/],
    ['an environment changing an output that does not exist', `{ outputs: [{ name: 'cjs', format: 'cjs' }], environments: { development: { outputs: { cj: { minify: true } } } } }`, /no output named "cj" \(did you mean "cjs"\?\)/],
    ['environment outputs without outputs', `{ environments: { development: { outputs: { cjs: { minify: true } } } } }`, /declares no `outputs`/],
    ['two outputs writing the same file', `{ outputs: [{ name: 'a', format: 'cjs' }, { name: 'b', format: 'cjs', minify: true }] }`, /Outputs "a" and "b" would both write index\.cjs/],
    ['a bundleless output beside a bundle of the same folder and extension', `{ outputs: [{ name: 'a', format: 'esm', bundle: false }, { name: 'b', format: 'esm', entry: { other: 'src/index.ts' } }] }`, /Outputs "a" and "b" would both write other\.js/],
    ['.js files of both formats in one folder', `{ outputs: [{ name: 'a', format: 'esm' }, { name: 'b', format: 'cjs', extension: '.js', entry: { b: 'src/index.ts' } }] }`, /would both write \.js files into outDir/],
    ['cjsInterop on an ES module output', `{ outputs: [{ name: 'a', format: 'esm', cjsInterop: true }] }`, /cjsInterop applies to CommonJS only/],
  ];
  for (const [what, config, message] of cases) {
    it(`rejects ${what} with BS_CONFIG_INVALID`, async () => {
      const ws = createWorkspace(tempDir, { config });

      const result = await buildPackage(ws);

      expect(result.errors).toMatchObject([{ code: 'BS_CONFIG_INVALID', message: expect.stringMatching(message) }]);
      expect(fs.existsSync(path.join(ws.pkg, 'dist'))).toBe(false);
    });
  }

  it('rejects two outputs of one name in the schema', async () => {
    const ws = createWorkspace(tempDir, { config: `{ outputs: [{ name: 'a', format: 'esm' }, { name: 'a', format: 'cjs' }] }` });

    const result = await buildPackage(ws);

    expect(result.errors).toMatchObject([{ code: 'BS_CONFIG_INVALID', message: expect.stringContaining('"a" names two outputs') }]);
  });
});

describe('output variants: bundleless', () => {
  it('writes one file per module for a bundleless output beside a bundle of the same entry', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{ outputs: [{ name: 'modules', format: 'esm', bundle: false, dir: 'esm' }, { name: 'bundle', format: 'cjs' }] }`,
      files: { 'src/index.ts': "export { greet } from './greet';\n", 'src/greet.ts': 'export const greet = (who: string): string => `hello ${who}`;\n' },
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(distFiles(ws)).toEqual(['esm/greet.js', 'esm/index.js', 'index.cjs']);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/esm/index.js'), 'utf8')).toContain('./greet.js');
    expect(node(ws, 'import("./dist/esm/index.js").then((m) => console.log(m.greet("esm"), require("./dist/index.cjs").greet("cjs")))')).toBe('hello esm hello cjs');
  });
});
