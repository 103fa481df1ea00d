import { describe, expect, it } from 'vitest';
import { toolPackages } from '../../../src/nx/tool-packages';

/** The packages named as `externalDependencies` inputs of the build target (before the lockfile filter). */
describe('toolPackages: every tool a build runs', () => {
  it('names the builder, and bun and esbuild for auto', () => {
    expect(toolPackages({ builders: ['esbuild'] })).toEqual(['@repo/build-system', 'esbuild']);
    expect(toolPackages({ builders: ['auto'] })).toEqual(['@repo/build-system', 'esbuild', 'bun']);
    expect(toolPackages({ builders: ['custom'] })).toEqual(['@repo/build-system']);
  });

  it('names TypeScript when declarations are written, whichever builder bundles', () => {
    expect(toolPackages({ builders: ['esbuild'], dts: true })).toEqual(['@repo/build-system', 'esbuild', 'typescript', '@typescript/native-preview']);
    expect(toolPackages({ builders: ['tsc'], dts: false })).toEqual(['@repo/build-system', 'typescript', '@typescript/native-preview']);
  });

  it('names oxc-transform when oxc may write the declarations (generator auto or oxc)', () => {
    expect(toolPackages({ builders: ['esbuild'], dts: true, dtsOxc: true })).toEqual(['@repo/build-system', 'esbuild', 'typescript', '@typescript/native-preview', 'oxc-transform']);
  });

  it("names esbuild when rollup compiles TypeScript with esbuild's transform, not when rollup runs its own config", () => {
    expect(toolPackages({ builders: ['rollup'], rollupTransform: true })).toEqual(['@repo/build-system', 'rollup', 'esbuild']);
    expect(toolPackages({ builders: ['rollup'], rollupTransform: false })).toEqual(['@repo/build-system', 'rollup']);
  });

  it('names rolldown alone: it compiles TypeScript and loads its config itself', () => {
    expect(toolPackages({ builders: ['rolldown'], rollupTransform: false })).toEqual(['@repo/build-system', 'rolldown']);
    expect(toolPackages({ builders: ['rolldown'], dts: true })).toEqual(['@repo/build-system', 'rolldown', 'typescript', '@typescript/native-preview']);
  });

  it("names a third-party adapter's package, not a file of the package's own", () => {
    expect(toolPackages({ builders: [{ module: '@acme/build-adapter/esm' }] })).toEqual(['@repo/build-system', '@acme/build-adapter']);
    expect(toolPackages({ builders: [{ module: 'my-adapter/lib/index.js' }] })).toEqual(['@repo/build-system', 'my-adapter']);
    expect(toolPackages({ builders: [{ module: './tools/adapter.js' }] })).toEqual(['@repo/build-system']);
  });
});
