import type { Plugin } from 'esbuild';
import { bundlelessResolution } from '../bundleless';

/**
 * `bundle: false` for esbuild: every module is an entry point and this plugin makes every import
 * external, so each output holds exactly one module. Relative imports are rewritten to the file
 * the build emits for them (esbuild's own `bundle: false` neither resolves nor rewrites them, and
 * refuses `external`); bare imports stay as written.
 */
export function bundlelessPlugin(modules: { root: string; files: string[] }, extension: string): Plugin {
  const list = { root: modules.root, files: new Set(modules.files) };
  return {
    name: 'build-system-bundleless',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const resolution = bundlelessResolution(args.path, args.importer, list, extension);
        if (!resolution) return undefined;
        return 'error' in resolution ? { errors: [{ text: resolution.error }] } : { path: resolution.external, external: true };
      });
    },
  };
}
