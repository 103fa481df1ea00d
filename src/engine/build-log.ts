import { stripAnsi } from '../color';

/**
 * Collects everything a build printed (builder output and our own lines) for build.log, and
 * forwards it live to the caller's onLog. One per build: the engine keeps no global state.
 * build.log is plain text: color codes (ours, or a tool's under FORCE_COLOR) go to onLog only.
 */
export class BuildLog {
  private readonly chunks: string[] = [];
  private redact: (text: string) => string = (text) => text;

  constructor(private readonly onLog?: (text: string, stream: 'stdout' | 'stderr') => void) {}

  /** From now on every line, to the terminal and to build.log alike, goes through `redact`. */
  redactWith(redact: (text: string) => string): void {
    this.redact = redact;
  }

  write = (raw: string, stream: 'stdout' | 'stderr' = 'stdout'): void => {
    const text = this.redact(raw);
    this.chunks.push(stripAnsi(text));
    this.onLog?.(text, stream);
  };

  text(): string {
    return this.chunks.join('');
  }
}
