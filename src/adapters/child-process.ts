import { spawn, spawnSync } from 'node:child_process';

export interface RunProcessOptions {
  /** Executable, or a shell command line when `shell` is true. */
  command: string;
  args?: string[];
  shell?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
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
  /** Set when the process could not be started (ENOENT, EACCES...). */
  spawnError?: Error;
}

/** After SIGTERM, a process tree that is still running after this long gets SIGKILL. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs a builder as a child process in its own process group and waits for it. Output is passed
 * on line by line as it arrives and also kept whole for parsing. On abort the whole group gets
 * SIGTERM (then SIGKILL), so nothing the builder started keeps writing into a discarded folder.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  return new Promise((resolvePromise) => {
    if (options.signal.aborted) {
      resolvePromise({ exitCode: null, exitSignal: null, stdout: '', stderr: '', cancelled: true });
      return;
    }
    const child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      shell: options.shell ?? false,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const chunks = { stdout: [] as string[], stderr: [] as string[] };
    const partial = { stdout: '', stderr: '' };
    let cancelled = false;
    let spawnError: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const emit = (stream: 'stdout' | 'stderr', text: string, flush: boolean) => {
      chunks[stream].push(text);
      if (!options.onLine) return;
      const lines = (partial[stream] + text).split(/\r?\n/);
      partial[stream] = flush ? '' : (lines.pop() ?? '');
      for (const line of flush && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines) options.onLine(line, stream);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => emit('stdout', d, false));
    child.stderr.setEncoding('utf8').on('data', (d: string) => emit('stderr', d, false));

    const onAbort = () => {
      cancelled = true;
      killTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (exitCode, exitSignal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      emit('stdout', '', true);
      emit('stderr', '', true);
      resolvePromise({
        exitCode: spawnError ? null : exitCode,
        exitSignal,
        stdout: chunks.stdout.join(''),
        stderr: chunks.stderr.join(''),
        cancelled,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
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
