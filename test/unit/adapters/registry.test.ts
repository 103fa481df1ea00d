import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bunAdapter } from '../../../src/adapters/bun';
import { findBun, platformPackages } from '../../../src/adapters/bun/find-bun';
import { OWNERSHIP_MARKER } from '../../../src/engine/output-ownership';
import { createLibraryWorkspace, REPO } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const repoBun = await findBun({ workspaceRoot: REPO, packageRoot: REPO });
if (!repoBun.bun) console.warn(`bun selection tests skipped: no bun binary (${repoBun.rejected.join('; ') || 'none found'})`);

/** PATH without any folder that holds a bun, so only the workspace's own bun can be found. */
function pathWithoutBun(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, 'bun')))
    .join(path.delimiter);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

const build = (ws: TestWorkspace) => buildPackage(ws, { project: 'greet', env: { PATH: process.env.PATH ?? '' } });

describe('builder selection', () => {
  it.skipIf(!repoBun.bun)('auto picks bun when the workspace has it, and records its name and version', async () => {
    const ws = createLibraryWorkspace(tempDir, '{}');

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.builder).toEqual({ name: 'bun', version: repoBun.bun!.version });
  });

  it('auto falls back to esbuild when no bun binary is found', async () => {
    vi.stubEnv('PATH', pathWithoutBun());
    const ws = createLibraryWorkspace(tempDir, '{}', { packages: ['typescript', 'rollup', 'esbuild'] });

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.builder).toEqual({ name: 'esbuild', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it.each([
    { builder: 'rollup', missing: 'rollup', hint: 'npm i -D rollup' },
    { builder: 'rolldown', missing: 'rolldown', hint: 'npm i -D rolldown' },
    { builder: 'tsc', missing: 'typescript', hint: 'npm i -D typescript' },
    { builder: 'bun', missing: 'bun', hint: 'npm i -D bun' },
  ])('a requested $builder that is not installed fails with BS_BUILDER_UNAVAILABLE before the old outputs are cleaned', async ({ builder, missing, hint }) => {
    vi.stubEnv('PATH', pathWithoutBun());
    const ws = createLibraryWorkspace(tempDir, `{ builder: '${builder}', clean: { beforeBuild: true } }`, {
      packages: (['typescript', 'rollup', 'rolldown', 'esbuild', 'bun'] as const).filter((p) => p !== missing),
      // Outputs of an earlier build: ours (marked), so only the missing builder stops this one.
      files: { 'dist/previous.js': 'export const previous = true;\n', [`dist/${OWNERSHIP_MARKER}`]: '' },
    });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILDER_UNAVAILABLE', hint: expect.stringContaining(hint) })]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/previous.js'), 'utf8')).toContain('previous');
  });
});

describe('finding bun', () => {
  it.skipIf(!repoBun.bun)('uses the binary of the @oven/bun-<platform> package when the bun package postinstall did not run', async () => {
    vi.stubEnv('PATH', pathWithoutBun());
    const root = tempDir('bs-bun-');
    const modules = path.join(root, 'node_modules');
    // What npm leaves with install scripts skipped: bun's bin is its placeholder script.
    fs.mkdirSync(path.join(modules, 'bun/bin'), { recursive: true });
    fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
    fs.writeFileSync(path.join(modules, 'bun/package.json'), JSON.stringify({ name: 'bun', version: repoBun.bun!.version }));
    fs.writeFileSync(path.join(modules, 'bun/bin/bun.exe'), 'echo "Error: Bun\'s postinstall script was not run." >&2\nexit 1\n', { mode: 0o755 });
    fs.symlinkSync('../bun/bin/bun.exe', path.join(modules, '.bin/bun'));
    const platformDir = path.join(modules, '@oven', platformPackages()[0]);
    fs.mkdirSync(path.join(platformDir, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(platformDir, 'package.json'), JSON.stringify({ name: `@oven/${platformPackages()[0]}` }));
    fs.symlinkSync(fs.realpathSync(repoBun.bun!.file), path.join(platformDir, 'bin/bun'));

    const availability = await bunAdapter.isAvailable({ workspaceRoot: root, packageRoot: root });
    const found = await findBun({ workspaceRoot: root, packageRoot: root });

    expect(availability).toEqual({ ok: true, version: repoBun.bun!.version });
    expect(found.bun?.file).toBe(path.join(platformDir, 'bin/bun'));
    expect(found.rejected).toEqual([`${path.join(modules, '.bin/bun')}: Error: Bun's postinstall script was not run.`]);
  });

  it("ignores another project's node_modules/.bin on PATH (npm scripts put theirs there)", async () => {
    const root = tempDir('bs-bun-');

    const found = await findBun({ workspaceRoot: root, packageRoot: root }, path.join(REPO, 'node_modules/.bin'));

    expect(found.bun).toBeUndefined();
  });
});
