import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src/nx/executors/build/lib/summary';
import type { BuildResult } from '../../../src/result/schema';
import { RESULT_SCHEMA_VERSION } from '../../../src/result/version';

const success: BuildResult = {
  schemaVersion: RESULT_SCHEMA_VERSION,
  id: '00000000-0000-4000-8000-000000000000',
  project: '@acme/greet',
  environment: 'development',
  builder: { name: 'esbuild', version: '0.28.2' },
  status: 'success',
  exitCode: 0,
  startTime: '2026-12-01T10:00:00.000Z',
  endTime: '2026-12-01T10:00:03.369Z',
  durationMs: 3369,
  outDir: 'packages/greet/dist',
  artifacts: [{ path: 'packages/greet/dist/index.js', size: 100, sha256: 'a'.repeat(64), kind: 'entry' }],
  errors: [],
  warnings: [],
  hooks: [],
  lock: { waitedMs: 0 },
  logFile: 'packages/greet/.build-system/build.log',
};

describe('formatSummary: the summary Nx caches and replays', () => {
  it('states no build time, so a cache hit that replays it says nothing untrue', () => {
    const text = formatSummary(success, 'packages/greet/.build-system/result.json', false);

    expect(text.split('\n')[0]).toBe('✔ @acme/greet built with esbuild 0.28.2 (development)');
    expect(text).not.toMatch(/\d+ ms/);
  });

  it('states the build time for text that is never cached (watch rebuilds)', () => {
    const text = formatSummary(success, 'packages/greet/.build-system/result.json', false, { timing: true });

    expect(text.split('\n')[0]).toBe('✔ @acme/greet built with esbuild 0.28.2 (development) in 3369 ms');
  });

  it('is plain text: no escape codes', () => {
    expect(formatSummary(success, 'packages/greet/.build-system/result.json', true)).not.toContain('\u001b');
  });
});
