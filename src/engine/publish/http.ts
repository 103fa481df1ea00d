import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { sha256Of } from '../artifacts';
import { withDeadline } from './deadline';
import { parseRetryAfter, PublishAttemptError, transientCode } from './retry';
import { stripCredentials } from './target';
import type { Publisher } from './types';

/** Worth another try: the server (or something before it) is busy or broken, not the request. */
const TRANSIENT_STATUS = (status: number) => status === 408 || status === 429 || (status >= 500 && status <= 599);

const AUTH_HINT = 'The server refused the credentials: check the variable named by publish.tokenEnv (or publish.headers) and its rights on the target.';
const REJECTED_HINT = 'The server rejected the upload: check publish.to (each file is PUT under it) and what the server accepts.';

/**
 * `to: 'http(s)://host/base'`: PUTs each artifact to `<base>/<targetPath>` with Node's fetch.
 * Body: the file's bytes; headers: publish.headers, content-length, x-sha256 and, with
 * publish.tokenEnv, `authorization: Bearer <token>` (a URL's user:password becomes Basic auth,
 * since fetch refuses URLs with credentials). Any 2xx is success; redirects are not followed.
 */
export function createHttpPublisher(to: string): Publisher {
  const base = new URL(to);
  const basic = base.username ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}` : undefined;
  base.username = '';
  base.password = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';

  return {
    name: 'http',
    async publish(artifacts, ctx, signal) {
      for (const artifact of artifacts) {
        signal.throwIfAborted();
        // Streamed, never read whole: an artifact of any size costs a few chunks of memory (a
        // Buffer cannot hold more than 2 GiB, and a 200 MB file cost ~700 MB read at once). The
        // checksum is checked on a first pass; the bytes sent are hashed again on the way out.
        const size = (await stat(artifact.file)).size;
        if ((await sha256Of(artifact.file)) !== artifact.sha256) {
          throw new PublishAttemptError(`${artifact.path} changed after the build listed it; it was not published.`, false, {
            hint: 'Something wrote into outDir after the build (a post hook?). Build again.',
          });
        }
        const url = new URL(base.href);
        // Each path segment encoded on its own: a file name is never read as a query or a "..".
        url.pathname += artifact.targetPath.split('/').map(encodeURIComponent).join('/');
        const shown = `PUT ${stripCredentials(url.href)}`;
        const headers = new Headers(ctx.headers);
        if (!headers.has('content-type')) headers.set('content-type', 'application/octet-stream');
        headers.set('content-length', String(size));
        headers.set('x-sha256', artifact.sha256);
        const authorization = ctx.token ? `Bearer ${ctx.token}` : basic;
        if (authorization) headers.set('authorization', authorization);

        // One deadline for the whole exchange, the reading of an error body included.
        const deadline = withDeadline(signal, ctx.timeoutMs);
        try {
          let response: Response;
          try {
            const sent = createHash('sha256');
            let sentAll = false;
            const file = createReadStream(artifact.file)
              .on('data', (chunk) => sent.update(chunk))
              .on('end', () => (sentAll = true));
            const body = Readable.toWeb(file) as ReadableStream<Uint8Array>;
            // `duplex: 'half'` is what fetch requires for a streamed request body.
            response = await fetch(url, { method: 'PUT', body, headers, redirect: 'manual', signal: deadline.signal, duplex: 'half' } as RequestInit);
            if (response.ok && sentAll && sent.digest('hex') !== artifact.sha256) {
              throw new PublishAttemptError(`${artifact.path} changed while it was uploaded; the copy at ${stripCredentials(url.href)} may be wrong.`, true, {
                hint: 'Something wrote into outDir during the upload (a post hook?). The upload is retried.',
              });
            }
          } catch (e) {
            if (signal.aborted || e instanceof PublishAttemptError) throw e;
            throw requestError(e, shown, ctx.timeoutMs);
          }
          if (response.ok) {
            await response.body?.cancel().catch(() => undefined);
            ctx.markPublished(artifact);
            continue;
          }
          throw await statusError(response, shown, deadline.timedOut, ctx.timeoutMs);
        } finally {
          deadline.dispose();
        }
      }
    },
  };
}

function requestError(e: unknown, shown: string, timeoutMs: number): PublishAttemptError {
  if ((e as Error)?.name === 'TimeoutError') return new PublishAttemptError(`${shown} timed out after ${timeoutMs} ms.`, true);
  const code = transientCode(e);
  if (code) return new PublishAttemptError(`${shown} failed: ${code === 'ECONNREFUSED' ? 'connection refused' : 'connection error'} (${code}).`, true);
  const cause = (e as { cause?: { message?: string } })?.cause?.message;
  return new PublishAttemptError(`${shown} failed: ${cause ?? (e as Error)?.message ?? String(e)}.`, false);
}

async function statusError(response: Response, shown: string, timedOut: () => boolean, timeoutMs: number): Promise<PublishAttemptError> {
  const status = response.status;
  const said = await response
    .text()
    .then((t) => t.replace(/\s+/g, ' ').trim().slice(0, 300))
    .catch(() => '');
  if (timedOut()) return new PublishAttemptError(`${shown} → ${status}, then the response body timed out after ${timeoutMs} ms.`, true);
  const message = `${shown} → ${status}${response.statusText ? ` ${response.statusText}` : ''}${said ? `: ${said}` : ''}`;
  if (TRANSIENT_STATUS(status)) return new PublishAttemptError(message, true, { retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  if (status === 401 || status === 403) return new PublishAttemptError(message, false, { hint: AUTH_HINT });
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return new PublishAttemptError(`${message} (redirect${location ? ` to ${stripCredentials(location)}` : ''}, not followed)`, false, {
      hint: 'Set publish.to to the final URL: redirects are not followed, so credentials never go to another host.',
    });
  }
  return new PublishAttemptError(message, false, { hint: REJECTED_HINT });
}
