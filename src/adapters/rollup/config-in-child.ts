import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../child-process';
import type { AdapterInput, AdapterOutcome } from '../types';

/** Marks the child's own messages on its stdout (a config may print too). */
export const MESSAGE_PREFIX = '\u0000build-system:';

/** Compiled beside this module; absent only where the sources run directly (this repo's unit tests). */
const CHILD_FILE = join(__dirname, 'config-process.js');

/**
 * A package's own rollup config runs in a child process whose working directory is the package
 * folder, as under `rollup -c`: plugins that read process.cwd() (@rollup/plugin-typescript finds
 * its tsconfig and its include root there) see the package, not the workspace root. A child and
 * not process.chdir(): several builds share the batch process, and the working directory is
 * process-wide. Undefined where no child file exists (then the build runs in this process).
 */
export async function buildConfigInChild(input: AdapterInput, signal: AbortSignal): Promise<AdapterOutcome | undefined> {
  if (!existsSync(CHILD_FILE)) return undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'build-system-rollup-'));
  try {
    const inputFile = join(scratch, 'input.json');
    // The environment is the child's own (never written to disk: it may hold secrets). Only the
    // config's path is used with a config; other builderOptions may not be serialisable.
    const { log: _log, phase: _phase, env: _env, ...serialisable } = input;
    await writeFile(inputFile, JSON.stringify({ ...serialisable, builderOptions: { config: input.builderOptions.config } }));
    let outcome: AdapterOutcome | undefined;
    const run = await runProcess({
      command: process.execPath,
      args: [CHILD_FILE, inputFile],
      cwd: input.packageRoot,
      env: input.env,
      workspaceRoot: input.workspaceRoot,
      signal,
      onLine: (line, stream) => {
        if (stream === 'stdout' && line.startsWith(MESSAGE_PREFIX)) {
          const message = JSON.parse(line.slice(MESSAGE_PREFIX.length)) as { log?: string; stream?: 'stdout' | 'stderr'; outcome?: AdapterOutcome };
          if (message.outcome) outcome = message.outcome;
          else if (message.log !== undefined) input.log(message.log, message.stream);
        } else {
          input.log(`${line}\n`, stream);
        }
      },
    });
    if (outcome) return outcome;
    const why = run.cancelled ? 'was cancelled' : run.spawnError ? `could not start (${run.spawnError.message})` : `exited with code ${run.exitCode ?? run.exitSignal}`;
    return { ok: false, diagnostics: [{ severity: 'error', message: `The rollup config build ${why} before it finished.`, builder: 'rollup', shown: false }] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
