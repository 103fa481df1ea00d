import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runTsc, tscOutputParser, type TscRun, type TscRunOptions, type TypeScriptCompiler } from './compiler';
import { runTscInProcess, supportsInProcessTsc, type InProcessTscReply, type InProcessTscRequest } from './in-process';

/**
 * tsc for `dts: true`, shared by every build of a process: in a batch (Nx's batch executor builds
 * many packages in one process) one TypeScript loaded once, on a worker thread, compiles each
 * package's declarations in turn, instead of one tsc process per package that loads the compiler
 * and parses its lib files again (docs/performance.md#declarations-in-a-batch). Each package is
 * still its own program, from its own tsconfig: diagnostics and outputs are those of its own tsc run.
 *
 * Only TypeScript 5/6 (the `typescript` package, a JavaScript compiler API) is shared; any other
 * compiler (tsgo), and a TypeScript without the steps in-process.ts reuses, runs as a child process.
 */
export async function runSharedTsc(ts: TypeScriptCompiler, args: string[], options: TscRunOptions): Promise<TscRun> {
  if (!canShare(ts)) return runTsc(ts, args, options);
  const reply = await compilerFor(ts.dir).run({ typescriptDir: ts.dir, args, cwd: options.cwd }, options.signal);
  if (reply === 'unsupported') return runTsc(ts, args, options);
  const parser = tscOutputParser(args, options);
  if (reply === 'cancelled') return parser.finish({ exitCode: null, cancelled: true, stdout: '' });
  for (const line of reply.stdout.split(/\r?\n/)) parser.onLine(line, 'stdout');
  return parser.finish({ exitCode: reply.exitCode, cancelled: false, stdout: reply.stdout });
}

function canShare(ts: TypeScriptCompiler): boolean {
  return ts.packageName === 'typescript' && ts.major >= 5 && ts.major < 7 && process.env.BUILD_SYSTEM_SHARED_TSC !== '0';
}

type Reply = InProcessTscReply | 'cancelled' | 'unsupported';

interface SharedCompiler {
  run(request: InProcessTscRequest, signal: AbortSignal): Promise<Reply>;
}

const compilers = new Map<string, SharedCompiler>();

function compilerFor(typescriptDir: string): SharedCompiler {
  let compiler = compilers.get(typescriptDir);
  if (!compiler) compilers.set(typescriptDir, (compiler = existsSync(WORKER_FILE) ? new WorkerCompiler() : inProcessCompiler));
  return compiler;
}

// Compiled beside this module. This repo's unit tests run the TypeScript sources, where no worker
// file exists: they compile on the main thread (the same function; the worker only moves it off).
const WORKER_FILE = join(__dirname, 'shared-compiler-worker.js');

const inProcessCompiler: SharedCompiler = {
  async run(request, signal) {
    if (signal.aborted) return 'cancelled';
    try {
      return supportsInProcessTsc(request.typescriptDir) ? runTscInProcess(request) : 'unsupported';
    } catch {
      return 'unsupported';
    }
  },
};

interface Queued {
  request: InProcessTscRequest;
  signal: AbortSignal;
  done: (reply: Reply) => void;
}

/**
 * One worker thread, one request at a time (a compile is synchronous: the main thread stays free
 * for the bundlers and the progress lines). It never keeps the process alive; a cancelled build
 * ends the thread (a compile cannot be interrupted), and the next request starts a new one.
 */
class WorkerCompiler implements SharedCompiler {
  private worker?: Worker;
  private readonly queue: Queued[] = [];
  private running?: Queued;

  run(request: InProcessTscRequest, signal: AbortSignal): Promise<Reply> {
    return new Promise((done) => {
      const item: Queued = { request, signal, done };
      signal.addEventListener('abort', () => this.cancel(item), { once: true });
      this.queue.push(item);
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const item = this.queue.shift();
    if (!item) return;
    if (item.signal.aborted) return this.settle(item, 'cancelled');
    this.running = item;
    this.thread().postMessage(item.request);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    // Events of a thread already replaced (a cancelled compile's) are not about `running`.
    const current = () => (this.worker === worker ? this.running : undefined);
    worker.on('message', (reply: Reply) => {
      const item = current();
      if (item) this.settle(item, reply);
    });
    // A crash (out of memory, a throw): that request runs as a child process instead.
    const crashed = () => {
      const item = current();
      if (this.worker === worker) this.worker = undefined;
      if (item) this.settle(item, 'unsupported');
    };
    worker.on('error', crashed);
    worker.on('exit', crashed);
    return (this.worker = worker);
  }

  private cancel(item: Queued): void {
    if (this.running === item) {
      const worker = this.worker;
      this.worker = undefined;
      this.settle(item, 'cancelled');
      void worker?.terminate();
      return;
    }
    const at = this.queue.indexOf(item);
    if (at >= 0) {
      this.queue.splice(at, 1);
      item.done('cancelled');
    }
  }

  private settle(item: Queued, reply: Reply): void {
    if (this.running === item) this.running = undefined;
    item.done(reply);
    this.next();
  }
}
