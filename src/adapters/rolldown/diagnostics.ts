import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { RolldownLog } from 'rolldown';
import { stripAnsi } from '../../color';
import type { Diagnostic } from '../types';

/**
 * A rolldown error or warning object as a Diagnostic. The place comes from its fields: `loc`
 * ({ file, line, column: 0-based UTF-16 }) or `id`; the code is a plugin's `pluginCode`, else
 * rolldown's `code` (PARSE_ERROR, UNRESOLVED_IMPORT...).
 */
export function toDiagnostic(log: RolldownLog, severity: 'error' | 'warning', packageRoot: string): Diagnostic {
  const file = log.loc?.file ?? log.id;
  const code = typeof log.pluginCode === 'string' ? log.pluginCode : log.code;
  return {
    severity,
    ...(code ? { code } : {}),
    message: messageOf(log).headline,
    ...(file && isAbsolute(file) ? { file } : file && existsSync(resolve(packageRoot, file)) ? { file: resolve(packageRoot, file) } : {}),
    ...(log.loc ? { line: log.loc.line, column: log.loc.column + 1 } : {}),
    builder: 'rolldown',
  };
}

/**
 * Rolldown's own diagnostics (not a plugin's) come as `[CODE] message` followed by a drawn code
 * frame, in colour whatever the terminal is. The diagnostic keeps the message; the frame, when
 * there is one, is what the log shows under it (plugins' errors carry theirs in `frame`).
 */
export function messageOf(log: RolldownLog): { headline: string; frame?: string } {
  const text = log.message ?? String(log);
  const plain = stripAnsi(text);
  const prefix = log.code ? `[${log.code}] ` : undefined;
  if (prefix && plain.startsWith(prefix)) {
    const newline = text.indexOf('\n');
    const headline = (newline < 0 ? plain : stripAnsi(text.slice(0, newline))).slice(prefix.length);
    const frame = newline < 0 ? '' : text.slice(newline + 1).replace(/\n+$/, '');
    return { headline, ...(stripAnsi(frame).trim() ? { frame } : {}) };
  }
  const headline = log.plugin ? plain.replace(`[plugin ${log.plugin}] `, '') : plain;
  return { headline, ...(log.frame ? { frame: log.frame } : {}) };
}
