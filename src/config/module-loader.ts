import Module from 'node:module';
import { dirname } from 'node:path';
import type { BuildResult, Plugin } from 'esbuild';

/**
 * How every user-written module is loaded (build.config.*, a custom builder module, a publisher
 * module): bundled by esbuild with relative imports inlined and packages left to `require`, then
 * evaluated as CommonJS in memory. So .ts/.mts/.cts/.js/.mjs/.cjs all work on Node 20 without a
 * TypeScript loader. Errors are thrown as they come (esbuild failures carry `errors`); callers
 * turn them into their own diagnostics.
 */
export async function bundleModule(
  file: string,
  options: { esbuild?: typeof import('esbuild'); plugins?: Plugin[] } = {},
): Promise<BuildResult<{ write: false; metafile: true }>> {
  const esbuild = options.esbuild ?? (await import('esbuild'));
  return esbuild.build({
    entryPoints: [file],
    absWorkingDir: dirname(file),
    bundle: true,
    write: false,
    metafile: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    sourcemap: 'inline',
    plugins: options.plugins ?? [],
  });
}

/**
 * Evaluates bundled CommonJS as if it were `file`: `require` resolves from the file's folder, except
 * the ids in `overrides`, which get the given value.
 */
export function evaluateModule(code: string, file: string, overrides: Record<string, unknown> = {}): unknown {
  const mod = new Module(file) as Module & { _compile(code: string, filename: string): void };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  if (Object.keys(overrides).length) {
    // The module's `require` calls mod.require, so an own property takes the ids first.
    const original = mod.require.bind(mod);
    mod.require = ((id: string) => (Object.hasOwn(overrides, id) ? overrides[id] : original(id))) as typeof mod.require;
  }
  mod._compile(code, file);
  return mod.exports;
}

/**
 * The module specifiers a source file loads (`from '…'`, `import '…'`, `import('…')`,
 * `require('…')`), or undefined when it loads one that is not a string literal. Conservative: a
 * match inside a comment or string only adds a specifier, so callers that use this to skip
 * bundling fall back to bundling; it never misses a real one.
 */
export function moduleSpecifiers(source: string): string[] | undefined {
  const found = new Set<string>();
  for (const m of source.matchAll(/\bfrom\s*(['"])([^'"\n]+)\1/g)) found.add(m[2]);
  for (const m of source.matchAll(/\bimport\s*(['"])([^'"\n]+)\1/g)) found.add(m[2]);
  for (const m of source.matchAll(/\b(?:import|require)\s*\(\s*([^)]*)\)?/g)) {
    const literal = /^(['"`])([^'"`\n$]+)\1$/.exec(m[1].split(',')[0].trim());
    if (!literal) return undefined;
    found.add(literal[2]);
  }
  return [...found];
}

/** The package a bare specifier names: `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
