import { parentPort } from 'node:worker_threads';
import { runTscInProcess, supportsInProcessTsc, type InProcessTscRequest } from './in-process';

// The thread of shared-compiler.ts: one tsc run per message, answered with its output.
parentPort?.on('message', (request: InProcessTscRequest) => {
  parentPort?.postMessage(supportsInProcessTsc(request.typescriptDir) ? runTscInProcess(request) : 'unsupported');
});
