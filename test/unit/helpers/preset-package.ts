/**
 * A lib's package.json as `create-nx-workspace --preset=ts` and `nx g @nx/js:lib` write it (the
 * source condition is `@<workspace>/source` there; `development` is the other common name).
 */
export function presetLibPackageJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '@org/a',
    version: '0.0.1',
    type: 'module',
    main: './dist/index.js',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      './package.json': './package.json',
      '.': { development: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
    },
    ...extra,
  };
}
