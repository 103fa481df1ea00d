/**
 * The TypeScript compilers a build may run, in the order they are looked for: TypeScript 5/6
 * (`typescript`) and the native TypeScript 7 preview (`@typescript/native-preview`, binary `tsgo`).
 * A module of its own so that inference can name them without loading the compiler runner.
 */
export const TYPESCRIPT_PACKAGES = ['typescript', '@typescript/native-preview'] as const;

/** The isolated-declarations transform the `oxc` declaration generator loads (src/adapters/dts-oxc.ts). */
export const OXC_TRANSFORM_PACKAGE = 'oxc-transform';
