import { writeStamp, readStamp } from './stamp';
import type { CompiledConfig } from './load';

/**
 * Before a build evaluates its config in process, the same config is evaluated once in a worker
 * thread, bounded (isolated-inspect.ts): a config that hangs or calls process.exit then fails that
 * build alone instead of the build process. The probe costs a thread start (~50-150 ms), so it runs
 * once per config content: a stamp with the content hash that passed skips it until the config or
 * a file it imports changes. A missing or unwritable stamp only means the probe runs again.
 * `vouched` (asked only without a matching stamp) is a content hash someone else evaluated in
 * isolation: the same content passes without a probe here.
 */
export function probeOncePerContent(
  file: string,
  displayName: string,
  stampFile: string,
  timeoutMs?: number,
  vouched?: () => string | undefined,
): (compiled: CompiledConfig) => Promise<void> {
  return async (compiled) => {
    const { contentHash } = compiled;
    const stamp = readStamp(stampFile);
    if (stamp === contentHash) return;
    if (vouched?.() !== contentHash) {
      // Loaded only to probe: a build whose stamp matches loads neither the inspector nor worker_threads.
      const { probeConfig } = await import('./isolated-inspect');
      await probeConfig(file, displayName, timeoutMs, compiled);
    }
    writeStamp(stampFile, contentHash);
  };
}
