import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuild } from '../../../src/engine/run-build';
import { RESULT_FILE } from '../../../src/config/resolve';

/**
 * A real full disk: a 2 MiB tmpfs holds the whole workspace. Mounting needs root (CI and the
 * dev machines run as root); elsewhere the reason is printed and the test does not run.
 */
const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-diskfull-'));
let mounted = false;
let reason = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  reason = (e as Error).message.split('\n')[0];
  console.warn(`disk-full test not run: cannot mount a tmpfs here (${reason})`);
}

describe.runIf(mounted)('a disk that fills up during the build', () => {
  const pkg = path.join(mountPoint, 'packages/big');

  beforeAll(() => {
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    fs.writeFileSync(path.join(mountPoint, 'package.json'), '{"name":"ws","private":true}');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"big","type":"module"}');
    fs.writeFileSync(path.join(pkg, 'build.config.mjs'), "export default { entry: 'src/index.js', formats: ['esm', 'cjs'], sourcemap: true };\n");
    fs.writeFileSync(path.join(pkg, 'src/index.js'), 'export const small = 1;\n');
  });
  afterAll(() => {
    try {
      execFileSync('umount', [mountPoint]);
    } finally {
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('fails with a code, keeps the previous outputs byte for byte and leaves no success result', async () => {
    const good = await runBuild({ project: 'big', workspaceRoot: mountPoint, packageRoot: pkg, env: {} });
    expect(good.status).toBe('success');
    const before = fs.readFileSync(path.join(pkg, 'dist/index.js'));

    // ~600 KiB of source: esm + cjs + two source maps cannot fit in what is left.
    const big = Array.from({ length: 12000 }, (_, i) => `export const value${i} = "${'x'.repeat(40)}";`).join('\n');
    fs.writeFileSync(path.join(pkg, 'src/index.js'), big);
    const full = await runBuild({ project: 'big', workspaceRoot: mountPoint, packageRoot: pkg, env: {} });

    expect(full.status).toBe('failure');
    expect(full.exitCode).not.toBe(0);
    expect(full.errors.length).toBeGreaterThan(0);
    for (const e of full.errors) expect(e.code).toMatch(/^BS_(BUILD_FAILED|BUILD_CRASHED|IO_FAILED)$/);
    expect(fs.readFileSync(path.join(pkg, 'dist/index.js'))).toEqual(before);
    const onDisk = path.join(pkg, RESULT_FILE);
    if (fs.existsSync(onDisk)) expect(JSON.parse(fs.readFileSync(onDisk, 'utf8')).status).toBe('failure');
    expect(fs.readdirSync(pkg).filter((n) => n.includes('staging'))).toEqual([]);
  });
});

/** Its own 1 MiB tmpfs: filled up before the build starts. */
const fullMount = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-fulldisk-'));
let fullMounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', fullMount], { stdio: 'pipe' });
  fullMounted = true;
} catch {
  /* reported by the disk-full suite above */
}

describe.runIf(fullMounted)('a disk already full when the build starts', () => {
  afterAll(() => {
    try {
      execFileSync('umount', [fullMount]);
    } finally {
      fs.rmSync(fullMount, { recursive: true, force: true });
    }
  });

  it('fails on the lock with BS_IO_FAILED and removes the old result instead of leaving its success', async () => {
    const pkg = path.join(fullMount, 'packages/small');
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    fs.writeFileSync(path.join(fullMount, 'package.json'), '{"name":"ws","private":true}');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"small","type":"module"}');
    fs.writeFileSync(path.join(pkg, 'build.config.mjs'), "export default { entry: 'src/index.js' };\n");
    fs.writeFileSync(path.join(pkg, 'src/index.js'), 'export const small = 1;\n');
    const good = await runBuild({ project: 'small', workspaceRoot: fullMount, packageRoot: pkg, env: {} });
    expect(good.status).toBe('success');
    // Bounded, so that a mount that silently failed can never fill the real disk.
    const fd = fs.openSync(path.join(fullMount, 'filler'), 'w');
    let code: string | undefined;
    try {
      for (let i = 0; i < 64 && !code; i++) {
        try {
          fs.writeSync(fd, Buffer.alloc(64 * 1024));
        } catch (e) {
          code = (e as NodeJS.ErrnoException).code;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    expect(code).toBe('ENOSPC');

    const full = await runBuild({ project: 'small', workspaceRoot: fullMount, packageRoot: pkg, env: {} });

    expect(full.status).toBe('failure');
    expect(full.errors).toEqual([expect.objectContaining({ code: 'BS_IO_FAILED', message: expect.stringContaining('lock') })]);
    expect(fs.existsSync(path.join(pkg, RESULT_FILE))).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'dist/index.js'))).toBe(true);
  });
});

describe.runIf(!mounted)('a disk that fills up during the build (not run)', () => {
  it('reports why it could not run', () => {
    expect(reason).not.toBe('');
  });
});

/** A read-only file system (a tmpfs remounted read-only): the hint names that cause, not disk space. */
const roMount = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-readonly-'));
let roMounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', roMount], { stdio: 'pipe' });
  roMounted = true;
} catch {
  /* reported by the disk-full suite above */
}

describe.runIf(roMounted)('a package on a read-only file system', () => {
  afterAll(() => {
    try {
      execFileSync('umount', [roMount]);
    } finally {
      fs.rmSync(roMount, { recursive: true, force: true });
    }
  });

  it('fails with BS_IO_FAILED and a hint about the read-only file system', async () => {
    const pkg = path.join(roMount, 'packages/ro');
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    fs.writeFileSync(path.join(roMount, 'package.json'), '{"name":"ws","private":true}');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"ro","type":"module"}');
    fs.writeFileSync(path.join(pkg, 'build.config.mjs'), "export default { entry: 'src/index.js' };\n");
    fs.writeFileSync(path.join(pkg, 'src/index.js'), 'export const small = 1;\n');
    // The lock's folder exists (Node reports a recursive mkdir on a read-only file system as ENOENT).
    fs.mkdirSync(path.join(pkg, '.build-system'));
    execFileSync('mount', ['-o', 'remount,ro', roMount]);

    const result = await runBuild({ project: 'ro', workspaceRoot: roMount, packageRoot: pkg, env: {} });

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_IO_FAILED', hint: expect.stringContaining('read-only file system') })]);
    expect(result.errors[0].hint).not.toMatch(/disk space/);
  });
});
