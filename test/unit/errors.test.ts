import { describe, expect, it } from 'vitest';
import { BuildSystemError, ERROR_CODES, suggest } from '../../src/errors';

describe('suggest', () => {
  it('returns the candidate one edit away', () => {
    expect(suggest('minfy', ['entry', 'minify', 'outDir'])).toBe('minify');
  });

  it('returns the closest of several near candidates', () => {
    expect(suggest('esbulid', ['auto', 'bun', 'esbuild', 'tsc', 'rollup'])).toBe('esbuild');
  });

  it('ignores case when comparing', () => {
    expect(suggest('OUTDIR', ['outDir', 'entry'])).toBe('outDir');
  });

  it('returns undefined when nothing is close', () => {
    expect(suggest('banana', ['entry', 'outDir', 'formats'])).toBeUndefined();
  });

  it('returns undefined when there are no candidates', () => {
    expect(suggest('minify', [])).toBeUndefined();
  });

  it('allows more edits for longer inputs', () => {
    // 9 characters allow 3 edits (short inputs allow 2); three insertions give "environments".
    expect(suggest('envrnmnts', ['environments', 'entry'])).toBe('environments');
  });
});

describe('BuildSystemError', () => {
  it('takes its phase and default hint from the code catalogue', () => {
    const error = new BuildSystemError('BS_ENV_MISSING', 'Required environment variable not set: TOKEN.');
    expect(error.phase).toBe('env');
    expect(error.hint).toBe(ERROR_CODES.BS_ENV_MISSING.fix);
  });

  it('formats code, location, message, detail and hint as one block', () => {
    const error = new BuildSystemError('BS_CONFIG_SYNTAX', 'Unexpected "}"', {
      file: 'packages/lib/build.config.ts',
      line: 3,
      column: 7,
      detail: '> 3 | oops }',
      hint: 'Fix it.',
    });
    expect(error.format()).toBe('BS_CONFIG_SYNTAX packages/lib/build.config.ts:3:7: Unexpected "}"\n> 3 | oops }\n  → Fix it.');
  });

  it('gives every catalogued code the BS_ prefix and a fix', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^BS_[A-Z_]+$/);
      expect(info.fix.length).toBeGreaterThan(0);
    }
  });
});
