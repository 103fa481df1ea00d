import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { bundleModule, evaluateModule } from '../../config/module-loader';
import { withDeadline } from './deadline';
import { isRetryable, PublishAttemptError } from './retry';
import type { Publisher } from './types';
import { relativePosix } from '../../paths';

const SHAPE_HINT = 'The default export must be { name: string, publish(artifacts, ctx, signal) }; see docs/publishing.md.';

/**
 * `publish.module`: a package name (resolved from the package root) or a file (absolute, as
 * resolve.ts made it). A file is bundled by esbuild and evaluated like build.config.ts, so
 * .ts/.mts/.cts/.js/.mjs/.cjs all work on Node 20. Each call of its `publish` gets the build's
 * signal combined with `publish.timeoutMs`, and is abandoned when that fires.
 */
export async function loadPublisherModule(specifier: string, packageRoot: string): Promise<Publisher> {
  const shown = isAbsolute(specifier) ? relativePosix(packageRoot, specifier) : specifier;
  let exported: unknown;
  try {
    exported = isAbsolute(specifier) ? await evaluateFile(specifier) : createRequire(join(packageRoot, 'package.json'))(specifier);
  } catch (e) {
    throw new PublishAttemptError(`Publisher module "${shown}" could not be loaded: ${(e as Error)?.message ?? String(e)}`, false, {
      hint: isAbsolute(specifier) ? 'Fix the file named by publish.module (relative to the package root).' : `Install ${specifier} in the workspace; it is resolved from ${packageRoot}.`,
    });
  }
  const candidate = ((exported as { default?: unknown })?.default ?? exported) as Partial<Publisher> | undefined;
  if (!candidate || typeof candidate.name !== 'string' || !candidate.name || typeof candidate.publish !== 'function') {
    throw new PublishAttemptError(`Publisher module "${shown}" does not export a publisher.`, false, { hint: SHAPE_HINT });
  }
  const custom = candidate as Publisher;
  return {
    name: custom.name,
    publish(artifacts, ctx, signal) {
      const deadline = withDeadline(signal, ctx.timeoutMs);
      const combined = deadline.signal;
      return new Promise<void>((resolvePromise, reject) => {
        const onAbort = () =>
          reject(deadline.timedOut() ? new PublishAttemptError(`${custom.name} did not finish within ${ctx.timeoutMs} ms.`, true) : signal.reason);
        combined.addEventListener('abort', onAbort, { once: true });
        Promise.resolve()
          .then(() => custom.publish(artifacts, ctx, combined))
          .then(
            () => resolvePromise(),
            (e: unknown) => reject(attemptError(e, custom.name)),
          )
          .finally(() => {
            combined.removeEventListener('abort', onAbort);
            deadline.dispose();
          });
      });
    },
  };
}

/** A module's own error, named after it, keeping whether it may be retried. */
function attemptError(e: unknown, name: string): PublishAttemptError {
  if (e instanceof PublishAttemptError) return e;
  const retryAfterMs = (e as { retryAfterMs?: unknown })?.retryAfterMs;
  return new PublishAttemptError(`${name}: ${(e as Error)?.message ?? String(e)}`, isRetryable(e), {
    ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
  });
}

async function evaluateFile(file: string): Promise<unknown> {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const bundle = await bundleModule(file);
  return evaluateModule(bundle.outputFiles[0].text, file);
}
