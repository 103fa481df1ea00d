import type { Plugin } from 'esbuild';
import { bundlelessImport, isRelativeOrAbsolute, outsideMessage } from '../bundleless';

/**
 * `bundle: false` for esbuild: every module is an entry point and this plugin makes every import
 * external, so each output holds exactly one module. Relative imports are rewritten to the file
 * the build emits for them (esbuild's own `bundle: false` neither resolves nor rewrites them, and
 * refuses `external`); bare imports stay as written.
 */
export function bundlelessPlugin(modules: { root: string; files: string[] }, extension: string): Plugin {
  const files = new Set(modules.files);
  return {
    name: 'build-system-bundleless',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!isRelativeOrAbsolute(args.path)) return { path: args.path, external: true };
        const target = bundlelessImport(args.path, args.importer, files, extension);
        switch (target.kind) {
          case 'module':
            return { path: target.specifier, external: true };
          case 'outside':
            return { errors: [{ text: outsideMessage(args.path, args.importer, target.file, modules.root) }] };
          case 'other':
            return { path: args.path, external: true };
          case 'missing':
            return undefined;
        }
      });
    },
  };
}
