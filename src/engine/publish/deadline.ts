/**
 * A signal that aborts when `parent` does or after `ms`. Hand-written instead of
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])` because on Node 20 a garbage collection
 * drops that pair's timer, and the timeout never fires (a stalled upload hung for minutes while
 * holding the package lock). Here the controller and the timer are held until dispose().
 */
export interface Deadline {
  signal: AbortSignal;
  /** The time ran out (as opposed to the parent being aborted). */
  timedOut(): boolean;
  /** Stops the timer and forgets the parent; call when the guarded work is over. */
  dispose(): void;
}

export function withDeadline(parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`Timed out after ${ms} ms.`, 'TimeoutError'));
  }, ms);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
