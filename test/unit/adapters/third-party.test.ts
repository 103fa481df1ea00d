import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace, importGreet, REPO } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';

/** test/fixtures/third-party-adapter, "installed" in the workspace as example-transpile-adapter. */
const tempDir = useTempDirs();
const build = (ws: TestWorkspace) => buildPackage(ws, { project: 'greet' });

function withAdapter(files: Record<string, string> = {}): TestWorkspace {
  const ws = createLibraryWorkspace(tempDir, "{ builder: { module: 'example-transpile-adapter' }, entry: ['src/index.ts', 'src/shout.ts'] }", {
    packages: ['esbuild'],
    files,
  });
  fs.symlinkSync(path.join(REPO, 'test/fixtures/third-party-adapter'), path.join(ws.root, 'node_modules/example-transpile-adapter'), 'dir');
  return ws;
}

describe('a third-party adapter (builder: { module })', () => {
  it('builds through the engine and is recorded by its own name and version', async () => {
    const ws = withAdapter();

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(result.builder).toEqual({ name: 'transpile', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(result.artifacts.map((a) => [a.path, a.kind])).toEqual([
      [`${ws.pkgRel}/dist/index.js`, 'entry'],
      [`${ws.pkgRel}/dist/shout.js`, 'entry'],
    ]);
    expect(importGreet(path.join(ws.pkg, 'dist/index.js'), 'plugin')).toBe('HELLO PLUGIN!');
  });

  it('reports its diagnostics with file, line and column', async () => {
    const ws = withAdapter({ 'src/shout.ts': 'export function shout(text: string): string {\n  const broken = ;\n  return text;\n}\n' });

    const result = await build(ws);

    expect(result.errors).toEqual([
      { code: 'BS_BUILD_FAILED', phase: 'build', message: 'Unexpected ";"', file: `${ws.pkgRel}/src/shout.ts`, line: 2, column: 18 },
    ]);
  });
});
