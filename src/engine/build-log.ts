import { stripAnsi } from '../color';

/**
 * Collects everything a build printed (builder output and our own lines) for build.log, and
 * forwards it live to the caller's onLog. One per build: the engine keeps no global state.
 * build.log is plain text: color codes (ours, or a tool's under FORCE_COLOR) go to onLog only.
 */
export class BuildLog {
  private readonly chunks: string[] = [];

  constructor(private readonly onLog?: (text: string, stream: 'stdout' | 'stderr') => void) {}

  write = (text: string, stream: 'stdout' | 'stderr' = 'stdout'): void => {
    this.chunks.push(stripAnsi(text));
    this.onLog?.(text, stream);
  };

  text(): string {
    return this.chunks.join('');
  }
}
