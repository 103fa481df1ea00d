/**
 * A sign of life while a phase runs quietly (a 10 s dts run prints one line, then nothing): after
 * `quietMs` without output, a terminal shows `… pkg: dts (tsc) running, 7 s` rewritten in place
 * every second, a pipe gets `… pkg: dts (tsc) still running, 10 s` every `quietMs`. Any other
 * output restarts the quiet period (and first clears the in-place line). Progress goes to the
 * terminal only: it is written to `write` (onLog), never to build.log or the result.
 */
export interface ProgressOptions {
  project: string;
  /** The terminal stream (onLog's stdout). */
  write: (text: string) => void;
  /** true: one line rewritten in place; false: a plain line each time. */
  tty: boolean;
  /** Quiet time before the first progress line, and between plain lines. Default 5000. */
  quietMs?: number;
}

export interface Progress {
  /** A phase starts: its clock starts at zero. */
  phase(name: string): void;
  /** Call before any other output: clears the in-place line and restarts the quiet period. */
  beforeOutput(): void;
  /** No more progress until the next phase(); clears every timer. Safe to call twice. */
  stop(): void;
}

const TTY_REFRESH_MS = 1000;
const CLEAR_LINE = '\r\x1b[2K';

export function startProgress(options: ProgressOptions): Progress {
  const quietMs = options.quietMs ?? 5000;
  let phase: string | undefined;
  let phaseStart = 0;
  let timer: NodeJS.Timeout | undefined;
  let lineShown = false;

  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const clearLine = () => {
    if (!lineShown) return;
    lineShown = false;
    options.write(CLEAR_LINE);
  };
  const seconds = () => `${Math.floor((performance.now() - phaseStart) / 1000)} s`;
  const tick = () => {
    if (!phase) return;
    if (options.tty) {
      options.write(`${CLEAR_LINE}… ${options.project}: ${phase} running, ${seconds()}`);
      lineShown = true;
      timer = setTimeout(tick, TTY_REFRESH_MS);
    } else {
      options.write(`… ${options.project}: ${phase} still running, ${seconds()}\n`);
      timer = setTimeout(tick, quietMs);
    }
  };
  const arm = () => {
    clearTimer();
    if (phase) timer = setTimeout(tick, quietMs);
  };

  return {
    phase(name) {
      clearLine();
      phase = name;
      phaseStart = performance.now();
      arm();
    },
    beforeOutput() {
      clearLine();
      arm();
    },
    stop() {
      clearTimer();
      clearLine();
      phase = undefined;
    },
  };
}
