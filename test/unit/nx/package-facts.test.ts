import { describe, expect, it } from 'vitest';
import { readPackageFacts } from '../../../src/nx/generators/configuration/package-facts';
import { presetLibPackageJson } from '../helpers/preset-package';

const none = () => false;

describe('readPackageFacts: what package.json says the build must produce', () => {
  it('reads the Nx TS preset layout: development condition into src, types and import into dist', () => {
    const pkg = presetLibPackageJson();
    expect(readPackageFacts(pkg, none)).toEqual({ entry: 'src/index.ts', formats: ['esm'], dts: true, outDir: 'dist' });
  });

  it('takes cjs from a require condition and esm from an import condition, ESM first', () => {
    const pkg = { exports: { '.': { require: './lib/index.cjs', import: './lib/index.mjs' } } };
    expect(readPackageFacts(pkg, none)).toMatchObject({ formats: ['esm', 'cjs'], outDir: 'lib', dts: false });
  });

  it('reads formats from the extension and the package type when there are no conditions', () => {
    expect(readPackageFacts({ main: './dist/index.cjs' }, none).formats).toEqual(['cjs']);
    expect(readPackageFacts({ main: './dist/index.js' }, none).formats).toEqual(['cjs']);
    expect(readPackageFacts({ type: 'module', main: './dist/index.js' }, none).formats).toEqual(['esm']);
    expect(readPackageFacts({ exports: './dist/index.mjs' }, none).formats).toEqual(['esm']);
  });

  it('falls back to the package type, or says nothing, when no entry point is listed', () => {
    expect(readPackageFacts({ type: 'module' }, none)).toEqual({ entry: undefined, formats: ['esm'], dts: false, outDir: undefined });
    expect(readPackageFacts({ type: 'commonjs' }, none).formats).toEqual(['cjs']);
    expect(readPackageFacts({}, none).formats).toBeUndefined();
  });

  it('sets dts for a typings field, a types condition or a declaration leaf', () => {
    expect(readPackageFacts({ typings: 'dist/index.d.ts' }, none).dts).toBe(true);
    expect(readPackageFacts({ exports: { '.': { import: { types: './dist/index.d.mts', default: './dist/index.mjs' } } } }, none).dts).toBe(true);
    expect(readPackageFacts({ exports: { '.': { default: './dist/index.js' } } }, none).dts).toBe(false);
  });

  it('takes the outDir from the folder every built entry point shares', () => {
    const pkg = { exports: { '.': { import: './build/esm/index.js', require: './build/cjs/index.cjs' } } };
    expect(readPackageFacts(pkg, none).outDir).toBe('build');
  });

  it('takes a .js source condition outside the outDir as the entry only if the file exists', () => {
    const pkg = { type: 'module', exports: { '.': { source: './src/index.js', default: './dist/index.js' } } };
    expect(readPackageFacts(pkg, (p) => p === 'src/index.js')).toMatchObject({ entry: 'src/index.js', outDir: 'dist', formats: ['esm'] });
    expect(readPackageFacts(pkg, none).entry).toBeUndefined();
  });

  it('prefers the source of subpath "." over another subpath', () => {
    const pkg = { exports: { './utils': { development: './src/utils.ts', default: './dist/utils.js' }, '.': { development: './src/main.ts', default: './dist/main.js' } } };
    expect(readPackageFacts(pkg, none).entry).toBe('src/main.ts');
  });

  it('gives no outDir for entry points at the package root', () => {
    expect(readPackageFacts({ main: 'index.js' }, none).outDir).toBeUndefined();
  });
});
