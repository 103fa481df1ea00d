import type { PackageBuildConfig } from './schema';

/**
 * Identity function that gives build.config.ts its types and editor completion.
 * Validation happens when the config is loaded, so a plain object works too.
 */
export function defineBuildConfig(config: PackageBuildConfig): PackageBuildConfig {
  return config;
}
