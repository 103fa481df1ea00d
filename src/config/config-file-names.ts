/** Config file names, in the order the loader prefers them when a folder has several. */
export const CONFIG_FILE_NAMES = [
  'build.config.ts',
  'build.config.mts',
  'build.config.cts',
  'build.config.js',
  'build.config.mjs',
  'build.config.cjs',
] as const;

/** The glob inference registers with Nx: every name above, at any depth. */
export const CONFIG_GLOB = '**/build.config.{ts,mts,cts,js,mjs,cjs}';
