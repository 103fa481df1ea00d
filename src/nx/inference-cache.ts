import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConfigSummary } from '../config/inspect';
import type { ConfigVouchers } from '../config/load-package-config';

/**
 * createNodes runs on every graph computation; evaluating each config (an esbuild bundle plus a
 * module evaluation) would dominate a 1000-package graph. Summaries are cached on disk in Nx's
 * workspace-data folder (which the daemon does not watch), keyed by the content of the config and
 * of every file it imported, the plugin options and this plugin's version.
 */
interface Entry {
  key: string;
  /** sha256 per imported file at the time the summary was made. */
  files: Record<string, string>;
  /** size and mtime per imported file when it had that sha256: an unchanged stat skips the read. */
  stats?: Record<string, string>;
  summary: ConfigSummary;
}

// The plugin's version and the entry format (2: summaries carry contentHash and fingerprint).
const VERSION: string = (() => {
  try {
    return `${(require('../../package.json') as { version: string }).version}+2`;
  } catch {
    return 'unknown';
  }
})();

export class InferenceCache {
  readonly entries: Record<string, Entry> = {};
  private dirty = false;
  private readonly file: string;

  constructor(workspaceRoot: string) {
    const dataDir = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? join(workspaceRoot, '.nx', 'workspace-data');
    this.file = join(dataDir, 'build-system-inference.json');
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { version: string; entries: Record<string, Entry> };
      if (parsed.version === VERSION) this.entries = parsed.entries;
    } catch {
      /* no cache yet, or unreadable: start empty */
    }
  }

  static keyFor(configFile: string, options: unknown): string {
    return createHash('sha256').update(VERSION).update('\0').update(JSON.stringify(options ?? {})).update('\0').update(configFile).digest('hex');
  }

  get(configFile: string, key: string): Entry | undefined {
    const entry = this.entries[configFile];
    if (!entry || entry.key !== key) return undefined;
    const stats: Record<string, string> = {};
    for (const [file, hash] of Object.entries(entry.files)) {
      const stamp = statStamp(file);
      stats[file] = stamp;
      // Same size and mtime as when hashed: trust the hash. Otherwise (a checkout touched it, say) compare content.
      if (stamp !== 'missing' && entry.stats?.[file] === stamp) continue;
      if (hashFile(file) !== hash) return undefined;
    }
    if (!sameStats(entry.stats, stats)) {
      entry.stats = stats;
      this.dirty = true;
    }
    return entry;
  }

  set(configFile: string, key: string, files: string[], summary: ConfigSummary): void {
    this.entries[configFile] = {
      key,
      files: Object.fromEntries(files.map((f) => [f, hashFile(f)])),
      stats: Object.fromEntries(files.map((f) => [f, statStamp(f)])),
      summary,
    };
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: VERSION, entries: this.entries }));
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      /* a cache that cannot be written only costs speed */
    }
  }
}

/**
 * The inference plugin's word on configs, for builds and cleans (ConfigVouchers): the content hash
 * and validated fingerprint it recorded for a config file, read once per process from the cache
 * file createNodes wrote while Nx built this command's graph. Nothing when there is no such file.
 */
export function inferenceVouchers(workspaceRoot: string): ConfigVouchers {
  let vouchers = vouchersByRoot.get(workspaceRoot);
  if (!vouchers) vouchersByRoot.set(workspaceRoot, (vouchers = readVouchers(workspaceRoot)));
  return vouchers;
}

const vouchersByRoot = new Map<string, ConfigVouchers>();

function readVouchers(workspaceRoot: string): ConfigVouchers {
  let entries: Record<string, Entry> | undefined;
  return {
    for(configFile) {
      entries ??= new InferenceCache(workspaceRoot).entries;
      const summary = entries[configFile]?.summary;
      return summary ? { contentHash: summary.contentHash, fingerprint: summary.fingerprint } : undefined;
    },
  };
}

function hashFile(file: string): string {
  if (!existsSync(file)) return 'missing';
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function statStamp(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}` : 'missing';
}

function sameStats(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  return a !== undefined && Object.keys(b).every((k) => a[k] === b[k]);
}
