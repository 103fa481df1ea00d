import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { sha256Of } from '../artifacts';
import { isRetryable, PublishAttemptError } from './retry';
import type { Publisher } from './types';
import { leavesBase } from '../../paths';

/**
 * `to: 'dir:<folder>'`: copies each artifact to `<folder>/<targetPath>`, through a temp file in
 * the same folder and a rename, so a reader never sees a half-written file. It adds and replaces
 * files; it never deletes one, and never touches the artifacts it copies.
 */
export function createDirectoryPublisher(dir: string, guard: { outDir: string; packageRoot: string }): Publisher {
  return {
    name: 'directory',
    async publish(artifacts, ctx, signal) {
      assertPublishDir(dir, guard);
      for (const artifact of artifacts) {
        signal.throwIfAborted();
        const dest = resolve(dir, artifact.targetPath);
        const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.publish-tmp`);
        try {
          await mkdir(dirname(dest), { recursive: true });
          await copyFile(artifact.file, tmp);
          // What lands at the target is what the result lists, or nothing.
          if ((await sha256Of(tmp)) !== artifact.sha256) {
            throw new PublishAttemptError(`${artifact.path} changed after the build listed it; it was not published.`, false, {
              hint: 'Something wrote into outDir after the build (a post hook?). Build again.',
            });
          }
          await rename(tmp, dest);
        } catch (e) {
          await rm(tmp, { force: true }).catch(() => undefined);
          if (e instanceof PublishAttemptError) throw e;
          throw new PublishAttemptError(`Could not copy ${artifact.path} to ${dest}: ${(e as Error).message}`, isRetryable(e));
        }
        ctx.markPublished(artifact);
      }
    },
  };
}

/** Not the package or a folder holding it (files there are sources), and not inside outDir (the next build replaces it). */
function assertPublishDir(dir: string, guard: { outDir: string; packageRoot: string }): void {
  const real = realExisting(dir);
  const within = (parent: string, child: string) => {
    const rel = relative(parent, child);
    return !leavesBase(rel);
  };
  const problem = within(real, realExisting(guard.packageRoot))
    ? 'is the package folder or one that contains it'
    : within(realExisting(guard.outDir), real)
      ? "is inside the package's outDir, which the next build replaces"
      : undefined;
  if (problem) {
    throw new PublishAttemptError(`The publish folder ${dir} ${problem}.`, false, {
      hint: 'Point publish.to at a folder of its own, e.g. "dir:../../releases/<package>".',
    });
  }
}

/** The real path of the longest existing part of `path`, with the rest appended (symlinks resolved). */
function realExisting(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return join(realpathSync(existing), relative(existing, path));
}
