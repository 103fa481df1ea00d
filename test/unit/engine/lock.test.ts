import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { acquirePackageLock, processStartTime, type LockOwner } from '../../../src/engine/lock';
import { isBuildSystemError } from '../../../src/errors';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

function deadPid(): number {
  // A process that has exited: its pid is free (reuse within the test is vanishingly unlikely).
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

function writeOwner(file: string, owner: Partial<LockOwner>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify({ pid: 1, host: hostname(), command: 'test', startedAt: new Date().toISOString(), token: 'stale-token', ...owner }),
  );
}

describe('acquirePackageLock', () => {
  it('creates the lock file with its owner and removes it on release', async () => {
    const file = path.join(tempDir(), '.build-system/lock');
    const lock = await acquirePackageLock(file);
    const owner = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname(), token: lock.owner.token });
    expect(owner.processStart).toBe(processStartTime(process.pid));
    await lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('makes a second acquirer wait, says once whom it waits for, and lets it in after the release', async () => {
    const file = path.join(tempDir(), 'lock');
    const first = await acquirePackageLock(file);
    const waits: Array<LockOwner | undefined> = [];
    const second = acquirePackageLock(file, { onWait: (o) => waits.push(o) });
    await new Promise((r) => setTimeout(r, 300));
    expect(waits).toHaveLength(1);
    expect(waits[0]?.token).toBe(first.owner.token);
    await first.release();
    const held = await second;
    expect(held.waitedMs).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).token).toBe(held.owner.token);
    await held.release();
  });

  it('takes over at once from a dead owner and says so', async () => {
    const file = path.join(tempDir(), 'lock');
    const pid = deadPid();
    writeOwner(file, { pid });
    const lock = await acquirePackageLock(file, { timeoutMs: 2000 });
    expect(lock.tookOverFrom?.pid).toBe(pid);
    await lock.release();
  });

  it('takes over from a reused pid: alive, but started at another time', async () => {
    const file = path.join(tempDir(), 'lock');
    writeOwner(file, { pid: process.pid, processStart: (processStartTime(process.pid) ?? 0) + 12345 });
    const lock = await acquirePackageLock(file, { timeoutMs: 2000 });
    expect(lock.tookOverFrom?.token).toBe('stale-token');
    await lock.release();
  });

  it('never takes over a live owner, however old its lock, and times out naming holder and lock path', async () => {
    const file = path.join(tempDir(), 'lock');
    writeOwner(file, { pid: process.pid, processStart: processStartTime(process.pid), startedAt: '2000-01-01T00:00:00.000Z', command: 'nx run ui:build' });
    const old = new Date('2000-01-01T00:00:00Z');
    fs.utimesSync(file, old, old);
    const error = await acquirePackageLock(file, { timeoutMs: 300 }).catch((e) => e);
    expect(isBuildSystemError(error)).toBe(true);
    expect(error.code).toBe('BS_LOCK_TIMEOUT');
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain('nx run ui:build');
    expect(error.message).toContain(file);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).token).toBe('stale-token');
  });

  it('takes over a lock file left without a readable owner (a crash between create and write)', async () => {
    const file = path.join(tempDir(), 'lock');
    fs.writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const lock = await acquirePackageLock(file, { timeoutMs: 3000 });
    expect(lock.tookOverFrom?.command).toContain('without a valid owner');
    await lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('releases only its own lock', async () => {
    const file = path.join(tempDir(), 'lock');
    const lock = await acquirePackageLock(file);
    writeOwner(file, { pid: process.pid, token: 'someone-else' });
    await lock.release();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).token).toBe('someone-else');
  });

  it('serializes real processes: no two hold the lock at once', async () => {
    const dir = tempDir();
    const bundle = path.join(dir, 'lock.cjs');
    buildSync({ entryPoints: [path.join(__dirname, '../../../src/engine/lock.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const file = path.join(dir, 'pkg/.build-system/lock');
    const script = `
      const { acquirePackageLock } = require(${JSON.stringify(bundle)});
      (async () => {
        const lock = await acquirePackageLock(${JSON.stringify(file)});
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 120));
        const end = Date.now();
        await lock.release();
        console.log(JSON.stringify([start, end]));
      })();`;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => new Promise<[number, number]>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}`))));
      })),
    );
    const sorted = runs.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThanOrEqual(sorted[i - 1][1]);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('acquirePackageLock on odd lock states', () => {
  const oddContents: Record<string, string> = {
    'an empty object': '{}',
    'a number': '5',
    'an array': '[]',
    'null': 'null',
    'a pid of the wrong type': JSON.stringify({ pid: 'x', host: hostname(), token: 't' }),
    'a host of the wrong type': JSON.stringify({ pid: 1, host: 3, token: 't' }),
    'no token': JSON.stringify({ pid: 1, host: hostname() }),
    'not JSON': 'lock',
  };

  for (const [label, content] of Object.entries(oddContents)) {
    it(`takes over an abandoned lock holding ${label}, with a message`, async () => {
      const file = path.join(tempDir(), 'lock');
      fs.writeFileSync(file, content);
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(file, old, old);
      const lock = await acquirePackageLock(file, { timeoutMs: 3000 });
      expect(lock.tookOverFrom?.command).toContain('without a valid owner');
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).token).toBe(lock.owner.token);
      await lock.release();
    });
  }

  it('waits without spinning on a fresh lock without a valid owner, and times out within the bound', async () => {
    const file = path.join(tempDir(), 'lock');
    fs.writeFileSync(file, '{}');
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const error = await acquirePackageLock(file, { timeoutMs: 1500 }).catch((e) => e);
    const waited = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    expect(error.code).toBe('BS_LOCK_TIMEOUT');
    expect(waited).toBeLessThan(1500 + 2000);
    // A busy loop burns about as much CPU as the wait lasts; backoff polling a few percent.
    expect((used.user + used.system) / 1000).toBeLessThan(waited / 3);
  });

  it('stops at once when the lock path is a directory, naming it', async () => {
    const file = path.join(tempDir(), 'lock');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep'), '');
    const error = await acquirePackageLock(file, { timeoutMs: 60_000 }).catch((e) => e);
    expect(error.code).toBe('BS_IO_FAILED');
    expect(error.message).toContain('is a directory');
    expect(fs.existsSync(path.join(file, 'keep'))).toBe(true);
  });

  it('honours Ctrl+C while a takeover is impossible', async () => {
    const file = path.join(tempDir(), 'lock');
    fs.writeFileSync(file, '[]');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const error = await acquirePackageLock(file, { timeoutMs: 60_000, signal: abort.signal }).catch((e) => e);
    expect(error.code).toBe('BS_BUILD_CANCELLED');
  });

  it('removes an abandoned takeover mutex without a valid owner', async () => {
    const file = path.join(tempDir(), 'lock');
    writeOwner(file, { pid: deadPid() });
    fs.writeFileSync(`${file}.takeover`, 'garbage');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.takeover`, old, old);
    const lock = await acquirePackageLock(file, { timeoutMs: 3000 });
    expect(lock.tookOverFrom?.token).toBe('stale-token');
    await lock.release();
  });
});
