import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { readFile, stat, unlink, utimes } from 'node:fs/promises';
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
  mkdirSync(dirname(file), { recursive: true });
  let announced = false;
  let tookOverFrom: LockOwner | undefined;
  let delay = 25;
  let wake: Wake | undefined;
  try {
    for (;;) {
      if (await tryCreate(file, owner)) break;
      const found = await readLock(file);
      let tookOver = false;
      if (found.owner && (await isStale(file, found.owner))) {
        tookOver = await takeOver(file, found);
        if (tookOver) tookOverFrom = found.owner;
      } else if (!found.owner && (await unreadableFor(file)) > UNREADABLE_STALE_MS) {
        // An owner writes its identity right after creating the file; a file still without a
        // well-formed owner a few seconds later was left by a process that died in between, a full
        // disk, or a hand edit: take it over.
        const blank: LockOwner = { pid: 0, host: hostname(), command: 'unknown (lock file without a valid owner)', startedAt: 'unknown', token: '' };
        tookOver = await takeOver(file, found);
        if (tookOver) tookOverFrom = blank;
      } else if (!announced) {
        announced = true;
        options.onWait?.(found.owner);
      }
      // Checked on every pass, takeover attempts included: no state of the lock file may turn
      // this loop into one that ignores the timeout or Ctrl+C.
      if (options.signal?.aborted) throw new BuildSystemError('BS_BUILD_CANCELLED', 'Cancelled while waiting for the package lock.');
      if (performance.now() - started > timeoutMs) {
        throw new BuildSystemError(
          'BS_LOCK_TIMEOUT',
          `Timed out after ${timeoutMs} ms waiting for the lock ${file}, held by ${describeOwner(found.owner)}.`,
          { file },
        );
      }
      if (tookOver) continue;
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
      const current = await readLock(file);
      if (current.owner?.token === owner.token) await unlink(file).catch(() => undefined);
    },
  };
}

export function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'an unknown process';
  return `pid ${owner.pid} on ${owner.host} (${owner.command || 'unknown command'}, since ${owner.startedAt})`;
}

/** Synchronous: a create, a small write and a close, cheaper than a promise file handle (see atomic-write.ts). */
async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  try {
    const fd = openSync(file, 'wx');
    try {
      writeFileSync(fd, JSON.stringify(owner));
    } catch (e) {
      // Never leave an ownerless lock behind (a full disk fails the write, not the create).
      closeQuietly(fd);
      try {
        unlinkSync(file);
      } catch {
        /* the write's error is the one to report */
      }
      throw e;
    }
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new BuildSystemError('BS_IO_FAILED', `Could not create the lock ${file}: ${(e as Error).message}`, { file, hint: ioFailureHint((e as NodeJS.ErrnoException).code) });
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already failing */
  }
}

interface LockContent {
  /** The file's text; undefined when it is missing or cannot be read. */
  raw?: string;
  /** The owner it names, when it is a well-formed one. */
  owner?: LockOwner;
}

async function readLock(file: string): Promise<LockContent> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A directory can never be taken over by unlinking it, and waiting would only time out.
    if (code === 'EISDIR') {
      throw new BuildSystemError('BS_IO_FAILED', `The package lock ${file} is a directory, not a lock file.`, {
        file,
        hint: 'Remove that directory (no build creates it), then build again.',
      });
    }
    // Missing, or caught between create and write: busy with an unknown owner.
    return {};
  }
  return { raw, owner: parseOwner(raw) };
}

/** Well-formed JSON with the wrong shape (a hand edit, another tool) is as good as no owner. */
function parseOwner(raw: string): LockOwner | undefined {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner> | null;
    const valid =
      typeof o === 'object' &&
      o !== null &&
      Number.isInteger(o.pid) &&
      (o.pid as number) > 0 &&
      typeof o.host === 'string' &&
      typeof o.token === 'string' &&
      o.token.length > 0 &&
      (o.processStart === undefined || typeof o.processStart === 'number');
    return valid ? { command: '', startedAt: 'unknown', ...o } as LockOwner : undefined;
  } catch {
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

/**
 * Removes a stale lock under the takeover mutex, after re-checking it still holds the same text
 * (the same stale owner, or the same ownerless content), so two waiters never both take it over.
 */
async function takeOver(file: string, stale: LockContent): Promise<boolean> {
  const mutex = `${file}.takeover`;
  const me: LockOwner = { pid: process.pid, processStart: processStartTime(process.pid), host: hostname(), command: 'lock takeover', startedAt: new Date().toISOString(), token: randomUUID() };
  if (!(await tryCreate(mutex, me))) {
    const other = await readLock(mutex);
    const abandoned = other.owner ? await isStale(mutex, other.owner) : (await unreadableFor(mutex)) > UNREADABLE_STALE_MS;
    if (abandoned) await unlink(mutex).catch(() => undefined);
    return false;
  }
  try {
    const current = await readLock(file);
    if (current.raw !== stale.raw) return false;
    try {
      await unlink(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      // Not removable (permissions): a clear failure now instead of retrying until the timeout.
      throw new BuildSystemError('BS_IO_FAILED', `Could not take over the stale lock ${file}: ${(e as Error).message}`, { file, hint: ioFailureHint(code) });
    }
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


async function unreadableFor(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : 0;
}
