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

const failure = (errors: BuildResult['errors'], extra: Partial<BuildResult> = {}): BuildResult => ({
  ...success,
  builder: { name: 'esbuild', version: '0.28.2' },
  status: 'failure',
  exitCode: 1,
  artifacts: [],
  errors,
  ...extra,
});
const error = (code: string, phase: BuildResult['errors'][number]['phase']) => ({ code, phase, message: `${code} happened` });
const firstLine = (result: BuildResult) => formatSummary(result, 'packages/greet/.build-system/result.json', false).split('\n')[0];

describe('formatSummary: colors', () => {
  it('prints the ✔ line green when color is on', () => {
    const text = formatSummary(success, 'packages/greet/.build-system/result.json', false, { color: true });

    expect(text.split('\n')[0]).toBe('\u001b[32m✔ @acme/greet built with esbuild 0.28.2 (development)\u001b[39m');
  });

  it('prints the ✖ line red when color is on', () => {
    const text = formatSummary(failure([error('BS_BUILD_FAILED', 'build')]), 'packages/greet/.build-system/result.json', false, { color: true });

    expect(text.split('\n')[0]).toBe('\u001b[31m✖ @acme/greet failed (BS_BUILD_FAILED) with esbuild 0.28.2 (development): 1 error\u001b[39m');
  });

  it('colors only the status lines: paths and the artifact table stay plain', () => {
    const lines = formatSummary(success, 'packages/greet/.build-system/result.json', false, { color: true }).split('\n').slice(1);

    expect(lines.join('\n')).not.toContain('\u001b');
  });

  it('is plain when color is off, failures included', () => {
    expect(formatSummary(failure([error('BS_BUILD_FAILED', 'build')]), 'r.json', true, { color: false })).not.toContain('\u001b');
  });
});

describe('formatSummary: the failure line names the builder only when it ran', () => {
  it.each([
    ['a config error', error('BS_CONFIG_INVALID', 'config')],
    ['a missing env variable', error('BS_ENV_MISSING', 'env')],
    ['a lock timeout', error('BS_LOCK_TIMEOUT', 'lock')],
    ['a pre hook', error('BS_HOOK_FAILED', 'hook')],
    ['an unsafe outDir', error('BS_UNSAFE_PATH', 'io')],
    ['a builder that is not installed', error('BS_BUILDER_UNAVAILABLE', 'build')],
  ])('%s: "before building", no builder', (_what, e) => {
    expect(firstLine(failure([e], { builder: { name: 'unknown' } }))).toBe(`✖ @acme/greet failed (${e.code}) before building (development): 1 error`);
  });

  it.each([
    ['a builder error', [error('BS_BUILD_FAILED', 'build')], []],
    ['a missing artifact', [error('BS_ARTIFACT_MISSING', 'artifacts')], []],
    ['a post hook', [error('BS_HOOK_FAILED', 'hook')], [{ name: 'after', phase: 'post' as const, durationMs: 3, exitCode: 1 }]],
  ])('%s: "with <builder>"', (_what, errors, hooks) => {
    expect(firstLine(failure(errors, { hooks }))).toMatch(/^✖ @acme\/greet failed \(BS_[A-Z_]+\) with esbuild 0\.28\.2 \(development\): 1 error$/);
  });

  it('a crash, which may come before or after the builder, claims neither', () => {
    expect(firstLine(failure([error('BS_BUILD_CRASHED', 'build')]))).toBe('✖ @acme/greet failed (BS_BUILD_CRASHED) (development): 1 error');
  });
});

describe('formatSummary: the artifact table', () => {
  const two: BuildResult = {
    ...success,
    artifacts: [
      { path: 'packages/greet/dist/index.js', size: 2048, sha256: 'a'.repeat(64), kind: 'entry' },
      { path: 'packages/greet/dist/index.js.map', size: 300, sha256: 'b'.repeat(64), kind: 'sourcemap' },
    ],
  };

  it('lists each artifact with its size, and its gzip size when one was measured', () => {
    const text = formatSummary(two, 'packages/greet/.build-system/result.json', false, { gzip: new Map([['packages/greet/dist/index.js', 700]]) });

    expect(text.split('\n').slice(1, 4)).toEqual([
      '  packages/greet/dist/index.js      entry        2.0 KiB  gzip     700 B',
      '  packages/greet/dist/index.js.map  sourcemap      300 B',
      '  2 artifacts, 2.3 KiB',
    ]);
  });

  it('has no gzip column without measurements', () => {
    expect(formatSummary(two, 'r.json', false)).not.toContain('gzip');
  });
});

describe('formatSummary: warnings', () => {
  it("names a warning's code and gives a location only when it has a line", () => {
    const text = formatSummary(
      {
        ...success,
        warnings: [
          { code: 'BS_PACKAGE_CONTRACT', message: 'types: ./dist/index.d.ts was not produced by this build', file: 'packages/greet/package.json', line: 4, column: 12 },
          { code: 'BS_PACKAGE_CONTRACT', message: 'package.json is odd', file: 'packages/greet/package.json' },
          { message: 'Comparison with NaN', file: 'packages/greet/src/index.ts', line: 2, column: 13, builderCode: 'equals-nan' },
        ],
      },
      'packages/greet/.build-system/result.json',
      false,
    );

    expect(text).toContain('  warning BS_PACKAGE_CONTRACT: packages/greet/package.json:4:12: types: ./dist/index.d.ts was not produced by this build\n');
    expect(text).toContain('  warning BS_PACKAGE_CONTRACT: packages/greet/package.json: package.json is odd\n');
    expect(text).toContain('  warning: packages/greet/src/index.ts:2:13: Comparison with NaN\n');
  });
});
