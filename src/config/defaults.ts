import type { BuilderSetting } from './schema';

/**
 * Defaults applied after environments are merged. Kept apart from the zod schema so code that only
 * needs defaults (resolve, inference on a warm cache) does not load zod.
 */
export const DEFAULTS = {
  outDir: 'dist',
  formats: ['esm'] as Array<'esm' | 'cjs' | 'iife'>,
  platform: 'node' as const,
  target: 'es2022' as string | string[],
  sourcemap: false as boolean | 'inline' | 'external',
  minify: false,
  builder: 'auto' as BuilderSetting,
  dts: false,
  bundle: true,
  /**
   * With `bundle: false`, the source files that are not modules of the package: tests, specs,
   * stories, fixtures, mocks and declarations (relative to the package root; matched anywhere).
   */
  bundlelessExclude: [
    '**/*.test.*',
    '**/*.spec.*',
    '**/*.stories.*',
    '**/*.story.*',
    '**/__tests__/**',
    '**/__mocks__/**',
    '**/__fixtures__/**',
    '**/fixtures/**',
    '**/*.d.ts',
    '**/*.d.mts',
    '**/*.d.cts',
  ] as string[],
  /** 30 minutes: generous, so only a builder that hangs ever meets it. */
  buildTimeoutMs: 30 * 60_000,
};

/** Defaults of the `publish` options (nested, so not in DEFAULTS; the schema's `.meta` shows them). */
export const PUBLISH_DEFAULTS = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  timeoutMs: 30_000,
};

