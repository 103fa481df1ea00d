import { randomUUID } from 'node:crypto';
import { readFileSync, watch } from 'node:fs';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { BuildSystemError, ioFailureHint } from '../errors';

/**
 * One build per package at a time, across processes. Ownership is the exclusive creation of the
 * lock file (O_EXCL), which holds the owner's identity. A dead owner, or a PID since reused by
 * another process (told apart by the process start time), is taken over at once; a live owner
 * never by age alone. Takeovers are serialized by a second exclusive file so two waiters cannot
 * both remove a stale lock and both believe they own the new one.
 */
export interface LockOwner {
  pid: number;
  /** Process start time (Linux clock ticks since boot): defeats PID reuse. */
  processStart?: number;
  host: string;
  command: string;
  startedAt: string;
  token: string;
}

export interface HeldLock {
  file: string;
  owner: LockOwner;
  waitedMs: number;
  /** Set when a dead or reused owner was taken over. */
  tookOverFrom?: LockOwner;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Give up after this long (BS_LOCK_TIMEOUT). Default 10 minutes. */
  timeoutMs?: number;
  /** Called once, when the lock is busy, with the owner being waited for. */
  onWait?: (owner: LockOwner | undefined) => void;
  signal?: AbortSignal;
  /** Heartbeat period: the lock file's mtime is refreshed this often. Default 2 s. */
  heartbeatMs?: number;
}

/** A holder on another host cannot be probed; only a heartbeat this old marks it dead. */
const FOREIGN_STALE_MS = 60_000;
/** A lock file with no readable owner this long after it was last touched is abandoned. */
const UNREADABLE_STALE_MS = 5_000;

export async function acquirePackageLock(file: string, options: AcquireOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const started = performance.now();
  const owner: LockOwner = {
    pid: process.pid,
    processStart: processStartTime(process.pid),
    host: hostname(),
    command: process.argv.slice(1).join(' ').slice(0, 300),
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  await mkdir(dirname(file), { recursive: true });
  let announced = false;
  let tookOverFrom: LockOwner | undefined;
  let delay = 25;
  let wake: Wake | undefined;
  try {
    for (;;) {
      if (await tryCreate(file, owner)) break;
      const holder = await readOwner(file);
      if (holder && (await isStale(file, holder))) {
        if (await takeOver(file, holder)) tookOverFrom = holder;
        continue;
      }
      // An owner writes its identity right after creating the file; one still unreadable after a
      // few seconds was left by a process that died in between (or a full disk): take it over.
      if (!holder && (await unreadableFor(file)) > UNREADABLE_STALE_MS) {
        const blank: LockOwner = { pid: 0, host: hostname(), command: 'unknown (unreadable lock file)', startedAt: 'unknown', token: '' };
        if (await takeOver(file, blank)) tookOverFrom = blank;
        continue;
      }
      if (!announced) {
        announced = true;
        options.onWait?.(holder);
      }
      if (options.signal?.aborted) throw new BuildSystemError('BS_BUILD_CANCELLED', 'Cancelled while waiting for the package lock.');
      if (performance.now() - started > timeoutMs) {
        throw new BuildSystemError(
          'BS_LOCK_TIMEOUT',
          `Timed out after ${timeoutMs} ms waiting for the lock ${file}, held by ${describeOwner(holder)}.`,
          { file },
        );
      }
      wake ??= watchLockFile(file);
      await wake.wait(delay);
      delay = Math.min(delay * 2, 200);
    }
  } finally {
    wake?.close();
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, options.heartbeatMs ?? 2000);
  heartbeat.unref();
  let released = false;
  return {
    file,
    owner,
    waitedMs: Math.round(performance.now() - started),
    tookOverFrom,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Only the owner removes the lock: check the token first.
      const current = await readOwner(file);
      if (current?.token === owner.token) await unlink(file).catch(() => undefined);
    },
  };
}

export function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'an unknown process';
  return `pid ${owner.pid} on ${owner.host} (${owner.command || 'unknown command'}, since ${owner.startedAt})`;
}

async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(JSON.stringify(owner));
    } catch (e) {
      // Never leave an ownerless lock behind (a full disk fails the write, not the create).
      await handle.close().catch(() => undefined);
      await unlink(file).catch(() => undefined);
      throw e;
    }
    await handle.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new BuildSystemError('BS_IO_FAILED', `Could not create the lock ${file}: ${(e as Error).message}`, { file, hint: ioFailureHint((e as NodeJS.ErrnoException).code) });
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    // Missing, or caught between create and write: treat as busy with an unknown owner.
    return undefined;
  }
}

async function isStale(file: string, holder: LockOwner): Promise<boolean> {
  if (holder.host !== hostname()) {
    const info = await stat(file).catch(() => undefined);
    return !!info && Date.now() - info.mtimeMs > FOREIGN_STALE_MS;
  }
  if (!isAlive(holder.pid)) return true;
  const start = processStartTime(holder.pid);
  return holder.processStart !== undefined && start !== undefined && start !== holder.processStart;
}

/** Removes a stale lock under the takeover mutex, after re-checking it is still the same stale one. */
async function takeOver(file: string, stale: LockOwner): Promise<boolean> {
  const mutex = `${file}.takeover`;
  const me: LockOwner = { ...stale, pid: process.pid, processStart: processStartTime(process.pid), host: hostname(), token: randomUUID() };
  if (!(await tryCreate(mutex, me))) {
    const other = await readOwner(mutex);
    if (other && (await isStale(mutex, other))) await unlink(mutex).catch(() => undefined);
    else await sleep(10);
    return false;
  }
  try {
    const current = await readOwner(file);
    if ((current?.token ?? '') !== stale.token) return false;
    await unlink(file).catch(() => undefined);
    return true;
  } finally {
    await unlink(mutex).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; undefined where /proc does not exist. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

interface Wake {
  /** Resolves after ms, or as soon as the lock file changed (e.g. was removed by its holder). */
  wait(ms: number): Promise<void>;
  close(): void;
}

/**
 * Wakes a waiter when the lock file changes instead of at its next poll, so it starts right after
 * the release. Polling stays the fallback: where the folder cannot be watched (inotify limits,
 * network file systems that send no events), wait() is a plain sleep of the backoff.
 */
function watchLockFile(file: string): Wake {
  const name = basename(file);
  let changed = false;
  let wakeUp: (() => void) | undefined;
  const onChange = (_event: string, filename: string | null) => {
    if (filename !== null && filename !== name) return;
    changed = true;
    wakeUp?.();
  };
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, onChange);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    wait(ms) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakeUp = undefined;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, changed ? 0 : ms);
        wakeUp = done;
      });
    },
    close() {
      watcher?.close();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function unreadableFor(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : 0;
}
