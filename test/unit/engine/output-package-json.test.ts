import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixture-library';
import { buildPackage, createWorkspace, useTempDirs, writeFiles, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();

function outputManifest(ws: TestWorkspace, outDir = 'dist'): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(ws.pkg, outDir, 'package.json'), 'utf8'));
}

/** The repo's TypeScript, installed into the test workspace as npm would (a link). */
function installTypeScript(ws: TestWorkspace): void {
  fs.mkdirSync(path.join(ws.root, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules/typescript'), path.join(ws.root, 'node_modules/typescript'), 'dir');
}

/** Copies outDir into a consumer's node_modules (no link) and runs `script` there with Node. */
function consume(ws: TestWorkspace, name: string, script: string, ext: 'cjs' | 'mjs', outDir = 'dist'): string {
  const consumer = tempDir('bs-consumer-');
  fs.cpSync(path.join(ws.pkg, outDir), path.join(consumer, 'node_modules', name), { recursive: true });
  writeFiles(consumer, { [`main.${ext}`]: script });
  return execFileSync(process.execPath, [`main.${ext}`], { cwd: consumer, encoding: 'utf8' });
}

describe('packageJson.generate', () => {
  it('writes entry points of an ESM + CommonJS build that import and require both resolve', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: 'esbuild', formats: ['esm', 'cjs'], packageJson: { generate: true } }" });

    const result = await buildPackage(ws);

    expect(result.status, JSON.stringify(result.errors)).toBe('success');
    const manifest = outputManifest(ws);
    expect(manifest).toMatchObject({
      name: 'lib',
      version: '1.0.0',
      type: 'module',
      main: './index.cjs',
      module: './index.js',
      exports: { '.': { import: './index.js', require: './index.cjs' }, './package.json': './package.json' },
    });
    expect(result.artifacts.map((a) => a.path)).toContain('packages/lib/dist/package.json');
    expect(consume(ws, 'lib', "console.log(require('lib').greet('cjs'));\n", 'cjs')).toBe('hello cjs\n');
    expect(consume(ws, 'lib', "import { greet } from 'lib';\nconsole.log(greet('esm'));\n", 'mjs')).toBe('hello esm\n');
  });

  it('points types at the declaration named after the JavaScript it describes', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'esbuild', dts: true, packageJson: { generate: true } }",
      files: { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true, types: [], skipLibCheck: true }, include: ['src'] }) },
    });
    installTypeScript(ws);

    const result = await buildPackage(ws);

    expect(result.status, JSON.stringify(result.errors)).toBe('success');
    const manifest = outputManifest(ws);
    expect(manifest.types).toBe('./index.d.ts');
    expect(manifest.exports['.']).toEqual({ types: './index.d.ts', default: './index.js' });
    expect(fs.existsSync(path.join(ws.pkg, 'dist/index.d.ts'))).toBe(true);
  });

  it('follows where tsc mirrored the sources (rootDir) and the format of a .js file from its folder', async () => {
    const ws = createWorkspace(tempDir, {
      type: 'commonjs',
      config: "{ builder: 'tsc', formats: ['cjs', 'esm'], dts: true, packageJson: { generate: true } }",
      files: { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, types: [], rootDir: '.' }, include: ['src'] }) },
    });
    installTypeScript(ws);

    const result = await buildPackage(ws);

    expect(result.status, JSON.stringify(result.errors)).toBe('success');
    const manifest = outputManifest(ws);
    expect(manifest).toMatchObject({
      type: 'commonjs',
      main: './src/index.js',
      module: './esm/src/index.js',
      types: './src/index.d.ts',
      exports: { '.': { require: { types: './src/index.d.ts', default: './src/index.js' } } },
    });
    expect(manifest.exports['.'].import.default).toBe('./esm/src/index.js');
    expect(consume(ws, 'lib', "console.log(require('lib').greet('tsc'));\n", 'cjs')).toBe('hello tsc\n');
    expect(consume(ws, 'lib', "import { greet } from 'lib';\nconsole.log(greet('tsc esm'));\n", 'mjs')).toBe('hello tsc esm\n');
  });

  it("keeps the package's own fields and dependencies, and leaves out what describes the source folder", async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'esbuild', packageJson: { generate: true } }",
      packageJson: {
        description: 'greets',
        license: 'MIT',
        main: './src/index.ts',
        exports: { '.': { development: './src/index.ts', default: './dist/index.js' } },
        files: ['dist'],
        scripts: { build: 'nx build' },
        dependencies: { 'left-pad': '^1.3.0' },
        devDependencies: { typescript: '^5.0.0' },
      },
    });

    const result = await buildPackage(ws);

    expect(result.status, JSON.stringify(result.errors)).toBe('success');
    const manifest = outputManifest(ws);
    expect(manifest).toEqual({
      name: 'lib',
      version: '1.0.0',
      description: 'greets',
      license: 'MIT',
      type: 'module',
      main: './index.js',
      // The same fields the sync generator writes (entry-points.ts): `module` names the ESM file.
      module: './index.js',
      exports: { '.': './index.js', './package.json': './package.json' },
      dependencies: { 'left-pad': '^1.3.0' },
    });
  });

  it("without dependencies of its own, lists the externals with the workspace root's ranges and names those it cannot find", async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'esbuild', external: ['left-pad', '@scope/pkg/sub', 'node:fs', 'missing-one', './local.js'], packageJson: { generate: true } }",
    });
    writeFiles(ws.root, { 'package.json': JSON.stringify({ name: 'workspace', private: true, dependencies: { 'left-pad': '1.3.0' }, devDependencies: { '@scope/pkg': '^2.0.0' } }) });

    const result = await buildPackage(ws);

    expect(result.status, JSON.stringify(result.errors)).toBe('success');
    expect(outputManifest(ws).dependencies).toEqual({ '@scope/pkg': '^2.0.0', 'left-pad': '1.3.0' });
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringContaining('no version of missing-one')]);
  });

  it('builds again over its own generated package.json (the outDir guard knows it is ours)', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: 'esbuild', packageJson: { generate: true } }" });
    expect((await buildPackage(ws)).status).toBe('success');

    const again = await buildPackage(ws, { clean: true });

    expect(again.status, JSON.stringify(again.errors)).toBe('success');
    expect(outputManifest(ws).main).toBe('./index.js');
  });

  it('writes no package.json into outDir unless asked', async () => {
    const ws = createWorkspace(tempDir, { config: "{ builder: 'esbuild' }" });
    expect((await buildPackage(ws)).status).toBe('success');
    expect(fs.existsSync(path.join(ws.pkg, 'dist/package.json'))).toBe(false);
  });
});
