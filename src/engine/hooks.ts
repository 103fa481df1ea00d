import { spawn } from 'node:child_process';
import type { HookDefinition, HookFunction } from '../config/schema';
import { BuildSystemError } from '../errors';
import type { HookRecord } from '../result/schema';

const DEFAULT_HOOK_TIMEOUT_MS = 10 * 60_000;

export interface HookRunContext {
  packageRoot: string;
  workspaceRoot: string;
  environment: string;
  env: Record<string, string | undefined>;
  log: (text: string, stream?: 'stdout' | 'stderr') => void;
  signal: AbortSignal;
}

/** Runs hooks in order; the first failure throws BS_HOOK_FAILED after recording it. */
export async function runHooks(
  phase: 'pre' | 'post',
  hooks: HookDefinition[],
  ctx: HookRunContext,
  records: HookRecord[],
): Promise<void> {
  for (const hook of hooks) {
    const name = hookName(hook);
    const started = performance.now();
    let exitCode = 0;
    let failure: string | undefined;
    try {
      if (typeof hook === 'function') {
        await (hook as HookFunction)({
          packageRoot: ctx.packageRoot,
          workspaceRoot: ctx.workspaceRoot,
          environment: ctx.environment,
          phase,
          env: ctx.env,
        });
      } else {
        const command = typeof hook === 'string' ? hook : hook.command;
        const timeoutMs = typeof hook === 'string' ? DEFAULT_HOOK_TIMEOUT_MS : (hook.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS);
        ctx.log(`> ${phase} hook: ${name}\n`);
        exitCode = await runCommand(command, ctx, timeoutMs);
        if (exitCode !== 0) failure = exitCode === 124 ? `timed out after ${timeoutMs} ms` : `exited with code ${exitCode}`;
      }
    } catch (e) {
      exitCode = 1;
      failure = `threw: ${(e as Error)?.message ?? String(e)}`;
    }
    records.push({ name, phase, durationMs: Math.round(performance.now() - started), exitCode });
    if (failure) {
      throw new BuildSystemError('BS_HOOK_FAILED', `${phase} hook "${name}" ${failure}.`);
    }
  }
}

function hookName(hook: HookDefinition): string {
  if (typeof hook === 'string') return hook;
  if (typeof hook === 'function') return hook.name || 'anonymous function';
  return hook.name ?? hook.command;
}

/** A shell command in its own process group, so a timeout or cancel stops everything it started. */
function runCommand(command: string, ctx: HookRunContext, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, {
      cwd: ctx.packageRoot,
      env: ctx.env as NodeJS.ProcessEnv,
      shell: true,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const killTree = () => {
      try {
        if (child.pid) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, timeoutMs);
    const onAbort = () => killTree();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => ctx.log(d.toString(), 'stdout'));
    child.stderr.on('data', (d: Buffer) => ctx.log(d.toString(), 'stderr'));
    const done = (code: number) => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(timedOut ? 124 : code);
    };
    child.on('error', (e) => {
      ctx.log(`${e.message}\n`, 'stderr');
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 + 15 : 1)));
  });
}
