import { readdirSync, readFileSync } from 'node:fs';

/**
 * Ends what this batch process started and waits until it has no child process left, before the
 * batch reports its last result. Nx then stops the batch process with a graceful tree kill that
 * signals the leaves first and waits for each to be gone from the process table: an esbuild
 * service that exits while this process is itself exiting stays a zombie, is handed to pid 1, and
 * Nx waits until pid 1 reaps it. Where pid 1 reaps lazily or never (containers without an init,
 * sandboxes) that cost 1.5-5 s per `nx run` with the daemon on.
 */
export async function leaveNoChildren(boundMs = 500): Promise<void> {
  stopEsbuildServices();
  const until = Date.now() + boundMs;
  // Each turn of the event loop lets libuv reap the children that have exited.
  while (childPids().length && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Every esbuild copy this process loaded (the workspace's for builds, the plugin's for configs):
 * looked up in require's cache, so a build that never loaded esbuild does not load it now.
 */
function stopEsbuildServices(): void {
  for (const [file, entry] of Object.entries(require.cache)) {
    if (!/[\\/]esbuild[\\/]lib[\\/]main\.js$/.test(file)) continue;
    const stop = (entry?.exports as { stop?: () => unknown } | undefined)?.stop;
    if (typeof stop === 'function') {
      try {
        void stop();
      } catch {
        // An esbuild too old to have stop(): its service ends with this process, as before.
      }
    }
  }
}

/** Child pids of every thread of this process (Linux: /proc/self/task/<tid>/children); [] elsewhere. */
function childPids(): number[] {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const tid of tids) {
    try {
      for (const pid of readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ')) if (pid.trim()) pids.push(Number(pid));
    } catch {
      // A thread that ended meanwhile, or a kernel without the children file.
    }
  }
  return pids;
}
