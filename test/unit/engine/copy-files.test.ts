import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFiles, type CopyRequest } from '../../../src/engine/copy-files';
import { isBuildSystemError } from '../../../src/errors';
import { useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

/** A package with a README, a loader, assets and an old dist; copies go to a fresh staging folder. */
function setup(items: CopyRequest['items']): CopyRequest {
  const root = tempDir();
  const packageRoot = path.join(root, 'pkg');
  writeFiles(packageRoot, {
    'README.md': '# pkg\n',
    'src/loader.cjs': 'module.exports = require("./index.js");\n',
    'assets/logo.svg': '<svg/>',
    'assets/icons/a.svg': '<svg id="a"/>',
    'assets/icons/b.png': 'png',
    'dist/README.md': 'old output',
    'node_modules/dep/README.md': 'not ours',
  });
  const targetDir = path.join(packageRoot, '.dist.staging-1');
  fs.mkdirSync(targetDir);
  return { packageRoot, outDir: path.join(packageRoot, 'dist'), targetDir, items, configFile: path.join(packageRoot, 'build.config.ts'), rel: (p) => path.relative(root, p) };
}

/** Files under dir, relative, sorted. */
function listed(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}

async function copyError(request: CopyRequest): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await copyFiles(request);
  } catch (e) {
    if (isBuildSystemError(e)) return { code: e.code, message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('copyFiles did not fail');
}

describe('copy: files and globs into the output', () => {
  it('copies a file to the same package-relative path without `to`, byte for byte', async () => {
    const request = setup(['README.md', 'src/loader.cjs']);
    await copyFiles(request);
    expect(listed(request.targetDir)).toEqual(['README.md', 'src/loader.cjs']);
    expect(fs.readFileSync(path.join(request.targetDir, 'src/loader.cjs'), 'utf8')).toBe('module.exports = require("./index.js");\n');
  });

  it('renames a file with `to`, and puts it into a folder when `to` ends with "/"', async () => {
    const request = setup([{ from: 'src/loader.cjs', to: 'index.cjs' }, { from: 'README.md', to: 'docs/' }]);
    const written = await copyFiles(request);
    expect(listed(request.targetDir)).toEqual(['docs/README.md', 'index.cjs']);
    expect(written.sort()).toEqual([path.join(request.targetDir, 'docs/README.md'), path.join(request.targetDir, 'index.cjs')]);
  });

  it('copies a glob below its static base into `to`, and a folder as its whole tree', async () => {
    const request = setup([{ from: 'assets/icons/*.svg', to: 'icons' }, 'assets']);
    await copyFiles(request);
    expect(listed(request.targetDir)).toEqual(['assets/icons/a.svg', 'assets/icons/b.png', 'assets/logo.svg', 'icons/a.svg']);
  });

  it('never copies from node_modules or the previous outDir through a glob', async () => {
    const request = setup(['**/README.md']);
    await copyFiles(request);
    expect(listed(request.targetDir)).toEqual(['README.md']);
  });

  it('fails with BS_COPY_NO_MATCH and a hint when a glob or file matches nothing', async () => {
    for (const from of ['docs/**/*.md', 'LICENSE']) {
      const error = await copyError(setup([from]));
      expect(error.code).toBe('BS_COPY_NO_MATCH');
      expect(error.message).toContain(`copy "${from}" matched no file`);
      expect(error.hint).toContain('relative to the package root');
    }
  });

  it('refuses sources outside the package, in outDir or through a link that leaves it, and a `to` outside outDir (BS_COPY_OUTSIDE_PACKAGE)', async () => {
    const outside = setup(['../secret.txt']);
    fs.writeFileSync(path.join(outside.packageRoot, '../secret.txt'), 'secret');
    expect(await copyError(outside)).toMatchObject({ code: 'BS_COPY_OUTSIDE_PACKAGE', message: 'copy "../secret.txt" is outside the package.' });

    expect((await copyError(setup(['dist/README.md']))).message).toContain('is inside outDir');
    expect((await copyError(setup([{ from: 'README.md', to: '../README.md' }]))).message).toContain('outside outDir');

    const linked = setup(['link.txt']);
    fs.symlinkSync(path.join(linked.packageRoot, '../secret.txt'), path.join(linked.packageRoot, 'link.txt'));
    fs.writeFileSync(path.join(linked.packageRoot, '../secret.txt'), 'secret');
    expect(await copyError(linked)).toMatchObject({ code: 'BS_COPY_OUTSIDE_PACKAGE' });
    expect(listed(linked.targetDir)).toEqual([]);
  });

  it('fails with BS_COPY_CONFLICT rather than overwrite a file the build wrote', async () => {
    const request = setup([{ from: 'src/loader.cjs', to: 'index.js' }]);
    fs.writeFileSync(path.join(request.targetDir, 'index.js'), 'built');
    expect(await copyError(request)).toMatchObject({ code: 'BS_COPY_CONFLICT' });
    expect(fs.readFileSync(path.join(request.targetDir, 'index.js'), 'utf8')).toBe('built');
  });
});
