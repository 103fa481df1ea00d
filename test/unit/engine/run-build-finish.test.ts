import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import { buildPackage, configSource, createWorkspace, readResultFile, useTempDirs, writeFiles, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();

/** A build.config.ts with node:fs at hand, for finish functions. */
const configWithFs = (objectSource: string) =>
  `import fs from 'node:fs';\nimport path from 'node:path';\nimport { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig(${objectSource});\n`;

/** Every file under the package's dist (marker aside) with its sha256, as result.json should list them. */
function filesOnDisk(ws: TestWorkspace): Array<{ path: string; sha256: string }> {
  const dist = path.join(ws.pkg, 'dist');
  return (fs.readdirSync(dist, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dist, f)).isFile() && f !== OWNERSHIP_MARKER)
    .map((f) => ({ path: `${ws.pkgRel}/dist/${f.split(path.sep).join('/')}`, sha256: createHash('sha256').update(fs.readFileSync(path.join(dist, f))).digest('hex') }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

describe('runBuild: copy and finishing steps in staging', () => {
  it('runs finish steps after the builder and copy, and lists exactly the files they leave, with their checksums', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{
        copy: ['README.md'],
        finish: [
          'test -f index.js && test -f README.md && rm README.md && printf "// finished\\\\n" >> index.js',
          { name: 'add notice', command: 'echo notice > NOTICE.txt' },
        ],
      }`,
      files: { 'README.md': '# lib\n' },
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(result.status).toBe('success');
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toMatch(/\/\/ finished\n$/);
    expect(result.artifacts.map(({ path, sha256 }) => ({ path, sha256 }))).toEqual(filesOnDisk(ws));
    expect(result.artifacts.map((a) => a.path)).toEqual(['packages/lib/dist/NOTICE.txt', 'packages/lib/dist/index.js']);
    expect(result.hooks.map(({ name, phase, exitCode }) => ({ name, phase, exitCode }))).toEqual([
      { name: expect.stringContaining('test -f index.js'), phase: 'finish', exitCode: 0 },
      { name: 'add notice', phase: 'finish', exitCode: 0 },
    ]);
    expect(readResultFile(ws)).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it('runs finish commands in the staging folder, so relative paths never reach the previous outDir', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    // The previous outDir holds the marker; staging gets it only at the swap.
    writeFiles(ws.pkg, { 'build.config.ts': configSource(`{ finish: ['test "$(pwd -P)" = "$BUILD_SYSTEM_OUT_DIR" && test ! -e ${OWNERSHIP_MARKER} && touch made-here'] }`) });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(fs.existsSync(path.join(ws.pkg, 'dist/made-here'))).toBe(true);
    expect(fs.existsSync(path.join(ws.pkg, 'made-here'))).toBe(false);
  });

  it('gives finish functions the staging folder as outDir, and the package contract checks what they write', async () => {
    const ws = createWorkspace(tempDir, {
      packageJson: { exports: { '.': { import: './dist/index.js', require: './dist/index.cjs' } } },
      files: {
        'build.config.ts': configWithFs(`{
          formats: ['esm'],
          finish: [function writeCjsLoader({ outDir }) {
            if (outDir.endsWith(path.sep + 'dist')) throw new Error('given the final outDir');
            fs.writeFileSync(path.join(outDir, 'index.cjs'), 'module.exports = {};\\n');
          }],
        }`),
      },
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => a.path)).toContain('packages/lib/dist/index.cjs');
    expect(result.entryPoints).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'packages/lib/dist/index.cjs', format: 'cjs' })]));
  });

  it('fails with BS_FINISH_FAILED, records the step and keeps the previous outputs', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    const before = fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8');
    writeFiles(ws.pkg, { 'build.config.ts': configSource(`{ finish: ['rm index.js', 'exit 3'] }`) });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_FINISH_FAILED', phase: 'hook', message: 'finish step "exit 3" exited with code 3.' })]);
    expect(result.hooks.map((h) => [h.phase, h.exitCode])).toEqual([
      ['finish', 0],
      ['finish', 3],
    ]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toBe(before);
  });

  it('lists copied files as assets, with a rename', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{ copy: [{ from: 'src/loader.cjs', to: 'index.cjs' }, 'README.md'] }`,
      files: { 'README.md': '# lib\n', 'src/loader.cjs': 'module.exports = 1;\n' },
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map(({ path, kind }) => [path, kind])).toEqual([
      ['packages/lib/dist/README.md', 'asset'],
      ['packages/lib/dist/index.cjs', 'asset'],
      ['packages/lib/dist/index.js', 'entry'],
    ]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.cjs'), 'utf8')).toBe('module.exports = 1;\n');
  });

  it.skipIf(process.platform === 'win32')('makes every output that starts with #! executable, a copied one included', async () => {
    // esbuild marks its own #! bundles executable; copied files and other builders' outputs are 0644.
    const ws = createWorkspace(tempDir, {
      config: `{ copy: [{ from: 'bin/cli.cjs', to: 'cli.cjs' }, { from: 'bin/cli.cjs', to: 'plain.txt' }], finish: ['printf "#!/bin/sh\\necho hi\\n" > made.sh && printf "echo no\\n" > other.sh'] }`,
      files: { 'bin/cli.cjs': '#!/usr/bin/env node\nconsole.log("hi");\n' },
    });
    fs.chmodSync(path.join(ws.pkg, 'bin/cli.cjs'), 0o644);

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([]);
    const mode = (file: string) => fs.statSync(path.join(ws.pkg, 'dist', file)).mode & 0o777;
    expect([mode('cli.cjs'), mode('plain.txt'), mode('made.sh'), mode('other.sh') & 0o111]).toEqual([0o755, 0o755, 0o755, 0]);
  });
});
