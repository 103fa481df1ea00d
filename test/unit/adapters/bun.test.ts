import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBun } from '../../../src/adapters/bun/find-bun';
import { createLibraryWorkspace, importGreet, REPO } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const repoBun = await findBun({ workspaceRoot: REPO, packageRoot: REPO });
if (!repoBun.bun) console.warn(`bun adapter tests skipped: no bun binary (${repoBun.rejected.join('; ') || 'none found'})`);
const build = (ws: TestWorkspace) => buildPackage(ws, { project: 'greet' });

describe.skipIf(!repoBun.bun)('bun builder', () => {
  it('names a renamed entry after its key, with the extension of the package type', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'bun', entry: { main: 'src/index.ts' } }");

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => [a.path, a.kind])).toEqual([[`${ws.pkgRel}/dist/main.js`, 'entry']]);
    expect(importGreet(path.join(ws.pkg, 'dist/main.js'), 'renamed')).toBe('HELLO RENAMED!');
  });

  it('passes define, external, sourcemap and minify to bun build', async () => {
    const ws = createLibraryWorkspace(
      tempDir,
      "{ builder: 'bun', define: { __VERSION__: '\"1.2.3\"' }, external: ['left-pad'], sourcemap: true, minify: true }",
      { files: { 'src/index.ts': "import pad from 'left-pad';\ndeclare const __VERSION__: string;\nexport const version = __VERSION__;\nexport const padded = pad;\n" } },
    );

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    const out = fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8');
    expect(out).toContain('"1.2.3"');
    expect(out).toMatch(/from\s*"left-pad"/);
    expect(out.trim().split('\n').length).toBeLessThanOrEqual(3);
    expect(result.artifacts.map((a) => [a.path, a.kind])).toEqual([
      [`${ws.pkgRel}/dist/index.js`, 'entry'],
      [`${ws.pkgRel}/dist/index.js.map`, 'sourcemap'],
    ]);
  });

  it("records bun's warnings with their file, line and column", async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'bun' }", {
      files: { 'src/index.ts': "import * as shouts from './shout.js';\nexport const missing = (shouts as any).whisper;\n" },
    });

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.warnings).toEqual([
      {
        message: 'Import "whisper" will always be undefined because there is no matching export in "src/shout.ts"',
        file: `${ws.pkgRel}/src/index.ts`,
        line: 2,
        column: 40,
      },
    ]);
  });

  it('reports an unresolvable import as an error at the import', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'bun' }", {
      files: { 'src/index.ts': "export { shout } from './shout.js';\nexport { whisper } from './whisper.js';\n" },
    });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      { code: 'BS_BUILD_FAILED', phase: 'build', message: 'Could not resolve: "./whisper.js"', file: `${ws.pkgRel}/src/index.ts`, line: 2, column: 25 },
    ]);
  });
});
