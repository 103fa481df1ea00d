import { describe, expect, it } from 'vitest';
import { validateBuildConfig } from '../../../src/config/validate';
import { BuildSystemError } from '../../../src/errors';

const FILE = 'packages/lib/build.config.ts';

function validationError(raw: unknown): BuildSystemError {
  try {
    validateBuildConfig(raw, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(BuildSystemError);
    return e as BuildSystemError;
  }
  throw new Error('expected the config to be rejected');
}

describe('validateBuildConfig', () => {
  it('reports a misspelled top-level key as BS_CONFIG_INVALID and suggests the right one', () => {
    const error = validationError({ minfy: true });
    expect(error.code).toBe('BS_CONFIG_INVALID');
    expect(error.file).toBe(FILE);
    expect(error.issues).toEqual(['unknown key "minfy" — did you mean "minify"?']);
    expect(error.message).toContain(FILE);
    expect(error.message).toContain('"minfy"');
  });

  it('suggests the full key path for an unknown nested key', () => {
    const error = validationError({ cache: { inclde: ['assets/**'] } });
    expect(error.issues).toEqual(['unknown key "cache.inclde" — did you mean "cache.include"?']);
  });

  it('suggests a key for an unknown key inside an environment override', () => {
    const error = validationError({ environments: { production: { sourcemaps: true } } });
    expect(error.issues).toEqual(['unknown key "environments.production.sourcemaps" — did you mean "environments.production.sourcemap"?']);
  });

  it('suggests a key for an unknown key nested inside an environment override', () => {
    const error = validationError({ environments: { ci: { env: { requried: ['TOKEN'] } } } });
    expect(error.issues).toEqual(['unknown key "environments.ci.env.requried" — did you mean "environments.ci.env.required"?']);
  });

  it('gives no suggestion for an unknown key that resembles nothing', () => {
    const error = validationError({ banana: 1 });
    expect(error.issues).toEqual(['unknown key "banana"']);
  });

  it('suggests esbuild for a misspelled builder name', () => {
    const error = validationError({ builder: 'esbulid' });
    expect(error.issues).toHaveLength(1);
    expect(error.issues![0]).toContain('"builder": unknown builder "esbulid" — did you mean "esbuild"?');
  });

  it('suggests a builder name inside an environment override', () => {
    const error = validationError({ environments: { production: { builder: 'rolup' } } });
    expect(error.issues![0]).toContain('"environments.production.builder": unknown builder "rolup" — did you mean "rollup"?');
  });

  it('names the key path and the expected type for a value of the wrong type', () => {
    const error = validationError({ formats: ['esm', 'umd'] });
    expect(error.issues).toHaveLength(1);
    expect(error.issues![0]).toMatch(/^"formats\.1": /);
    expect(error.issues![0]).toContain('"esm"');
  });

  it('reports every problem at once, each with its key path', () => {
    const error = validationError({
      minfy: true,
      outDir: 42,
      cache: { inclde: [] },
      environments: { production: { formats: 'esm' } },
    });
    expect(error.issues).toHaveLength(4);
    const issues = error.issues!.join('\n');
    expect(issues).toContain('unknown key "minfy"');
    expect(issues).toContain('"outDir":');
    expect(issues).toContain('unknown key "cache.inclde"');
    expect(issues).toContain('"environments.production.formats":');
    expect(error.message).toContain('4 problems');
    for (const issue of error.issues!) expect(error.detail).toContain(issue);
  });

  it('accepts a config that uses every option', () => {
    const full = {
      name: 'lib',
      entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
      outDir: 'dist',
      formats: ['esm', 'cjs'],
      platform: 'node',
      target: ['node20', 'es2022'],
      sourcemap: 'external',
      minify: false,
      external: ['react'],
      define: { 'process.env.NODE_ENV': '"production"' },
      builder: 'esbuild',
      builderOptions: { legalComments: 'none' },
      dts: false,
      tsconfig: 'tsconfig.lib.json',
      artifacts: ['dist/**/*.js'],
      cache: { include: ['assets/**'], exclude: ['**/*.test.ts'] },
      hooks: {
        pre: ['node scripts/prebuild.js', { name: 'codegen', command: 'node codegen.js', timeoutMs: 5000 }],
        post: [() => undefined],
      },
      env: { required: ['API_URL'], defaults: { LOG_LEVEL: 'info' } },
      clean: { beforeBuild: true, paths: ['.cache'] },
      environments: {
        production: { minify: true, sourcemap: false },
        ci: { env: { required: ['CI_TOKEN'] } },
        staging: { define: { __STAGE__: '"staging"' } },
      },
    };
    expect(validateBuildConfig(full, FILE)).toBe(full);
  });

  it('accepts a third-party builder given as { module }', () => {
    const config = { builder: { module: 'my-adapter' } };
    expect(validateBuildConfig(config, FILE)).toBe(config);
  });

  it('rejects a config that is not an object', () => {
    const error = validationError('dist');
    expect(error.code).toBe('BS_CONFIG_INVALID');
    expect(error.issues![0]).toMatch(/^"\(root\)": /);
  });
});
