import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, PublishAttemptError, withRetries } from '../../../src/engine/publish/retry';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoff', () => {
  it('is a random wait below a ceiling that doubles per attempt (full jitter)', () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, undefined, almostOne))).toEqual([99, 199, 399, 799]);
    expect(backoffDelayMs(3, policy, undefined, () => 0)).toBe(0);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelayMs(20, policy, undefined, () => 0.999_999)).toBe(999);
  });

  it("uses the server's Retry-After instead, capped at maxDelayMs", () => {
    expect(backoffDelayMs(1, policy, 700)).toBe(700);
    expect(backoffDelayMs(1, policy, 60_000)).toBe(1000);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2')).toBe(2000);
  });

  it('reads an HTTP-date relative to now, and a past date as no wait', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('withRetries', () => {
  const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 2 };
  const signal = new AbortController().signal;

  it('stops at retries + 1 attempts on a retryable error', async () => {
    let calls = 0;
    const outcome = await withRetries(async () => {
      calls++;
      throw new PublishAttemptError('503', true);
    }, fast, { signal });
    expect(outcome).toMatchObject({ ok: false, attempts: 4, exhausted: true });
    expect(calls).toBe(4);
  });

  it('stops at once on an error that is not retryable', async () => {
    const outcome = await withRetries(async () => {
      throw new PublishAttemptError('401', false);
    }, fast, { signal });
    expect(outcome).toMatchObject({ ok: false, attempts: 1, exhausted: false });
  });

  it('retries connection errors by their code, also when wrapped as a cause', async () => {
    let calls = 0;
    const outcome = await withRetries(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('connect'), { code: 'ECONNRESET' });
      if (calls === 2) throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    }, fast, { signal });
    expect(outcome).toEqual({ ok: true, attempts: 3 });
  });

  it('does not start an attempt once the signal has aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    let calls = 0;
    const outcome = await withRetries(async () => {
      calls++;
    }, fast, { signal: abort.signal });
    expect(outcome.ok).toBe(false);
    expect(calls).toBe(0);
  });
});
