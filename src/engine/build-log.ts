/**
 * Collects everything a build printed (builder output and our own lines) for build.log, and
 * forwards it live to the caller's onLog. One per build: the engine keeps no global state.
 */
export class BuildLog {
  private readonly chunks: string[] = [];

  constructor(private readonly onLog?: (text: string, stream: 'stdout' | 'stderr') => void) {}

  write = (text: string, stream: 'stdout' | 'stderr' = 'stdout'): void => {
    this.chunks.push(text);
    this.onLog?.(text, stream);
  };

  text(): string {
    return this.chunks.join('');
  }
}
