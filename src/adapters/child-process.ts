import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { packageBinEnv } from './bin-path';

export interface RunProcessOptions {
  /** Executable, or a shell command line when `shell` is true. */
  command: string;
  args?: string[];
  shell?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * The workspace root: PATH then starts with `node_modules/.bin` of cwd and of each folder up to
   * it, as under npm scripts (see bin-path.ts). Every builder, hook and custom command passes it.
   */
  workspaceRoot?: string;
  signal: AbortSignal;
  /** Stop the process tree after this long (SIGTERM, then SIGKILL) and report `timedOut`. */
  timeoutMs?: number;
  /** Each line of output as it arrives (without its newline); the last partial line at exit. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ProcessOutcome {
  /** null when the process was killed by a signal or could not start. */
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The abort signal fired and the process tree was stopped. */
  cancelled: boolean;
  /** timeoutMs ran out and the process tree was stopped. */
  timedOut: boolean;
  /** The process exited but left processes of its group running; they were stopped. */
  stoppedLeftovers: boolean;
  /** Set when the process could not be started (ENOENT, EACCES...). */
  spawnError?: Error;
}

/** After SIGTERM, a process tree that is still running after this long gets SIGKILL. */
const KILL_GRACE_MS = 5_000;
/**
 * After the process itself exits, what it left in its group (a `cmd &` in a hook, a grandchild
 * holding the output pipe) gets this long to finish before it is stopped.
 */
const LEFTOVER_GRACE_MS = 1_000;

/**
 * The one child-process policy for builders, hooks and custom commands: the child leads its own
 * process group; the outcome is decided when the child exits, not when its output pipes close
 * (a background grandchild may hold them for ever); anything of its group still running then is
 * stopped; a timeout or an abort (Ctrl+C, a CI's SIGTERM) sends SIGTERM to the whole group and
 * SIGKILL after a grace, and the grace is enforced even when the child itself exits at once.
 * Output is passed on line by line as it arrives and also kept whole for parsing.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  return new Promise((resolvePromise) => {
    if (options.signal.aborted) {
      resolvePromise({ exitCode: null, exitSignal: null, stdout: '', stderr: '', cancelled: true, timedOut: false, stoppedLeftovers: false });
      return;
    }
    const child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: (options.workspaceRoot ? packageBinEnv(options.env, options.cwd, options.workspaceRoot) : options.env) as NodeJS.ProcessEnv,
      shell: options.shell ?? false,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const chunks = { stdout: [] as string[], stderr: [] as string[] };
    const partial = { stdout: '', stderr: '' };
    let cancelled = false;
    let timedOut = false;
    let stoppedLeftovers = false;
    let spawnError: Error | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));

    const emit = (stream: 'stdout' | 'stderr', text: string, flush: boolean) => {
      chunks[stream].push(text);
      if (!options.onLine) return;
      const lines = (partial[stream] + text).split(/\r?\n/);
      partial[stream] = flush ? '' : (lines.pop() ?? '');
      for (const line of flush && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines) options.onLine(line, stream);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => emit('stdout', d, false));
    child.stderr.setEncoding('utf8').on('data', (d: string) => emit('stderr', d, false));

    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      killTree(child.pid, 'SIGTERM');
      later(KILL_GRACE_MS, () => killTree(child.pid, 'SIGKILL'));
    };
    const onAbort = () => {
      cancelled = true;
      // The process itself is gone and only what it left runs: no grace for that on a cancel
      // (the caller may be about to be killed itself: a CI's SIGTERM is followed by SIGKILL).
      if (exit) killTree(child.pid, 'SIGKILL');
      stop();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      later(options.timeoutMs, () => {
        timedOut = true;
        stop();
      });
    }

    let settled = false;
    let exitHandled = false;
    let pipesClosed = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      for (const t of timers) clearTimeout(t);
      child.stdout.destroy();
      child.stderr.destroy();
      emit('stdout', '', true);
      emit('stderr', '', true);
      resolvePromise({
        exitCode: spawnError ? null : (exit?.code ?? null),
        exitSignal: exit?.signal ?? null,
        stdout: chunks.stdout.join(''),
        stderr: chunks.stderr.join(''),
        cancelled,
        timedOut,
        stoppedLeftovers,
        ...(spawnError ? { spawnError } : {}),
      });
    };
    const exitHandledNow = () => {
      exitHandled = true;
      if (pipesClosed) settle();
    };

    child.on('error', (e) => {
      spawnError = e;
      // A child that never started emits no exit: nothing else will settle it.
      if (child.pid === undefined) settle();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (!groupAlive(child.pid)) return exitHandledNow();
      // Stopping already: whatever ignored SIGTERM dies now, not after the grace (this process
      // may be about to exit itself, and then no timer of its own would ever fire).
      if (stopping) {
        killTree(child.pid, 'SIGKILL');
        return exitHandledNow();
      }
      // Leftovers of a normal exit get a moment to finish, then the same TERM-then-KILL.
      void waitForGroup(child.pid, LEFTOVER_GRACE_MS, () => stopping).then(async (gone) => {
        if (!gone && stopping) killTree(child.pid, 'SIGKILL');
        else if (!gone) {
          stoppedLeftovers = true;
          killTree(child.pid, 'SIGTERM');
          if (!(await waitForGroup(child.pid, KILL_GRACE_MS))) killTree(child.pid, 'SIGKILL');
        }
        // The pipes a leftover held are closed by settle() itself.
        exitHandled = true;
        settle();
      });
    });
    child.on('close', () => {
      pipesClosed = true;
      if (exitHandled) settle();
    });
  });
}

/** Polls until no process of the group runs; false when it still does after ms (or once `stop()` says so). */
async function waitForGroup(pid: number | undefined, ms: number, stop: () => boolean = () => false): Promise<boolean> {
  const until = performance.now() + ms;
  while (groupAlive(pid)) {
    if (performance.now() > until || stop()) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Whether a process of the group led by pid still runs. Zombies do not count: a leftover that
 * exited waits for init to reap it, which in some containers never happens.
 */
function groupAlive(pid: number | undefined): boolean {
  if (!pid || process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc (macOS): the signal probe is all there is
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name: state, ppid, pgrp.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pid && state !== 'Z') return true;
    } catch {
      /* exited meanwhile */
    }
  }
  return false;
}

/** Signals the child's whole process group (it leads one: spawned detached). */
function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

// FORCE_COLOR makes some tools colour output even into a pipe: parse the text without the codes.
export { stripAnsi } from '../color';
