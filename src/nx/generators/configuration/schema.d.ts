export interface ConfigurationGeneratorSchema {
  project: string;
  builder?: 'auto' | 'esbuild' | 'bun' | 'tsc' | 'rollup' | 'custom';
  entry?: string;
  formats?: Array<'esm' | 'cjs' | 'iife'>;
  force?: boolean;
  skipFormat?: boolean;
  skipPackageJson?: boolean;
}
