import { OXC_TRANSFORM_PACKAGE, TYPESCRIPT_PACKAGES } from '../adapters/tsc/packages';
import type { ConfigSummary } from '../config/inspect';
import { packageNameOf } from '../config/module-loader';

/** The plugin's own version shapes the output too (naming, defaults), so it is an input like the builder. */
const EXECUTOR_PACKAGE = '@repo/build-system';

/**
 * Every npm package whose version can change what a build writes: the plugin, each builder named
 * over all environments (`auto` may run bun or esbuild), TypeScript when declarations are written
 * or tsc builds, oxc-transform when declarations may come from oxc, esbuild when rollup compiles
 * TypeScript with its transform (rolldown compiles it itself, and its native binding is pinned to
 * its version), and a third-party
 * adapter's package (`{ module: 'x/adapter' }` → `x`; a path of the package's own is a file input,
 * not a package). Inference keeps only those the lockfile pins.
 */
export function toolPackages(summary: Pick<ConfigSummary, 'builders'> & Partial<Pick<ConfigSummary, 'dts' | 'dtsOxc' | 'rollupTransform'>>): string[] {
  const names = [EXECUTOR_PACKAGE];
  for (const builder of summary.builders) {
    if (typeof builder !== 'string') {
      if (!builder.module.startsWith('.') && !builder.module.startsWith('/')) names.push(packageNameOf(builder.module));
    } else if (builder === 'auto') names.push('esbuild', 'bun');
    else if (builder === 'tsc') names.push(...TYPESCRIPT_PACKAGES);
    else if (builder !== 'custom') names.push(builder);
  }
  if (summary.dts) names.push(...TYPESCRIPT_PACKAGES);
  if (summary.dtsOxc) names.push(OXC_TRANSFORM_PACKAGE);
  if (summary.rollupTransform) names.push('esbuild');
  return [...new Set(names)];
}
