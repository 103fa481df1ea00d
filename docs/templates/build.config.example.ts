// packages/api-client/build.config.ts
import { defineBuildConfig } from '@repo/build-system';

export default defineBuildConfig({
  // Two bundles: dist/index.* and dist/cli.*
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  formats: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
  define: { 'process.env.NODE_ENV': '"development"', __SENTRY__: 'false' },
  // Pinned (the default, auto, would use bun where it is installed); builderOptions go to esbuild as-is.
  builder: 'esbuild',
  builderOptions: { legalComments: 'none' },
  cache: {
    include: ['openapi/*.yaml'],
    exclude: ['src/**/*.test.ts', 'src/**/*.stories.tsx'],
  },
  env: { defaults: { API_BASE_URL: 'http://localhost:3000' } },
  hooks: {
    pre: ['node scripts/generate-client.mjs'],
    post: [
      { name: 'check exports', command: 'node ../../tools/check-exports.mjs', timeoutMs: 60_000 },
      async ({ environment }) => {
        if (environment === 'production') console.log('release build done');
      },
    ],
  },
  clean: { paths: ['src/generated'] },

  environments: {
    development: { sourcemap: 'inline' },
    production: {
      minify: true,
      sourcemap: true,
      // Merged key by key with the base `define`: __SENTRY__ stays 'false'.
      define: { 'process.env.NODE_ENV': '"production"' },
      // Merged with the base `env`: the default for API_BASE_URL still applies.
      env: { required: ['RELEASE_CHANNEL'] },
    },
    // Without a `ci` key CI builds exactly what production builds. This keeps production but
    // does not minify, and (arrays replace) does not require RELEASE_CHANNEL.
    ci: { minify: false, env: { required: [] } },
    // Any other name works too: `nx run api-client:build -c staging`.
    staging: {
      outDir: 'dist-staging',
      define: { 'process.env.NODE_ENV': '"staging"' },
    },
  },
});
