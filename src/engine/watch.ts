import { watch, type FSWatcher } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { RESULT_DIR } from '../config/resolve';
import type { BuildResult } from '../result/schema';
import { runBuild, type BuildRequest } from './run-build';

/**
 * Builds, then rebuilds whenever a file in the package changes, yielding each result. Works the
 * same for every builder (each rebuild is a normal build: staging, swap, fresh result). A failed
 * build does not end the watch; aborting the signal does, after the current build stops.
 */
export async function* watchBuild(request: BuildRequest & { debounceMs?: number }): AsyncIterableIterator<BuildResult> {
  const signal = request.signal ?? new AbortController().signal;
  const packageRoot = resolve(request.workspaceRoot, request.packageRoot);
  let pending = true;
  let wake: (() => void) | undefined;
  const ignored = (file: string) => {
    const top = file.split(sep)[0];
    return top === RESULT_DIR || top === 'node_modules' || top === '.git' || top.startsWith('.') || isOutput(file);
  };
  let outDirRel = 'dist';
  const isOutput = (file: string) => file === outDirRel || file.startsWith(`${outDirRel}${sep}`);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(packageRoot, { recursive: true }, (_event, name) => {
      if (!name || ignored(String(name))) return;
      pending = true;
      wake?.();
    });
  } catch (e) {
    request.onLog?.(`Cannot watch ${packageRoot}: ${(e as Error).message}\n`, 'stderr');
    return;
  }
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      if (!pending) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      // Let a burst of saves settle into one rebuild.
      await new Promise((r) => setTimeout(r, request.debounceMs ?? 100));
      pending = false;
      const result = await runBuild({ ...request, signal });
      outDirRel = relative(packageRoot, resolve(request.workspaceRoot, result.outDir)) || 'dist';
      if (signal.aborted) break;
      yield result;
      request.onLog?.(`Watching ${relative(request.workspaceRoot, packageRoot) || '.'} for changes (Ctrl+C to stop)\n`, 'stdout');
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    watcher.close();
  }
}
