import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BuildSystemError, type ErrorCode } from '../errors';
import type { ConfigSummary } from './inspect';

/** How long one config may take to evaluate before it is stopped (docs/config.md). */
export const DEFAULT_CONFIG_TIMEOUT_MS = 30_000;

interface Pending {
  file: string;
  displayName: string;
  resolve: (summary: ConfigSummary) => void;
  reject: (error: BuildSystemError) => void;
}

/**
 * Evaluates build configs in a worker thread, one at a time, each bounded by timeoutMs. A config
 * is user code: a busy loop, a wait that never ends, `process.exit` or an uncaught error must
 * become that package's config error, not a hung project graph or a dead build process. The
 * worker is started on the first request and again after it had to be stopped; it never keeps
 * the process alive.
 */
export class ConfigInspector {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private current: (Pending & { id: number; timer: NodeJS.Timeout }) | undefined;
  private nextId = 1;

  constructor(private readonly timeoutMs = DEFAULT_CONFIG_TIMEOUT_MS) {}

  inspect(file: string, displayName: string): Promise<ConfigSummary> {
    return new Promise((resolve, reject) => {
      this.queue.push({ file, displayName, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker (pending requests fail). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const p of this.queue.splice(0)) p.reject(new BuildSystemError('BS_CONFIG_LOAD_FAILED', `${p.displayName} was not evaluated: the inspector was closed.`));
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || !this.queue.length) return;
    const next = this.queue.shift()!;
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const timer = setTimeout(() => this.fail(timedOut(next.displayName, next.file, this.timeoutMs), true), this.timeoutMs);
    this.current = { ...next, id, timer };
    worker.ref();
    worker.postMessage({ id, file: next.file, displayName: next.displayName });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    worker.on('message', (message: { id: number; summary?: ConfigSummary; error?: SerializedError }) => {
      const current = this.current;
      if (!current || message.id !== current.id) return;
      this.settle();
      if (message.summary) current.resolve(message.summary);
      else current.reject(revive(message.error!));
    });
    worker.on('error', (e) => {
      if (this.worker !== worker) return;
      this.fail(new BuildSystemError('BS_CONFIG_LOAD_FAILED', `Evaluating ${this.current?.displayName ?? 'a build config'} threw later, outside the config's own code path: ${e.message}`, this.current ? { file: this.current.file } : {}), false);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // process.exit() inside a worker ends only the worker: that is how it shows.
      if (this.current) {
        const { displayName, file } = this.current;
        this.fail(
          new BuildSystemError('BS_CONFIG_LOAD_FAILED', `Evaluating ${displayName} called process.exit(${code}): a config must export its settings, never end the process.`, {
            file,
            hint: 'Remove the process.exit call (throw an Error instead: it becomes this config error with its message).',
          }),
          false,
        );
      }
    });
    this.worker = worker;
    return worker;
  }

  private settle(): void {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    this.current = undefined;
    this.worker?.unref();
    this.pump();
  }

  /** Fails the current request; a worker that may still be busy with it is stopped. */
  private fail(error: BuildSystemError, stopWorker: boolean): void {
    const current = this.current;
    if (!current) return;
    if (stopWorker && this.worker) {
      const worker = this.worker;
      this.worker = undefined;
      void worker.terminate();
    }
    this.settle();
    current.reject(error);
  }
}

type SerializedError = { code: ErrorCode; message: string; file?: string; line?: number; column?: number; hint?: string; issues?: string[]; detail?: string };

function revive(e: SerializedError): BuildSystemError {
  return new BuildSystemError(e.code, e.message, {
    ...(e.file ? { file: e.file } : {}),
    ...(e.line ? { line: e.line } : {}),
    ...(e.column ? { column: e.column } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.issues ? { issues: e.issues } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
  });
}

function timedOut(displayName: string, file: string, ms: number): BuildSystemError {
  return new BuildSystemError('BS_CONFIG_TIMEOUT', `Evaluating ${displayName} did not finish within ${ms} ms; it was stopped.`, {
    file,
    hint: 'The config (or a file it imports) runs a loop that never ends or waits on something that never comes. Fix it; if it is just slow, raise configTimeoutMs (docs/config.md#config-evaluation).',
  });
}

// Compiled beside this module. Only this repo's unit tests run the TypeScript sources, where no
// worker file exists: they get the same inspection in process (inspect-isolated tests use dist/).
const WORKER_FILE = join(__dirname, 'inspect-worker.js');

/** The isolated inspector where the worker exists; in-process inspection otherwise (sources). */
export function createConfigInspector(timeoutMs?: number): Pick<ConfigInspector, 'inspect' | 'close'> {
  if (existsSync(WORKER_FILE)) return new ConfigInspector(timeoutMs);
  return {
    inspect: async (file, displayName) => (await import('./inspect')).inspectBuildConfig(file, displayName),
    close: async () => undefined,
  };
}

const probes = new Map<number | undefined, ReturnType<typeof createConfigInspector>>();

/**
 * Evaluates a config in isolation before a build evaluates it in its own process; resolves when
 * it evaluates (valid or not: the build reports schema errors itself), throws the bounded
 * failures (BS_CONFIG_TIMEOUT, process.exit, syntax, a throw). One worker per process and timeout.
 */
export async function probeConfig(file: string, displayName: string, timeoutMs?: number): Promise<void> {
  let inspector = probes.get(timeoutMs);
  if (!inspector) probes.set(timeoutMs, (inspector = createConfigInspector(timeoutMs)));
  try {
    await inspector.inspect(file, displayName);
  } catch (e) {
    if ((e as BuildSystemError).code === 'BS_CONFIG_INVALID') return;
    throw e;
  }
}
