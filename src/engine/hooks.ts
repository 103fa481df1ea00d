import { constants } from 'node:os';
import { runProcess } from '../adapters/child-process';
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
  /** Where commands run. Default: packageRoot. */
  cwd?: string;
}

/** Runs hooks in order; the first failure throws BS_HOOK_FAILED after recording it. */
export async function runHooks(
  phase: 'pre' | 'post',
  hooks: HookDefinition[],
  ctx: HookRunContext,
  records: HookRecord[],
): Promise<void> {
  await runSteps(hooks, ctx, records, {
    phase,
    label: `${phase} hook`,
    code: 'BS_HOOK_FAILED',
    call: (fn) =>
      (fn as HookFunction)({ packageRoot: ctx.packageRoot, workspaceRoot: ctx.workspaceRoot, environment: ctx.environment, phase, env: ctx.env }),
  });
}

/** What kind of steps runSteps runs: hooks, or finishing steps (engine/finish-steps.ts). */
export interface StepKind {
  phase: HookRecord['phase'];
  /** In messages: `pre hook "lint" exited with code 1.` */
  label: string;
  code: 'BS_HOOK_FAILED' | 'BS_FINISH_FAILED';
  /** Calls a function step; `signal` aborts on cancel or when the step times out. */
  call: (fn: (...args: never[]) => unknown, signal: AbortSignal) => unknown;
}

/** Commands or functions, in order, each recorded; the first failure throws `kind.code`. */
export async function runSteps(steps: Array<string | { name?: string; command: string; timeoutMs?: number } | ((...args: never[]) => unknown)>, ctx: HookRunContext, records: HookRecord[], kind: StepKind): Promise<void> {
  const { phase, label } = kind;
  for (const hook of steps) {
    const name = hookName(hook);
    const started = performance.now();
    let exitCode = 0;
    let failure: string | undefined;
    try {
      if (typeof hook === 'function') {
        const stop = new AbortController();
        const onAbort = () => stop.abort();
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        try {
          const call = kind.call(hook, stop.signal);
          if (!(await settlesWithin(call, DEFAULT_HOOK_TIMEOUT_MS, ctx.signal))) {
            exitCode = 124;
            failure = ctx.signal.aborted ? 'was cancelled' : `timed out after ${DEFAULT_HOOK_TIMEOUT_MS} ms`;
          }
        } finally {
          ctx.signal.removeEventListener('abort', onAbort);
          stop.abort();
        }
      } else {
        const command = typeof hook === 'string' ? hook : hook.command;
        const timeoutMs = typeof hook === 'string' ? DEFAULT_HOOK_TIMEOUT_MS : (hook.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS);
        ctx.log(`> ${label}: ${name}\n`);
        exitCode = await runCommand(command, ctx, timeoutMs);
        if (exitCode !== 0) failure = exitCode === 124 ? `timed out after ${timeoutMs} ms` : `exited with code ${exitCode}`;
      }
    } catch (e) {
      exitCode = 1;
      failure = `threw: ${(e as Error)?.message ?? String(e)}`;
    }
    records.push({ name, phase, durationMs: Math.round(performance.now() - started), exitCode });
    // Stopped by Ctrl+C or a CI's SIGTERM, not failed on its own: say so (exit 143 would mislead).
    if (ctx.signal.aborted) throw new BuildSystemError('BS_BUILD_CANCELLED', `The build was cancelled during the ${label} "${name}".`);
    if (failure) {
      throw new BuildSystemError(kind.code, `${label} "${name}" ${failure}.`);
    }
  }
}

/**
 * A function hook runs in this process and cannot be killed: the build stops waiting for it after
 * the timeout (or on cancel) and fails; whatever it still does is its own.
 */
async function settlesWithin(work: unknown, ms: number, signal: AbortSignal): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve(work).then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function hookName(hook: Parameters<typeof runSteps>[0][number]): string {
  if (typeof hook === 'string') return hook;
  if (typeof hook === 'function') return hook.name || 'anonymous function';
  return hook.name ?? hook.command;
}

/**
 * A shell command under the one child-process policy (adapters/child-process.ts): its own process
 * group, decided on exit, leftovers and timeouts stopped with SIGTERM then SIGKILL.
 */
async function runCommand(command: string, ctx: HookRunContext, timeoutMs: number): Promise<number> {
  const outcome = await runProcess({
    command,
    shell: true,
    cwd: ctx.cwd ?? ctx.packageRoot,
    env: ctx.env,
    workspaceRoot: ctx.workspaceRoot,
    signal: ctx.signal,
    timeoutMs,
    onLine: (line, stream) => ctx.log(`${line}\n`, stream),
  });
  if (outcome.spawnError) {
    ctx.log(`${outcome.spawnError.message}\n`, 'stderr');
    return 127;
  }
  if (outcome.stoppedLeftovers) ctx.log(`The hook exited but left processes running (a command ending in "&"?); they were stopped.\n`, 'stderr');
  if (outcome.timedOut) return 124;
  if (outcome.exitCode !== null) return outcome.exitCode;
  return 128 + (outcome.exitSignal ? (constants.signals[outcome.exitSignal] ?? 15) : 15);
}
