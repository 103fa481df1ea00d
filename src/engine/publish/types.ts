import type { BuildArtifact } from '../../result/schema';

/** One artifact as a publisher sees it: the result's record plus where the file is and where it goes. */
export interface PublishArtifact extends BuildArtifact {
  /** Absolute path of the file. */
  file: string;
  /** Where it goes under the target, with `/`: its path relative to outDir (relative to the package root for a file outside outDir). */
  targetPath: string;
}

/** What a publisher is given for one attempt. */
export interface PublishContext {
  /** `publish.to` as configured. It may hold credentials: do not log it. */
  target: string;
  workspaceRoot: string;
  packageRoot: string;
  outDir: string;
  environment: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** `publish.headers`. */
  headers: Record<string, string>;
  /** The value of the `publish.tokenEnv` variable, when one is configured. Never log it. */
  token?: string;
  /** `publish.timeoutMs`: the limit of one upload. */
  timeoutMs: number;
  /** Appends to the build log (and the terminal). */
  log(text: string): void;
  /** Records one artifact as stored; a retry is given only the artifacts not stored yet. */
  markPublished(artifact: PublishArtifact): void;
}

/**
 * A publisher: the built-in directory and HTTP ones, or the default export of a `publish.module`.
 * `publish` stores every artifact it is given or throws. A thrown error is retried when it has
 * `retryable: true` (optionally `retryAfterMs`) or a transient network code (ECONNRESET, ...).
 */
export interface Publisher {
  name: string;
  publish(artifacts: PublishArtifact[], ctx: PublishContext, signal: AbortSignal): void | Promise<void>;
}
