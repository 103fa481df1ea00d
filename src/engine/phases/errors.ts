import { colorCodeFrames } from '../../config/code-frame';
import { palette } from '../../color';
import { BuildSystemError, ioFailureHint, isBuildSystemError } from '../../errors';
import type { BuildErrorRecord } from '../../result/schema';
import { leavesBase } from '../../paths';

/** Errors already recorded (builder diagnostics, contract violations): no extra entry needed. */
export class ReportedFailure extends Error {}

const IO_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE', 'EBUSY', 'EXDEV']);

export function asBuildSystemError(e: unknown): BuildSystemError {
  if (isBuildSystemError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  // The file system said no (full, read-only, permissions): that is an I/O failure, not a crash.
  if (err?.code && IO_ERRNOS.has(err.code)) {
    return new BuildSystemError('BS_IO_FAILED', err.message, { ...(err.path ? { file: err.path } : {}), hint: ioFailureHint(err.code) });
  }
  return new BuildSystemError('BS_BUILD_CRASHED', err?.message ?? String(e), { detail: err?.stack });
}

export function errorRecords(e: BuildSystemError, rel: (p: string) => string): BuildErrorRecord[] {
  const file = e.file ? (leavesBase(rel(e.file)) ? e.file : rel(e.file)) : undefined;
  const base = {
    code: e.code,
    phase: e.phase,
    ...(file ? { file } : {}),
    ...(e.line ? { line: e.line } : {}),
    ...(e.column ? { column: e.column } : {}),
    hint: e.hint,
  };
  // Schema problems are independent: one entry each, so tools can show them all.
  if (e.issues?.length) return e.issues.map((message) => ({ ...base, message }));
  return [{ ...base, message: e.detail ? `${e.message}\n${e.detail}` : e.message }];
}

/** `BS_CODE file:line:col: message` and the hint under it; colored for a color terminal. */
export function formatError(err: BuildErrorRecord, color = false): string {
  const c = palette(color);
  const where = err.file ? `${c.bold(`${err.file}${err.line ? `:${err.line}:${err.column ?? 1}` : ''}`)}: ` : '';
  const message = color ? colorCodeFrames(err.message, c) : err.message;
  return `${c.bold(c.red(err.code))} ${where}${message}${err.hint ? `\n  ${c.cyan(`→ ${err.hint}`)}` : ''}`;
}
