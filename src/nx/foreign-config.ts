import { moduleSpecifiers, packageNameOf } from '../config/module-loader';

const OWN = '@repo/build-system';

/**
 * unbuild (and other tools) also read `build.config.ts` with a `defineBuildConfig`. Such a config is
 * not ours, and inference must leave its package alone. Decided from the source text, without
 * evaluating it: a config that imports this package is ours; otherwise one that imports `unbuild`,
 * or takes `defineBuildConfig` from another package, belongs to that package (its name is returned).
 * A config with no imports (a plain object) or a local `defineBuildConfig` stays ours.
 */
export function foreignConfigOwner(source: string): string | undefined {
  const packages = (moduleSpecifiers(source) ?? []).filter(isBare).map(packageNameOf);
  if (packages.includes(OWN)) return undefined;
  if (packages.includes('unbuild')) return 'unbuild';
  // `import { defineBuildConfig } from 'x'` and `const { defineBuildConfig } = require('x')`.
  const bindings = [
    ...source.matchAll(/\bimport\s+(?:type\s+)?[\w$]*\s*,?\s*\{([^}]*)\}\s*from\s*(['"])([^'"\n]+)\2/g),
    ...source.matchAll(/\{([^}]*)\}\s*=\s*require\s*\(\s*(['"])([^'"\n]+)\2\s*\)/g),
  ];
  for (const [, names, , specifier] of bindings) {
    if (/\bdefineBuildConfig\b/.test(names) && isBare(specifier)) return packageNameOf(specifier);
  }
  return undefined;
}

function isBare(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('node:');
}
