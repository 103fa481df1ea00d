import { parentPort } from 'node:worker_threads';
import { isBuildSystemError } from '../errors';
import { inspectBuildConfig } from './inspect';

/**
 * The thread isolated-inspect.ts evaluates configs in, one request at a time, so that a config
 * that never returns, calls process.exit (which ends only this thread) or throws later can be
 * told apart and stopped without touching the process that asked.
 */
parentPort?.on('message', async (request: { id: number; file: string; displayName: string }) => {
  try {
    const summary = await inspectBuildConfig(request.file, request.displayName);
    parentPort?.postMessage({ id: request.id, summary });
  } catch (e) {
    const error = isBuildSystemError(e)
      ? { code: e.code, message: e.message, file: e.file, line: e.line, column: e.column, hint: e.hint, issues: e.issues, detail: e.detail }
      : { code: 'BS_CONFIG_LOAD_FAILED', message: (e as Error)?.message ?? String(e) };
    parentPort?.postMessage({ id: request.id, error });
  }
});
