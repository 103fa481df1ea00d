import { BuildSystemError } from '../errors';

/** After the deadline, how long an adapter gets to stop what it runs before the build moves on. */
const STOP_GRACE_MS = 5_000;

/**
 * Runs an adapter's build under a time limit. At the deadline its signal is aborted: child-process
 * builders stop their process group (SIGTERM, then SIGKILL). An in-process builder (esbuild,
 * rollup) cannot be interrupted; it is given a grace to return and then left behind: the build
 * fails with BS_BUILD_TIMEOUT either way, and its staging folder is discarded.
 */
export async function withBuilderDeadline<T>(
  run: (signal: AbortSignal) => Promise<T>,
  options: { parent: AbortSignal; timeoutMs: number; builder: string },
): Promise<T> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(options.parent.reason);
  if (options.parent.aborted) onParentAbort();
  else options.parent.addEventListener('abort', onParentAbort, { once: true });
  const timeout = () =>
    new BuildSystemError('BS_BUILD_TIMEOUT', `${options.builder} did not finish within ${options.timeoutMs} ms and was stopped.`, {
      hint: 'Read build.log for what it was doing; set buildTimeoutMs in build.config.ts only if the build is just slow.',
    });
  let timedOut = false;
  let giveUp: NodeJS.Timeout | undefined;
  const deadline = setTimeout(() => {
    timedOut = true;
    controller.abort(timeout());
  }, options.timeoutMs);
  const abandoned = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => {
      if (timedOut) giveUp = setTimeout(() => reject(timeout()), STOP_GRACE_MS);
    });
  });
  try {
    const result = await Promise.race([run(controller.signal), abandoned]);
    if (timedOut) throw timeout();
    return result;
  } finally {
    clearTimeout(deadline);
    clearTimeout(giveUp);
    options.parent.removeEventListener('abort', onParentAbort);
  }
}
