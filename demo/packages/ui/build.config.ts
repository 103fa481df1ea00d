import { defineBuildConfig } from '@repo/build-system';

export default defineBuildConfig({
  entry: 'src/index.ts',
  formats: ['esm', 'cjs'],
  platform: 'neutral',
  sourcemap: true,
  environments: {
    production: { minify: true, sourcemap: false },
  },
});
