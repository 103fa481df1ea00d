import { isAbsolute, relative, resolve } from 'node:path';
import type { ResolvedPublish } from '../../config/resolve';
import { ERROR_CODES } from '../../errors';
import type { BuildArtifact, PublishRecord } from '../../result/schema';
import { createDirectoryPublisher } from './directory';
import { createHttpPublisher } from './http';
import { loadPublisherModule } from './module';
import { PublishAttemptError, withRetries } from './retry';
import { describeTarget, redactor, secretsOf } from './target';
import type { PublishArtifact, Publisher } from './types';
import { leavesBase, relativePosix, toPosix } from '../../paths';

export type { PublishArtifact, PublishContext, Publisher } from './types';

export interface PublishRun {
  workspaceRoot: string;
  packageRoot: string;
  outDir: string;
  environment: string;
  /** Where `publish.tokenEnv` is read (the build's environment, env.defaults included). */
  env: Record<string, string | undefined>;
  log: (text: string, stream?: 'stdout' | 'stderr') => void;
  signal: AbortSignal;
}

/**
 * The publish step: the artifacts of a successful build go to `publish.to`, with retries on
 * transient failures. `artifacts` undefined means the build failed: nothing is published and the
 * record says `skipped`. Never throws and never changes the build's outcome: its record is kept
 * apart, and what it prints or records has every credential redacted.
 */
export async function publishArtifacts(publish: ResolvedPublish, artifacts: BuildArtifact[] | undefined, run: PublishRun): Promise<PublishRecord> {
  const t0 = performance.now();
  const target = describeTarget(publish, run.workspaceRoot);
  let publisherName = publish.kind === 'module' ? moduleLabel(publish.module ?? '', run.packageRoot) : publish.kind;
  const token = publish.tokenEnv ? run.env[publish.tokenEnv] : undefined;
  const redact = redactor(secretsOf(publish, token));
  let attempts = 0;
  const done = new Set<string>();
  const record = (status: PublishRecord['status'], error?: PublishRecord['error']): PublishRecord => ({
    target,
    publisher: publisherName,
    status,
    attempts,
    durationMs: Math.round(performance.now() - t0),
    published: done.size,
    ...(error ? { error } : {}),
  });
  const fail = (message: string, hint?: string): PublishRecord => {
    const error = { code: 'BS_PUBLISH_FAILED', message: redact(message), hint: redact(hint ?? ERROR_CODES.BS_PUBLISH_FAILED.fix) };
    run.log(`BS_PUBLISH_FAILED ${error.message}\n  → ${error.hint}\n`, 'stderr');
    return record('failure', error);
  };

  if (!artifacts) {
    run.log(`Publish to ${target} skipped: the build failed.\n`);
    return record('skipped');
  }
  try {
    if (publish.tokenEnv && !token) {
      return fail(`publish.tokenEnv names ${publish.tokenEnv}, which is not set.`, `Set ${publish.tokenEnv} to the token before building (its value is never printed).`);
    }
    const files = artifacts.map((a) => toPublishArtifact(a, run));
    const outside = files.find((f) => f.targetPath.startsWith('../') || isAbsolute(f.targetPath));
    if (outside) return fail(`${outside.path} is outside the package, so it has no place under the target.`, 'Narrow the `artifacts` globs to files inside the package.');
    const publisher = await choosePublisher(publish, run);
    publisherName = publisher.name;
    run.log(`Publishing ${files.length} artifact${files.length === 1 ? '' : 's'} to ${target} (${publisher.name})\n`);

    const outcome = await withRetries(
      async (attempt) => {
        attempts = attempt;
        const remaining = files.filter((f) => !done.has(f.path));
        await publisher.publish(
          remaining,
          {
            target: publish.to,
            workspaceRoot: run.workspaceRoot,
            packageRoot: run.packageRoot,
            outDir: run.outDir,
            environment: run.environment,
            attempt,
            headers: { ...publish.headers },
            ...(token ? { token } : {}),
            timeoutMs: publish.timeoutMs,
            log: (text) => run.log(redact(text)),
            markPublished: (artifact) => done.add(artifact.path),
          },
          run.signal,
        );
        // A publisher that resolves has stored everything it was given, marked or not.
        for (const f of remaining) done.add(f.path);
      },
      publish,
      {
        signal: run.signal,
        onRetry: ({ attempt, error, delayMs }) =>
          run.log(`Publish attempt ${attempt} of ${publish.retries + 1} failed: ${redact(sentence(messageOf(error)))} Retrying in ${delayMs} ms.\n`, 'stderr'),
      },
    );
    if (outcome.ok) {
      run.log(`Published ${done.size} artifact${done.size === 1 ? '' : 's'} to ${target} in ${attempts} attempt${attempts === 1 ? '' : 's'}.\n`);
      return record('success');
    }
    const { error } = outcome;
    if (run.signal.aborted) return fail(`The publish to ${target} was cancelled after ${done.size} of ${files.length} artifacts.`);
    const prefix = outcome.exhausted ? `Gave up after ${attempts} attempts: ` : '';
    return fail(`${prefix}${sentence(messageOf(error))} ${done.size} of ${files.length} artifacts were published to ${target}.`, hintOf(error));
  } catch (e) {
    return fail(messageOf(e), hintOf(e));
  }
}

function choosePublisher(publish: ResolvedPublish, run: PublishRun): Publisher | Promise<Publisher> {
  if (publish.kind === 'directory') return createDirectoryPublisher(publish.dir!, { outDir: run.outDir, packageRoot: run.packageRoot });
  if (publish.kind === 'http') return createHttpPublisher(publish.to);
  return loadPublisherModule(publish.module!, run.packageRoot);
}

/** Inside outDir: its path there; elsewhere in the package: its path from the package root. */
function toPublishArtifact(artifact: BuildArtifact, run: PublishRun): PublishArtifact {
  const file = resolve(run.workspaceRoot, artifact.path);
  const fromOutDir = relative(run.outDir, file);
  const inOutDir = !leavesBase(fromOutDir);
  const targetPath = toPosix(inOutDir ? fromOutDir : relative(run.packageRoot, file));
  return { ...artifact, file, targetPath };
}

function moduleLabel(module: string, packageRoot: string): string {
  return isAbsolute(module) ? relativePosix(packageRoot, module) : module;
}

function messageOf(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  return e instanceof PublishAttemptError ? message : `${(e as Error)?.name && (e as Error).name !== 'Error' ? `${(e as Error).name}: ` : ''}${message}`;
}

/** Ends with exactly one full stop, so two messages can follow each other. */
function sentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

function hintOf(e: unknown): string | undefined {
  return e instanceof PublishAttemptError ? e.hint : undefined;
}
