import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSummary } from '../../../src/config/inspect';
import { InferenceCache } from '../../../src/nx/inference-cache';

describe('InferenceCache', () => {
  let root: string;
  let config: string;
  let imported: string;
  const summary = { outDirs: ['dist'] } as unknown as ConfigSummary;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bs-inference-cache-'));
    config = join(root, 'build.config.ts');
    imported = join(root, 'shared.ts');
    writeFileSync(config, "import { out } from './shared';\nexport default { outDir: out };\n");
    writeFileSync(imported, "export const out = 'dist';\n");
    const cache = new InferenceCache(root);
    cache.set(config, InferenceCache.keyFor(config, {}), [config, imported], summary);
    cache.save();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const lookup = () => new InferenceCache(root).get(config, InferenceCache.keyFor(config, {}))?.summary;

  it('survives a new process (read from .nx/workspace-data) while nothing changed', () => {
    expect(lookup()).toEqual(summary);
    expect(lookup()).toEqual(summary);
  });

  it('misses when an imported file changes, even to content of the same size', () => {
    writeFileSync(imported, "export const out = 'lib!';\n");
    expect(lookup()).toBeUndefined();
  });

  it('misses when an imported file is deleted, or the options differ', () => {
    expect(new InferenceCache(root).get(config, InferenceCache.keyFor(config, { buildTargetName: 'compile' }))).toBeUndefined();
    rmSync(imported);
    expect(lookup()).toBeUndefined();
  });

  it('still hits when a file was only touched (same content, new mtime), and then trusts the new stat', () => {
    const later = new Date(Date.now() + 5000);
    utimesSync(imported, later, later);
    const cache = new InferenceCache(root);
    expect(cache.get(config, InferenceCache.keyFor(config, {}))?.summary).toEqual(summary);
    cache.save();
    expect(lookup()).toEqual(summary);
  });
});
