import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const build = (ws: TestWorkspace, request: Parameters<typeof buildPackage>[1] = {}) => buildPackage(ws, { project: 'greet', ...request });
const command = (cmd: string, extra = '') => `{ builder: 'custom', builderOptions: { command: ${JSON.stringify(cmd)} }${extra} }`;

/** Writes where it ran and what it was given into $BUILD_SYSTEM_OUT_DIR/context.json. */
const REPORT_CONTEXT = `node -e "require('fs').writeFileSync(process.env.BUILD_SYSTEM_OUT_DIR + '/context.json', JSON.stringify({ cwd: process.cwd(), outDir: process.env.BUILD_SYSTEM_OUT_DIR, input: require(process.env.BUILD_SYSTEM_INPUT), greeting: process.env.GREETING }))"`;

describe('custom builder', () => {
  it('runs the command in the package root with the staging folder in BUILD_SYSTEM_OUT_DIR and the build input in BUILD_SYSTEM_INPUT', async () => {
    const ws = createLibraryWorkspace(tempDir, command(REPORT_CONTEXT, ", env: { defaults: { GREETING: 'hi' } }"));

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    const context = JSON.parse(fs.readFileSync(path.join(ws.pkg, 'dist/context.json'), 'utf8'));
    expect(context.cwd).toBe(ws.pkg);
    expect(path.basename(context.outDir)).toMatch(/^\.dist\.staging-/);
    expect(context.input).toMatchObject({ packageRoot: ws.pkg, formats: ['esm'], entries: [{ name: 'index', file: path.join(ws.pkg, 'src/index.ts') }] });
    expect(context.greeting).toBe('hi');
    expect(result.artifacts.map((a) => a.path)).toEqual([`${ws.pkgRel}/dist/context.json`]);
  });

  it('fails with the exit code when the command exits non-zero', async () => {
    const ws = createLibraryWorkspace(tempDir, command('echo "something broke" >&2; exit 3'));

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'BS_BUILD_FAILED', message: 'The custom command `echo "something broke" >&2; exit 3` exited with code 3: something broke.' }),
    ]);
  });

  it('warns when the command wrote nothing to BUILD_SYSTEM_OUT_DIR, and fails for the missing artifacts', async () => {
    const ws = createLibraryWorkspace(tempDir, command('mkdir -p dist && echo "x" > dist/index.js'));

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.warnings[0].message).toMatch(/wrote nothing to \$BUILD_SYSTEM_OUT_DIR/);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_ARTIFACT_MISSING' })]);
    expect(result.errors[0].hint).toBe(`custom finished without an error but wrote no file: read its output in ${ws.pkgRel}/.build-system/build.log, and check \`entry\` and \`outDir\` in ${ws.pkgRel}/build.config.ts.`);
  });

  it('lists artifacts from the `artifacts` globs', async () => {
    const ws = createLibraryWorkspace(
      tempDir,
      command('mkdir -p "$BUILD_SYSTEM_OUT_DIR/js" && echo "export {}" > "$BUILD_SYSTEM_OUT_DIR/js/index.js" && echo "notes" > "$BUILD_SYSTEM_OUT_DIR/notes.txt"', ", artifacts: ['dist/js/**']"),
    );

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => a.path)).toEqual([`${ws.pkgRel}/dist/js/index.js`]);
  });

  it('stops the whole process tree of the command when the build is cancelled', async () => {
    const ws = createLibraryWorkspace(tempDir, command('sleep 300 & echo $! > ../sleeper.pid; touch ../started; wait'));
    const controller = new AbortController();
    const started = path.join(ws.root, 'packages/started');

    const pending = build(ws, { signal: controller.signal });
    while (!fs.existsSync(started)) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const result = await pending;

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILD_CANCELLED' })]);
    const sleeper = Number(fs.readFileSync(path.join(ws.root, 'packages/sleeper.pid'), 'utf8'));
    await expect.poll(() => isRunning(sleeper), { timeout: 10_000 }).toBe(false);
  });

  it('needs exactly one of builderOptions.command and builderOptions.module', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'custom' }");

    const result = await build(ws);

    expect(result.errors[0].message).toMatch(/needs exactly one of builderOptions\.command .* or builderOptions\.module/);
  });

  it('reports a module whose default export is not a function', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'custom', builderOptions: { module: 'scripts/not-a-build.ts' } }", {
      files: { 'scripts/not-a-build.ts': 'export const build = 1;\n' },
    });

    const result = await build(ws);

    expect(result.errors[0]).toMatchObject({ file: `${ws.pkgRel}/scripts/not-a-build.ts`, message: expect.stringMatching(/has no default export function/) });
  });
});

/** Alive and not a zombie waiting to be reaped (its parent shell was stopped with it). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}
