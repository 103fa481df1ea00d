import { createColors } from 'picocolors';
import type { Colors } from 'picocolors/types';

export type { Colors };

/**
 * Whether text written to `stream` gets colors. NO_COLOR or FORCE_COLOR=0 turn them off anywhere;
 * CI stays plain (its logs are archived and grepped); otherwise FORCE_COLOR or a terminal turns
 * them on. Nx runs executors with output piped and sets FORCE_COLOR for every task unless the user
 * set it, so under Nx colors follow FORCE_COLOR, exactly as for the other tools Nx runs.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR?.toLowerCase();
  if (force === '0' || force === 'false') return false;
  if (isSet(env.CI)) return false;
  if (force !== undefined && force !== '') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** picocolors formatters; every one is the identity when `enabled` is false. */
export function palette(enabled: boolean): Colors {
  return createColors(enabled);
}

/** Text without ANSI escape sequences: what build.log, result.json and parsers see. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

function isSet(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
