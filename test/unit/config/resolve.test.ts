import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyEnvironment,
  deepMerge,
  isCI,
  resolveBuild,
  resolveEnvironmentName,
  type ResolveOptions,
} from '../../../src/config/resolve';
import type { PackageBuildConfig } from '../../../src/config/schema';
import { BuildSystemError } from '../../../src/errors';
import { useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

function thrown(fn: () => unknown): BuildSystemError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BuildSystemError);
    return e as BuildSystemError;
  }
  throw new Error('expected a BuildSystemError');
}

describe('resolveEnvironmentName', () => {
  it('uses the Nx configuration when one is given, even with CI set', () => {
    expect(resolveEnvironmentName({}, 'production', { CI: 'true' })).toEqual({ name: 'production', source: 'configuration' });
  });

  it('uses ci when CI is set and no configuration is given', () => {
    expect(resolveEnvironmentName({}, undefined, { CI: 'true' })).toEqual({ name: 'ci', source: 'ci' });
  });

  it('uses development when neither a configuration nor CI is set', () => {
    expect(resolveEnvironmentName({}, undefined, {})).toEqual({ name: 'development', source: 'default' });
  });

  it.each(['false', 'FALSE', '0', ''])('does not treat CI=%j as CI', (value) => {
    expect(isCI({ CI: value })).toBe(false);
    expect(resolveEnvironmentName({}, undefined, { CI: value }).name).toBe('development');
  });

  it.each(['true', '1', 'github-actions'])('treats CI=%j as CI', (value) => {
    expect(isCI({ CI: value })).toBe(true);
  });

  it('accepts an environment defined only in the config', () => {
    const config: PackageBuildConfig = { environments: { staging: { minify: true } } };
    expect(resolveEnvironmentName(config, 'staging', {})).toEqual({ name: 'staging', source: 'configuration' });
  });

  it('rejects an unknown configuration with BS_ENVIRONMENT_UNKNOWN and suggests the closest name', () => {
    const config: PackageBuildConfig = { environments: { staging: {} } };
    const error = thrown(() => resolveEnvironmentName(config, 'stagign', {}));
    expect(error.code).toBe('BS_ENVIRONMENT_UNKNOWN');
    expect(error.message).toContain('did you mean "staging"?');
    expect(error.message).toContain('development, ci, production, staging');
  });

  it('suggests production for a misspelled production', () => {
    const error = thrown(() => resolveEnvironmentName({}, 'prodution', {}));
    expect(error.message).toContain('did you mean "production"?');
  });
});

describe('applyEnvironment', () => {
  const config: PackageBuildConfig = {
    name: 'lib',
    minify: false,
    sourcemap: true,
    environments: {
      production: { minify: true, sourcemap: false },
      development: { sourcemap: 'inline' },
    },
  };

  it('layers the environment overrides over the base', () => {
    expect(applyEnvironment(config, 'production')).toEqual({ minify: true, sourcemap: false });
  });

  it('returns the base for an environment without overrides', () => {
    expect(applyEnvironment(config, 'staging')).toEqual({ minify: false, sourcemap: true });
  });

  it('gives ci the production overrides when ci has none of its own', () => {
    expect(applyEnvironment(config, 'ci')).toEqual({ minify: true, sourcemap: false });
  });

  it('lets ci override what it inherits from production', () => {
    const withCi: PackageBuildConfig = { ...config, environments: { ...config.environments, ci: { sourcemap: true } } };
    expect(applyEnvironment(withCi, 'ci')).toEqual({ minify: true, sourcemap: true });
  });

  it('does not give development the production overrides', () => {
    expect(applyEnvironment(config, 'development')).toEqual({ minify: false, sourcemap: 'inline' });
  });
});

describe('deepMerge', () => {
  it('merges nested objects key by key', () => {
    const merged = deepMerge<PackageBuildConfig>(
      { env: { required: ['A'], defaults: { LEVEL: 'info', MODE: 'dev' } } },
      { env: { defaults: { MODE: 'prod' } } },
    );
    expect(merged).toEqual({ env: { required: ['A'], defaults: { LEVEL: 'info', MODE: 'prod' } } });
  });

  it('replaces arrays instead of concatenating them', () => {
    expect(deepMerge<PackageBuildConfig>({ formats: ['esm', 'cjs'] }, { formats: ['iife'] })).toEqual({ formats: ['iife'] });
  });

  it('keeps a base value when the override sets it to undefined', () => {
    expect(deepMerge<PackageBuildConfig>({ outDir: 'lib' }, { outDir: undefined })).toEqual({ outDir: 'lib' });
  });

  it('does not modify the base object', () => {
    const base: PackageBuildConfig = { define: { A: '1' } };
    deepMerge(base, { define: { B: '2' } });
    expect(base).toEqual({ define: { A: '1' } });
  });
});

describe('resolveBuild', () => {
  function makePackage(files: Record<string, string>): { workspaceRoot: string; packageRoot: string; options: ResolveOptions } {
    const workspaceRoot = tempDir('bs-resolve-');
    const packageRoot = path.join(workspaceRoot, 'packages/lib');
    writeFiles(packageRoot, files);
    return {
      workspaceRoot,
      packageRoot,
      options: { project: 'lib', workspaceRoot, packageRoot, configFile: path.join(packageRoot, 'build.config.ts'), env: {} },
    };
  }

  it('defaults externals to dependencies plus peerDependencies', () => {
    const { options } = makePackage({
      'package.json': JSON.stringify({
        name: 'lib',
        dependencies: { zod: '^4.0.0', tinyglobby: '^0.2.0' },
        peerDependencies: { react: '>=18', zod: '^4.0.0' },
        devDependencies: { vitest: '^4.0.0' },
      }),
      'src/index.ts': '',
    });
    expect(resolveBuild({}, options).external).toEqual(['react', 'tinyglobby', 'zod']);
  });

  it('uses the configured externals instead of the dependencies when set', () => {
    const { options } = makePackage({
      'package.json': JSON.stringify({ name: 'lib', dependencies: { zod: '^4.0.0' } }),
      'src/index.ts': '',
    });
    expect(resolveBuild({ external: ['node:*'] }, options).external).toEqual(['node:*']);
  });

  it('finds src/index.ts when no entry is set', () => {
    const { packageRoot, options } = makePackage({ 'package.json': '{}', 'src/index.ts': '', 'index.ts': '' });
    expect(resolveBuild({}, options).entries).toEqual([{ name: 'index', file: path.join(packageRoot, 'src/index.ts') }]);
  });

  it('falls back to index.js at the package root when there is no src/index.*', () => {
    const { packageRoot, options } = makePackage({ 'package.json': '{}', 'index.js': '' });
    expect(resolveBuild({}, options).entries).toEqual([{ name: 'index', file: path.join(packageRoot, 'index.js') }]);
  });

  it('reports BS_ENTRY_NOT_FOUND listing the candidates when no entry is set and none exists', () => {
    const { options } = makePackage({ 'package.json': '{}' });
    const error = thrown(() => resolveBuild({}, options));
    expect(error.code).toBe('BS_ENTRY_NOT_FOUND');
    expect(error.message).toContain('src/index.ts');
  });

  it('reports BS_ENTRY_NOT_FOUND naming a configured entry that does not exist', () => {
    const { packageRoot, options } = makePackage({ 'package.json': '{}', 'src/index.ts': '' });
    const error = thrown(() => resolveBuild({ entry: ['src/index.ts', 'src/cli.ts'] }, options));
    expect(error.code).toBe('BS_ENTRY_NOT_FOUND');
    expect(error.message).toContain('"src/cli.ts"');
    expect(error.file).toBe(path.join(packageRoot, 'src/cli.ts'));
  });

  it('names the entries of a map by their keys', () => {
    const { packageRoot, options } = makePackage({ 'package.json': '{}', 'src/index.ts': '' });
    expect(resolveBuild({ entry: { main: 'src/index.ts' } }, options).entries).toEqual([
      { name: 'main', file: path.join(packageRoot, 'src/index.ts') },
    ]);
  });

  it('names the entries of a list by their file names', () => {
    const { options } = makePackage({ 'package.json': '{}', 'src/index.ts': '', 'src/cli.ts': '' });
    expect(resolveBuild({ entry: ['src/index.ts', 'src/cli.ts'] }, options).entries.map((e) => e.name)).toEqual(['index', 'cli']);
  });

  it('rejects two list entries that would be written to the same output name', () => {
    const { options } = makePackage({ 'package.json': '{}', 'src/index.ts': '', 'lib/index.ts': '' });
    const error = thrown(() => resolveBuild({ entry: ['src/index.ts', 'lib/index.ts'] }, options));
    expect(error.code).toBe('BS_CONFIG_INVALID');
    expect(error.message).toContain('"index"');
  });

  it('applies defaults after merging the environment', () => {
    const { packageRoot, options } = makePackage({ 'package.json': '{}', 'src/index.ts': '' });
    const build = resolveBuild({ environments: { production: { minify: true } } }, { ...options, configuration: 'production' });
    expect(build).toMatchObject({
      environment: 'production',
      environmentSource: 'configuration',
      outDir: path.join(packageRoot, 'dist'),
      formats: ['esm'],
      platform: 'node',
      target: ['es2022'],
      sourcemap: false,
      minify: true,
      builder: 'auto',
      packageType: 'commonjs',
      resultFile: path.join(packageRoot, '.build-system/result.json'),
      logFile: path.join(packageRoot, '.build-system/build.log'),
    });
  });

  it('builds the ci environment, with the production overrides, when the given env sets CI', () => {
    const { options } = makePackage({ 'package.json': '{}', 'src/index.ts': '' });
    const build = resolveBuild({ environments: { production: { outDir: 'release' } } }, { ...options, env: { CI: 'true' } });
    expect(build.environment).toBe('ci');
    expect(build.environmentSource).toBe('ci');
    expect(build.outDir).toBe(path.join(options.packageRoot, 'release'));
  });

  it('reads the package type from package.json', () => {
    const { options } = makePackage({ 'package.json': '{"type":"module"}', 'src/index.ts': '' });
    expect(resolveBuild({}, options).packageType).toBe('module');
  });

  it('reports an invalid package.json as BS_CONFIG_INVALID naming the file', () => {
    const { packageRoot, options } = makePackage({ 'package.json': '{ "name": ', 'src/index.ts': '' });
    const error = thrown(() => resolveBuild({}, options));
    expect(error.code).toBe('BS_CONFIG_INVALID');
    expect(error.file).toBe(path.join(packageRoot, 'package.json'));
  });
});
