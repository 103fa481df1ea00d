import { createHash } from 'node:crypto';
import { readStamp, writeStamp } from './stamp';
import type { PackageBuildConfig } from './schema';

const VERSION: string = (() => {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/**
 * Validation is a pure function of the evaluated config, so a value that passed once passes
 * again. A stamp with the value's fingerprint (and this plugin's version, which owns the schema)
 * lets a forked build skip loading zod (~100 ms of module loading) when nothing changed. A missing,
 * stale or unwritable stamp only means the full validation runs.
 */
export async function validateOnce(raw: unknown, displayName: string, stampFile: string, validated?: () => string | undefined): Promise<PackageBuildConfig> {
  const key = fingerprint(raw);
  const stamp = readStamp(stampFile);
  if (stamp === key) return raw as PackageBuildConfig;
  // Without a stamp: the same value (and plugin version) may have passed elsewhere (the inference plugin).
  let config: PackageBuildConfig;
  if (validated?.() === key) config = raw as PackageBuildConfig;
  else {
    const { validateBuildConfig } = await import('./validate');
    config = validateBuildConfig(raw, displayName);
  }
  writeStamp(stampFile, key);
  return config;
}

/** sha256 over a stable serialization: sorted keys, functions by their source. */
export function fingerprint(value: unknown): string {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'function') return `fn:${v.toString()}`;
    if (typeof v === 'undefined') return '__undefined__';
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '__cycle__';
    seen.add(v);
    if (Array.isArray(v)) return v.map(walk);
    const proto = Object.getPrototypeOf(v);
    const out: Record<string, unknown> = { __proto: proto === Object.prototype || proto === null ? 'plain' : String(proto?.constructor?.name) };
    for (const k of Object.keys(v).sort()) out[k] = walk((v as Record<string, unknown>)[k]);
    return out;
  };
  return createHash('sha256').update(VERSION).update('\0').update(JSON.stringify(walk(value))).digest('hex');
}
