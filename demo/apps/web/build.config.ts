import { defineBuildConfig } from '@repo/build-system';

export default defineBuildConfig({
  entry: { main: 'src/main.ts' },
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  env: { defaults: { NODE_ENV: 'development' } },
  environments: {
    production: { minify: true, define: { 'process.env.NODE_ENV': '"production"' } },
  },
});
