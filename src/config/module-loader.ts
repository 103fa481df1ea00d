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

/** Evaluates bundled CommonJS as if it were `file`: `require` resolves from the file's folder. */
export function evaluateModule(code: string, file: string): unknown {
  const mod = new Module(file) as Module & { _compile(code: string, filename: string): void };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  mod._compile(code, file);
  return mod.exports;
}
