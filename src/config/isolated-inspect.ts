import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BuildSystemError, type ErrorCode } from '../errors';
import type { ConfigSummary } from './inspect';
import { compileConfig, type CompiledConfig } from './load';

/** How long one config may take to evaluate before it is stopped (docs/config.md). */
export const DEFAULT_CONFIG_TIMEOUT_MS = 30_000;

interface Pending {
  file: string;
  compiled: CompiledConfig;
  displayName: string;
  resolve: (summary: ConfigSummary) => void;
  reject: (error: BuildSystemError) => void;
}

/** Configs evaluated at once in the worker: their compiles overlap in esbuild's service. */
const CONCURRENCY = 16;

/**
 * Evaluates build configs in a worker thread, bounded in time. A config is user code: a busy loop,
 * a wait that never ends, `process.exit` or an uncaught error must become that package's config
 * error, not a hung project graph or a dead build process.
 *
 * Up to 16 configs are in flight at once (a cold graph of 1000 configs pays for its compiles
 * concurrently, as it did in process). A watchdog fires when the worker makes no progress for
 * timeoutMs; on that, on an exit or on an error the worker is stopped and the configs that were in
 * flight are evaluated again one at a time in a fresh worker, so the culprit is named exactly and
 * the others succeed (the culprit's bound is thus at most twice timeoutMs). The worker is started
 * on the first request and never keeps the process alive.
 */
export class ConfigInspector {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending>();
  /** After a failure with several in flight: one at a time until the queue drains. */
  private isolating = false;
  private watchdog: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(private readonly timeoutMs = DEFAULT_CONFIG_TIMEOUT_MS) {}

  /** Compiles here (bounded: esbuild never runs user code) unless given the compiled config, then evaluates in the worker. */
  async inspect(file: string, displayName: string, compiled?: CompiledConfig): Promise<ConfigSummary> {
    const code = compiled ?? (await compileConfig(file));
    return new Promise((resolve, reject) => {
      this.queue.push({ file, compiled: code, displayName, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker (pending requests fail). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    clearTimeout(this.watchdog);
    const pending = [...this.inFlight.values(), ...this.queue.splice(0)];
    this.inFlight.clear();
    for (const p of pending) p.reject(new BuildSystemError('BS_CONFIG_LOAD_FAILED', `${p.displayName} was not evaluated: the inspector was closed.`));
    await worker?.terminate();
  }

  private pump(): void {
    const limit = this.isolating ? 1 : CONCURRENCY;
    while (this.queue.length && this.inFlight.size < limit) {
      const next = this.queue.shift()!;
      const worker = this.ensureWorker();
      const id = this.nextId++;
      this.inFlight.set(id, next);
      worker.ref();
      worker.postMessage({ id, compiled: next.compiled, displayName: next.displayName });
    }
    this.armWatchdog();
  }

  /** Restarted on every answer: it measures how long the worker made no progress. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (this.inFlight.size === 0) {
      this.worker?.unref();
      if (!this.queue.length) this.isolating = false;
      return;
    }
    this.watchdog = setTimeout(() => this.stopWorker((p) => timedOut(p.displayName, p.file, this.timeoutMs)), this.timeoutMs);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    worker.on('message', (message: { id: number; summary?: ConfigSummary; error?: SerializedError }) => {
      const pending = this.inFlight.get(message.id);
      if (!pending || this.worker !== worker) return;
      this.inFlight.delete(message.id);
      if (message.summary) pending.resolve(message.summary);
      else pending.reject(revive(message.error!));
      this.pump();
    });
    worker.on('error', (e) => {
      if (this.worker !== worker) return;
      this.stopWorker((p) => new BuildSystemError('BS_CONFIG_LOAD_FAILED', `Evaluating ${p.displayName} threw later, outside the config's own code path: ${e.message}`, { file: p.file }));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      // process.exit() inside a worker ends only the worker: that is how it shows.
      this.stopWorker(
        (p) =>
          new BuildSystemError('BS_CONFIG_LOAD_FAILED', `Evaluating ${p.displayName} called process.exit(${code}): a config must export its settings, never end the process.`, {
            file: p.file,
            hint: 'Remove the process.exit call (throw an Error instead: it becomes this config error with its message).',
          }),
      );
    });
    this.worker = worker;
    return worker;
  }

  /**
   * The worker hung, exited or threw. With one config in flight it is the culprit and gets the
   * error; with several, they are all evaluated again one at a time to find out which it was.
   */
  private stopWorker(errorFor: (p: Pending) => BuildSystemError): void {
    const worker = this.worker;
    this.worker = undefined;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (worker) void worker.terminate();
    const stuck = [...this.inFlight.values()];
    this.inFlight.clear();
    if (stuck.length === 1) stuck[0].reject(errorFor(stuck[0]));
    else if (stuck.length > 1) {
      this.isolating = true;
      this.queue.unshift(...stuck);
    }
    this.pump();
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
    inspect: async (file, displayName, compiled) => {
      const { inspectBuildConfig, inspectCompiledConfig } = await import('./inspect');
      return compiled ? inspectCompiledConfig(compiled, displayName) : inspectBuildConfig(file, displayName);
    },
    close: async () => undefined,
  };
}

const shared = new Map<number | undefined, ReturnType<typeof createConfigInspector>>();

/**
 * One inspector per process and timeout (inference's plugin worker, a build's batch process): its
 * thread starts on the first config it is asked about and never keeps the process alive.
 */
export function sharedConfigInspector(timeoutMs?: number): ReturnType<typeof createConfigInspector> {
  let inspector = shared.get(timeoutMs);
  if (!inspector) shared.set(timeoutMs, (inspector = createConfigInspector(timeoutMs)));
  return inspector;
}

/**
 * Evaluates a config in isolation before a build evaluates it in its own process; resolves when
 * it evaluates (valid or not: the build reports schema errors itself), throws the bounded
 * failures (BS_CONFIG_TIMEOUT, process.exit, syntax, a throw).
 */
export async function probeConfig(file: string, displayName: string, timeoutMs?: number, compiled?: CompiledConfig): Promise<void> {
  try {
    await sharedConfigInspector(timeoutMs).inspect(file, displayName, compiled);
  } catch (e) {
    if ((e as BuildSystemError).code === 'BS_CONFIG_INVALID') return;
    throw e;
  }
}
