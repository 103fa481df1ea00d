import { defineBuildConfig } from '@repo/build-system';

export default defineBuildConfig({
  entry: 'src/index.ts',
  formats: ['esm', 'cjs'],
  platform: 'neutral',
  sourcemap: true,
  // Declarations per format (index.d.ts beside index.js, index.d.cts beside index.cjs), and
  // package.json entry points written from what the build produces (`nx sync`).
  dts: true,
  packageJson: { sync: true },
  environments: {
    production: { minify: true, sourcemap: false },
  },
});
