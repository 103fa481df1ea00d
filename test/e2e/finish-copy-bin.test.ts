import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

/**
 * Issue #14, the CLI shape: a `bin` with a shebang, `copy` of a README and a hand-written CommonJS
 * loader, a finishing step that rewrites a bundle. Built through nx, it equals the hand-written
 * esbuild command line + cp + the same script; result.json describes exactly what is on disk; the
 * bin runs for an outside consumer; a cache hit restores it executable, integrity ok.
 */
const PKG = 'packages/cli';
const RESULT = `${PKG}/.build-system/result.json`;
const MARKER = '.build-system-output';

const files: Record<string, string> = {
  [`${PKG}/package.json`]: JSON.stringify(
    {
      name: '@demo/cli',
      version: '1.0.0',
      type: 'module',
      bin: { 'demo-cli': './dist/cli.js', 'demo-cli-cjs': './dist/cli.cjs' },
      exports: { '.': { import: './dist/index.js', require: './dist/index.cjs' } },
      files: ['dist'],
    },
    null,
    2,
  ),
  [`${PKG}/src/index.ts`]: 'export function greet(who: string): string {\n  return `hello ${who}`;\n}\n',
  [`${PKG}/src/cli.ts`]: "#!/usr/bin/env node\nimport { greet } from './index';\n\nconsole.log(greet(process.argv[2] ?? 'world'));\n",
  [`${PKG}/src/loader.cjs`]: "'use strict';\nmodule.exports = { greet: (who) => `hello ${who}` };\n",
  // A hand-written bin, copied (0644 in the repository): only the plugin makes it executable.
  [`${PKG}/src/cli.cjs`]: "#!/usr/bin/env node\n'use strict';\nconsole.log(require('./index.cjs').greet(process.argv[2] ?? 'world'));\n",
  [`${PKG}/README.md`]: '# @demo/cli\n\nSays hello.\n',
  // Run in the output folder (cwd), as a finishing step and by hand.
  [`${PKG}/scripts/license-banner.mjs`]:
    "import { readFileSync, writeFileSync } from 'node:fs';\nwriteFileSync('index.js', `/*! @demo/cli | MIT */\\n${readFileSync('index.js', 'utf8')}`);\n",
  [`${PKG}/build.config.ts`]: `import { defineBuildConfig } from '@repo/build-system';

export default defineBuildConfig({
  builder: 'esbuild',
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  copy: ['README.md', { from: 'src/loader.cjs', to: 'index.cjs' }, { from: 'src/cli.cjs', to: 'cli.cjs' }],
  finish: ['node "$BUILD_SYSTEM_PACKAGE_ROOT/scripts/license-banner.mjs"'],
});
`,
};

/** Every file under dir (relative path → bytes as base64), the ownership marker aside. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = join(dir, rel);
    if (statSync(full).isFile() && rel !== MARKER) out[rel] = readFileSync(full).toString('base64');
  }
  return out;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const isExecutable = (file: string) => (statSync(file).mode & 0o111) === 0o111;

describe('a CLI package: copy, a finishing step and an executable bin', () => {
  let ws: Workspace;
  let scratch: string;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), files);
    scratch = mkdtempSync(join(tmpdir(), 'bs-e2e-cli-'));
  });
  afterAll(async () => {
    await ws?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('builds the same bytes as the hand-written esbuild command line, cp and the same script', async () => {
    const run = await ws.nx(['run', '@demo/cli:build']);
    expect(run.code, run.output).toBe(0);

    const hand = join(scratch, 'hand');
    const esbuild = ws.path('node_modules/esbuild/bin/esbuild');
    execFileSync(esbuild, [`index=${PKG}/src/index.ts`, `cli=${PKG}/src/cli.ts`, '--bundle', '--format=esm', '--platform=node', '--target=es2022', `--outdir=${hand}`, '--log-level=warning'], {
      cwd: ws.root,
    });
    cpSync(ws.path(`${PKG}/README.md`), join(hand, 'README.md'));
    cpSync(ws.path(`${PKG}/src/loader.cjs`), join(hand, 'index.cjs'));
    cpSync(ws.path(`${PKG}/src/cli.cjs`), join(hand, 'cli.cjs'));
    execFileSync(process.execPath, [ws.path(`${PKG}/scripts/license-banner.mjs`)], { cwd: hand });

    expect(tree(ws.path(`${PKG}/dist`))).toEqual(tree(hand));
    expect(ws.read(`${PKG}/dist/index.js`)).toMatch(/^\/\*! @demo\/cli \| MIT \*\/\n/);
  });

  it('result.json lists exactly the files on disk with their sha256, copies as assets, and the finish step', () => {
    const result = ws.json(RESULT);
    const onDisk = Object.keys(tree(ws.path(`${PKG}/dist`)))
      .map((rel) => ({ path: `${PKG}/dist/${rel}`, sha256: sha256(ws.path(`${PKG}/dist/${rel}`)) }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(result.artifacts.map(({ path, sha256 }: { path: string; sha256: string }) => ({ path, sha256 }))).toEqual(onDisk);
    expect(result.artifacts.filter((a: { kind: string }) => a.kind === 'asset').map((a: { path: string }) => a.path)).toEqual([`${PKG}/dist/README.md`, `${PKG}/dist/cli.cjs`, `${PKG}/dist/index.cjs`]);
    expect(result.hooks).toEqual([expect.objectContaining({ phase: 'finish', exitCode: 0 })]);
  });

  it('makes the bins executable, packs them so, and they run through node_modules/.bin for an outside consumer', () => {
    expect(statSync(ws.path(`${PKG}/src/cli.cjs`)).mode & 0o111).toBe(0);
    expect(isExecutable(ws.path(`${PKG}/dist/cli.cjs`))).toBe(true);
    expect(isExecutable(ws.path(`${PKG}/dist/cli.js`))).toBe(true);
    expect(isExecutable(ws.path(`${PKG}/dist/index.js`))).toBe(false);

    const packed = join(scratch, 'packed');
    mkdirSync(packed);
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packed], { cwd: ws.path(PKG), encoding: 'utf8' }).trim().split('\n').pop()!;
    const listing = execFileSync('tar', ['tvzf', join(packed, tarball)], { encoding: 'utf8' });
    expect(listing).toMatch(/^-rwxr-xr-x .* package\/dist\/cli\.js$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* package\/dist\/cli\.cjs$/m);

    const consumer = join(scratch, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(packed, tarball)], { cwd: consumer });
    const out = execFileSync(join(consumer, 'node_modules/.bin/demo-cli'), ['consumer'], { cwd: consumer, encoding: 'utf8' });
    expect(out).toBe('hello consumer\n');
    expect(execFileSync(join(consumer, 'node_modules/.bin/demo-cli-cjs'), ['cjs bin'], { cwd: consumer, encoding: 'utf8' })).toBe('hello cjs bin\n');
    const required = execFileSync(process.execPath, ['-p', "require('@demo/cli').greet('cjs')"], { cwd: consumer, encoding: 'utf8' });
    expect(required).toBe('hello cjs\n');
  });

  it('a cache hit after deleting dist restores the bins executable, integrity ok', async () => {
    ws.remove(`${PKG}/dist`);
    const run = await ws.nx(['run', '@demo/cli:build']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('BS_CACHE_INTEGRITY');
    const task = ws.json('.nx/build-system/runs/latest.json').tasks[0];
    expect(task.cacheHit).toBe(true);
    expect(task.integrity).toEqual({ ok: true, problems: [] });
    expect(isExecutable(ws.path(`${PKG}/dist/cli.js`))).toBe(true);
    expect(isExecutable(ws.path(`${PKG}/dist/cli.cjs`))).toBe(true);
  });
});
