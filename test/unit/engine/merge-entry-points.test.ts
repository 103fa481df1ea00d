import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPointFields, planEntryPoints, plannedFiles, type EntryPointInputs } from '../../../src/engine/entry-points';
import { mergeEntryPoints } from '../../../src/engine/merge-entry-points';

const root = join('/ws', 'packages', 'lib');
const dual: EntryPointInputs = {
  packageRoot: root,
  entries: [{ name: 'index', file: join(root, 'src/index.ts') }],
  outDir: join(root, 'dist'),
  formats: ['esm', 'cjs'],
  dts: true,
  packageType: 'module',
  builder: 'esbuild',
};

/** Merges the dual-format plan into `pkg`; `files` are the package-relative files that exist now. */
function merge(pkg: Record<string, unknown>, files: string[] = [], inputs: EntryPointInputs = dual) {
  const plan = planEntryPoints(inputs);
  const existing = new Set(files.map((f) => f.replace(/^\.\//, '')));
  return mergeEntryPoints(pkg, entryPointFields(plan, inputs.packageType), {
    planned: plannedFiles(plan),
    outDir: 'dist',
    exists: (p) => existing.has(p.replace(/^\.\//, '')),
  });
}

/** What Nx's TypeScript preset writes into a library's package.json. */
const presetPackage = () => ({
  name: '@org/lib',
  version: '0.0.1',
  type: 'module',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    './package.json': './package.json',
    '.': { development: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
  },
  nx: { name: 'lib' },
  dependencies: { tslib: '^2.3.0' },
});

describe('mergeEntryPoints', () => {
  it('keeps the preset’s development condition first and gives import and require their own types', () => {
    const { packageJson } = merge(presetPackage(), ['src/index.ts']);
    expect(packageJson.exports).toEqual({
      './package.json': './package.json',
      '.': {
        development: './src/index.ts',
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    });
    expect(Object.keys((packageJson.exports as Record<string, object>)['.'])[0]).toBe('development');
  });

  it('keeps every other field and the order of the keys', () => {
    const { packageJson } = merge(presetPackage(), ['src/index.ts']);
    expect(Object.keys(packageJson)).toEqual(['name', 'version', 'type', 'main', 'module', 'types', 'exports', 'nx', 'dependencies']);
    expect(packageJson).toMatchObject({ name: '@org/lib', nx: { name: 'lib' }, dependencies: { tslib: '^2.3.0' }, main: './dist/index.cjs', module: './dist/index.js' });
  });

  it('names each changed field for nx sync:check', () => {
    const { changes } = merge(presetPackage(), ['src/index.ts']);
    expect(changes).toEqual([
      expect.stringMatching(/^exports\["\."\]: .* → .*"require":\{"types":"\.\/dist\/index\.d\.cts"/),
      'main: "./dist/index.js" → "./dist/index.cjs"',
      'module: "./dist/index.js"',
    ]);
  });

  it('changes nothing the second time', () => {
    const once = merge(presetPackage(), ['src/index.ts']).packageJson;
    const twice = merge(once, ['src/index.ts']);
    expect(twice.changes).toEqual([]);
    expect(twice.packageJson).toEqual(once);
  });

  it('writes the fields into a package.json that has none, together at the end, with ./package.json', () => {
    const { packageJson } = merge({ name: 'lib', type: 'module', scripts: {} });
    expect(packageJson).toEqual({
      name: 'lib',
      type: 'module',
      scripts: {},
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
    });
    expect(Object.keys(packageJson)).toEqual(['name', 'type', 'scripts', 'main', 'module', 'types', 'exports']);
  });

  it('replaces a string shorthand `exports`', () => {
    const { packageJson } = merge({ name: 'lib', exports: './dist/index.js' });
    expect(Object.keys(packageJson.exports as object)).toEqual(['.', './package.json']);
  });

  it('drops a condition or subpath that points at nothing the build writes or the package ships', () => {
    const { packageJson, changes } = merge(
      {
        name: 'lib',
        exports: {
          '.': { browser: './dist/browser.js', development: './src/index.ts', default: './dist/index.js' },
          './old': './dist/old.js',
          './styles.css': './styles.css',
          './internal/*': null,
          './features/*': './dist/features/*.js',
        },
      },
      ['src/index.ts', 'styles.css', 'dist/browser.js'],
    );
    expect(packageJson.exports).toEqual({
      '.': {
        development: './src/index.ts',
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './styles.css': './styles.css',
      './internal/*': null,
      './features/*': './dist/features/*.js',
      './package.json': './package.json',
    });
    // dist/browser.js exists, but only as a stale output: the build does not write it.
    expect(changes).toContain('exports["."].browser: removed "./dist/browser.js" (not written by the build, not in the package)');
    expect(changes).toContain('exports["./old"]: removed "./dist/old.js" (not written by the build, not in the package)');
  });

  it('removes a `types` no build writes, keeps hand-written types the package ships', () => {
    const untyped = { ...dual, dts: false };
    const stale = merge({ name: 'lib', types: './dist/index.d.ts' }, [], untyped);
    expect(stale.packageJson.types).toBeUndefined();
    expect(stale.changes).toContain('types: removed "./dist/index.d.ts" (not written by the build, not in the package)');
    const shipped = merge({ name: 'lib', typings: './types/index.d.ts' }, ['types/index.d.ts'], untyped);
    expect(shipped.packageJson.typings).toBe('./types/index.d.ts');
    expect(shipped.packageJson.types).toBeUndefined();
  });

  it('updates `typings` rather than adding `types` beside it', () => {
    const { packageJson } = merge({ name: 'lib', typings: './index.d.ts' });
    expect(packageJson.typings).toBe('./dist/index.d.ts');
    expect('types' in packageJson).toBe(false);
  });

  it('leaves bin as written and warns when it points nowhere', () => {
    const { packageJson, warnings, changes } = merge({ name: 'lib', bin: { lib: './dist/cli.js', ok: './bin/ok.js' } }, ['bin/ok.js']);
    expect(packageJson.bin).toEqual({ lib: './dist/cli.js', ok: './bin/ok.js' });
    expect(warnings).toEqual(['bin.lib: "./dist/cli.js" is not written by the build and not in the package; left as written.']);
    expect(changes.some((c) => c.startsWith('bin'))).toBe(false);
  });

  it('writes nothing for a build with no module entry point', () => {
    const iife = { ...dual, formats: ['iife' as const] };
    const pkg = { name: 'lib', exports: './dist/x.js' };
    const { packageJson, changes } = merge(pkg, [], iife);
    expect(packageJson.exports).toBe('./dist/x.js');
    expect(changes.filter((c) => c.startsWith('exports'))).toEqual([]);
  });
});
