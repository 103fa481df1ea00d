/**
 * The `onLog` / `onwarn` options rollup and rolldown share, written structurally so one wrapper
 * serves both (their log objects have the same shape: message, code, loc, frame, plugin...).
 */
export type LogLevel = 'info' | 'debug' | 'warn';
export type OnLog<L> = (level: LogLevel, log: L, defaultHandler: (level: LogLevel | 'error', log: L | string) => void) => void;
export type OnWarn<L> = (warning: L, defaultHandler: (warning: L | string | (() => L | string)) => void) => void;

/**
 * The config's own `onLog` / `onwarn` run first, as under `rollup -c` / `rolldown -c` (they may
 * filter, rewrite or throw); what they pass on goes to `record` instead of the console.
 */
export function withUserHandlers<L extends { message: string }>(
  onLog: OnLog<L> | undefined,
  onwarn: OnWarn<L> | undefined,
  record: (level: LogLevel, log: L) => void,
): (level: LogLevel, log: L) => void {
  const asLog = (log: L | string | (() => L | string)): L => {
    const value = typeof log === 'function' ? log() : log;
    return typeof value === 'string' ? ({ message: value } as L) : value;
  };
  const afterWarn = (level: LogLevel, log: L) => {
    if (level === 'warn' && onwarn) onwarn(log, (w) => record('warn', asLog(w)));
    else record(level, log);
  };
  if (!onLog) return afterWarn;
  return (level, log) =>
    onLog(level, log, (handledLevel, handled) => {
      if (handledLevel === 'error') throw Object.assign(new Error(asLog(handled).message), asLog(handled));
      afterWarn(handledLevel, asLog(handled));
    });
}
