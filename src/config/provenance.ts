import { DEFAULTS } from './defaults';
import type { ResolvedBuild } from './resolve';
import type { PackageBuildConfig } from './schema';
import { relativePosix } from '../paths';

/** Where a resolved option's value came from. */
export type OptionSource = 'default' | 'config' | `environment:${string}` | 'command line' | 'CI variable';

export interface OptionWithSource {
  value: unknown;
  source: OptionSource;
}

/** Options users set in build.config.ts, in display order. */
export const DESCRIBED_OPTIONS = [
  'entry',
  'outDir',
  'formats',
  'platform',
  'target',
  'sourcemap',
  'minify',
  'external',
  'define',
  'builder',
  'dts',
  'bundle',
  'tsconfig',
  'artifacts',
] as const;

/**
 * The resolved value of each option with its origin: the environment layer that set it (ci
 * inherits production), else the base config, else the default. Values are the resolved ones,
 * so defaults computed from the package (externals, entry discovery) show what a build would use.
 */
export function describeOptions(config: PackageBuildConfig, resolved: ResolvedBuild): Record<string, OptionWithSource> {
  const envs = config.environments ?? {};
  const layers: Array<[string, Record<string, unknown>]> = [];
  if (resolved.environment === 'ci' && envs.production) layers.push(['production', envs.production]);
  if (envs[resolved.environment]) layers.push([resolved.environment, envs[resolved.environment]]);
  const out: Record<string, OptionWithSource> = {
    environment: {
      value: resolved.environment,
      source: resolved.environmentSource === 'configuration' ? 'command line' : resolved.environmentSource === 'ci' ? 'CI variable' : 'default',
    },
  };
  for (const key of DESCRIBED_OPTIONS) {
    const fromEnv = [...layers].reverse().find(([, layer]) => layer[key] !== undefined);
    const source: OptionSource = fromEnv ? `environment:${fromEnv[0]}` : (config as Record<string, unknown>)[key] !== undefined ? 'config' : 'default';
    out[key] = { value: displayValue(key, resolved), source };
  }
  return out;
}

function displayValue(key: (typeof DESCRIBED_OPTIONS)[number], resolved: ResolvedBuild): unknown {
  const rel = (p: string) => relativePosix(resolved.packageRoot, p) || '.';
  switch (key) {
    case 'entry':
      return Object.fromEntries(resolved.entries.map((e) => [e.name, rel(e.file)]));
    case 'outDir':
      return rel(resolved.outDir);
    case 'tsconfig':
      return resolved.tsconfig ? rel(resolved.tsconfig) : undefined;
    case 'builder':
      return resolved.builder ?? DEFAULTS.builder;
    default:
      return resolved[key];
  }
}
