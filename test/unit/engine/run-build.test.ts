import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import { buildResultSchema } from '../../../src/result/schema';
import { buildPackage, createWorkspace, readResultFile, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

const DUAL_FORMAT_CONFIG = "{ formats: ['esm', 'cjs'], sourcemap: true }";

/** Runs a script in a fresh Node process (no vitest transforms) and returns its stdout. */
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { encoding: 'utf8' }).trim();
}

function importInNode(file: string): string {
  const url = JSON.stringify(pathToFileURL(file).href);
  return runNode(['--input-type=module', '-e', `const m = await import(${url}); console.log(m.greet('esm'));`]);
}

function requireInNode(file: string): string {
  return runNode(['-e', `console.log(require(${JSON.stringify(file)}).greet('cjs'));`]);
}

describe('runBuild: a successful build', () => {
  it('writes the ESM and CJS bundles and their source maps to dist', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(fs.readdirSync(path.join(ws.pkg, 'dist')).sort()).toEqual([OWNERSHIP_MARKER, 'index.cjs', 'index.cjs.map', 'index.js', 'index.js.map']);
  });

  it('writes the result to <package>/.build-system/result.json, valid against the BuildResult schema', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });

    const result = await buildPackage(ws);

    const onDisk = readResultFile(ws);
    expect(buildResultSchema.safeParse(onDisk).success).toBe(true);
    expect(onDisk).toEqual(result);
  });

  it('records the project, the environment, the builder and workspace-relative outDir and logFile', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });

    const result = await buildPackage(ws, { inputHash: 'abc123' });

    expect(result).toMatchObject({
      project: 'lib',
      environment: 'development',
      builder: { name: 'esbuild', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      inputHash: 'abc123',
      outDir: 'packages/lib/dist',
      logFile: 'packages/lib/.build-system/build.log',
      hooks: [],
      warnings: [],
    });
  });

  it('lists every output as an artifact with its workspace-relative path and kind', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });

    const result = await buildPackage(ws);

    expect(result.artifacts.map(({ path: p, kind }) => ({ path: p, kind }))).toEqual([
      { path: 'packages/lib/dist/index.cjs', kind: 'entry' },
      { path: 'packages/lib/dist/index.cjs.map', kind: 'sourcemap' },
      { path: 'packages/lib/dist/index.js', kind: 'entry' },
      { path: 'packages/lib/dist/index.js.map', kind: 'sourcemap' },
    ]);
  });

  it('gives each artifact the size and sha256 of the file on disk', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });

    const result = await buildPackage(ws);

    expect(result.artifacts).toHaveLength(4);
    for (const artifact of result.artifacts) {
      const contents = fs.readFileSync(path.join(ws.root, artifact.path));
      expect(artifact.size).toBe(contents.length);
      expect(artifact.sha256).toBe(createHash('sha256').update(contents).digest('hex'));
    }
  });

  it('emits an ESM bundle that Node imports and that runs', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });
    await buildPackage(ws);

    expect(importInNode(path.join(ws.pkg, 'dist/index.js'))).toBe('hello esm');
  });

  it('emits a CJS bundle that Node requires and that runs', async () => {
    const ws = createWorkspace(tempDir, { config: DUAL_FORMAT_CONFIG });
    await buildPackage(ws);

    expect(requireInNode(path.join(ws.pkg, 'dist/index.cjs'))).toBe('hello cjs');
  });

  it('names the outputs .mjs (ESM) and .js (CJS) in a commonjs package, and both run', async () => {
    const ws = createWorkspace(tempDir, { type: 'commonjs', config: "{ formats: ['esm', 'cjs'] }" });

    const result = await buildPackage(ws);

    expect(result.artifacts.map((a) => a.path)).toEqual(['packages/lib/dist/index.js', 'packages/lib/dist/index.mjs']);
    expect(importInNode(path.join(ws.pkg, 'dist/index.mjs'))).toBe('hello esm');
    expect(requireInNode(path.join(ws.pkg, 'dist/index.js'))).toBe('hello cjs');
  });

  it('applies the overrides of the environment named by the configuration', async () => {
    const ws = createWorkspace(tempDir, { config: "{ environments: { production: { outDir: 'release' } } }" });

    const result = await buildPackage(ws, { configuration: 'production' });

    expect(result.environment).toBe('production');
    expect(result.artifacts.map((a) => a.path)).toEqual(['packages/lib/release/index.js']);
    expect(fs.existsSync(path.join(ws.pkg, 'dist'))).toBe(false);
  });

  it('builds the ci environment, with the production overrides, when CI is set in the request env', async () => {
    const ws = createWorkspace(tempDir, { config: "{ environments: { production: { outDir: 'release' } } }" });

    const result = await buildPackage(ws, { env: { PATH: process.env.PATH, CI: 'true' } });

    expect(result.environment).toBe('ci');
    expect(result.artifacts.map((a) => a.path)).toEqual(['packages/lib/release/index.js']);
  });

  it('keeps packages listed as dependencies out of the bundle', async () => {
    const ws = createWorkspace(tempDir, {
      packageJson: { dependencies: { 'left-pad': '^1.3.0' } },
      files: { 'src/index.ts': "import leftPad from 'left-pad';\nexport const pad = (s: string) => leftPad(s, 4);\n" },
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toContain('from "left-pad"');
  });

  it('writes the build log beside the result', async () => {
    const ws = createWorkspace(tempDir);

    await buildPackage(ws);

    expect(fs.readFileSync(path.join(ws.pkg, '.build-system/build.log'), 'utf8')).toContain(
      'Building lib (development) from packages/lib/build.config.ts',
    );
  });
});
