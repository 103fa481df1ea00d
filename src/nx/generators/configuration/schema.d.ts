export interface ConfigurationGeneratorSchema {
  project: string;
  builder?: 'auto' | 'esbuild' | 'bun' | 'tsc' | 'rollup' | 'rolldown' | 'custom';
  /** Default: the source condition of package.json exports, else src/index.*. */
  entry?: string;
  /** Default: what package.json's type and entry points ask for, else esm. */
  formats?: Array<'esm' | 'cjs' | 'iife'>;
  /** Default: true when package.json names types. */
  dts?: boolean;
  /** Default: tsconfig.lib.json (then tsconfig.build.json) when tsconfig.json is a solution file. */
  tsconfig?: string;
  /** Write `packageJson: { sync: true }`. Default: false. */
  syncPackageJson?: boolean;
  force?: boolean;
  skipFormat?: boolean;
  skipPackageJson?: boolean;
}
