import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Retries after the first attempt; the attempt count is at most retries + 1. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** A failed attempt that says whether trying again can help. Publishers throw this. */
export class PublishAttemptError extends Error {
  readonly retryable: boolean;
  /** The server's Retry-After, in ms. */
  readonly retryAfterMs?: number;
  /** What the user should do next, when more specific than the error code's. */
  readonly hint?: string;

  constructor(message: string, retryable: boolean, options: { retryAfterMs?: number; hint?: string } = {}) {
    super(message);
    this.name = 'PublishAttemptError';
    this.retryable = retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.hint = options.hint;
  }
}

/** Errors that are about the path to the target, not the request: trying again can help. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EBUSY',
  'EAGAIN',
  'EMFILE',
  'ENFILE',
]);

/** The transient code of an error or of its cause (fetch wraps socket errors as `cause`). */
export function transientCode(e: unknown): string | undefined {
  for (let err = e as { code?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 4; err = err.cause as typeof err, depth++) {
    if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code)) return err.code;
  }
  return undefined;
}

export function isRetryable(e: unknown): boolean {
  if (e instanceof PublishAttemptError) return e.retryable;
  if ((e as { retryable?: unknown })?.retryable === true) return true;
  if ((e as { name?: unknown })?.name === 'TimeoutError') return true;
  return transientCode(e) !== undefined;
}

function retryAfterOf(e: unknown): number | undefined {
  const ms = (e as { retryAfterMs?: unknown })?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** `Retry-After` in ms: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Wait after the `failedAttempt`-th attempt: the server's Retry-After when it sent one, else
 * "full jitter" (a random 0..min(max, base·2^(n-1))), so many clients retrying at once spread out.
 * Both are capped at maxDelayMs.
 */
export function backoffDelayMs(failedAttempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

export type RetryOutcome = { ok: true; attempts: number } | { ok: false; attempts: number; error: unknown; exhausted: boolean };

/**
 * Runs `attempt` until it resolves, fails with an error that is not retryable, the retries are
 * used up, or the signal aborts (also during a wait). Never throws.
 */
export async function withRetries(
  attempt: (n: number) => Promise<void>,
  policy: RetryPolicy,
  options: { signal: AbortSignal; onRetry?: (info: { attempt: number; error: unknown; delayMs: number }) => void; random?: () => number },
): Promise<RetryOutcome> {
  for (let n = 1; ; n++) {
    try {
      options.signal.throwIfAborted();
      await attempt(n);
      return { ok: true, attempts: n };
    } catch (error) {
      const retryable = !options.signal.aborted && isRetryable(error);
      if (!retryable || n > policy.retries) return { ok: false, attempts: n, error, exhausted: retryable };
      const delayMs = backoffDelayMs(n, policy, retryAfterOf(error), options.random);
      options.onRetry?.({ attempt: n, error, delayMs });
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch {
        return { ok: false, attempts: n, error, exhausted: false };
      }
    }
  }
}
