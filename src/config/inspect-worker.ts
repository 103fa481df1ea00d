import { parentPort } from 'node:worker_threads';
import { isBuildSystemError } from '../errors';
import { inspectCompiledConfig } from './inspect';
import type { CompiledConfig } from './load';

/**
 * The thread isolated-inspect.ts evaluates configs in, one request at a time, so that a config
 * that never returns, calls process.exit (which ends only this thread) or throws later can be
 * told apart and stopped without touching the process that asked. Configs arrive compiled: esbuild
 * runs in the thread that asked, because a child process started from this thread (esbuild's
 * service) is never reaped once the thread ends, and Nx waits for such a zombie when it stops the
 * batch process (seconds where nothing reaps orphans promptly, as in containers).
 */
parentPort?.on('message', async (request: { id: number; compiled: CompiledConfig; displayName: string }) => {
  try {
    const summary = await inspectCompiledConfig(request.compiled, request.displayName);
    parentPort?.postMessage({ id: request.id, summary });
  } catch (e) {
    const error = isBuildSystemError(e)
      ? { code: e.code, message: e.message, file: e.file, line: e.line, column: e.column, hint: e.hint, issues: e.issues, detail: e.detail }
      : { code: 'BS_CONFIG_LOAD_FAILED', message: (e as Error)?.message ?? String(e) };
    parentPort?.postMessage({ id: request.id, error });
  }
});
