import { dirname, isAbsolute, resolve } from 'node:path';
import type { Loader, Message } from 'esbuild';
import type { Plugin, PluginContext, TransformPluginContext } from 'rollup';
import { characterColumn } from '../../config/code-frame';
import type { OutputFormat } from '../../config/schema';
import { bundlelessImport, importCandidates, isFile, isRelativeOrAbsolute, outsideMessage } from '../bundleless';
import type { AdapterInput } from '../types';

type Esbuild = typeof import('esbuild');

const SOURCE = /\.([cm]?[jt]sx?)$/;

/**
 * TypeScript for rollup without @rollup/plugin-typescript: relative imports resolve to .ts files
 * (including the `./x.js` → `./x.ts` spelling Node-style TypeScript uses), and each module is
 * compiled by esbuild's `transform` (types dropped, `define` and `target` applied, source map
 * chained). No type checking: that is what `dts: true` or the tsc builder does.
 */
export function typescriptPlugin(esbuild: Esbuild, input: AdapterInput, signal: AbortSignal): Plugin {
  return {
    name: 'build-system-typescript',
    resolveId(source, importer) {
      if (signal.aborted) cancelled(this);
      if (!importer || source.startsWith('\0') || !(source.startsWith('.') || isAbsolute(source))) return null;
      const base = resolve(dirname(importer), source);
      return importCandidates(base).find(isFile) ?? null;
    },
    async transform(code, id) {
      if (signal.aborted) cancelled(this);
      const ext = SOURCE.exec(id)?.[1];
      if (!ext || id.startsWith('\0') || /[\\/]node_modules[\\/]/.test(id)) return null;
      try {
        const out = await esbuild.transform(code, {
          loader: loaderFor(ext),
          sourcefile: id,
          sourcemap: 'external',
          target: input.target,
          define: input.define,
          logLevel: 'silent',
        });
        for (const w of out.warnings) this.warn(asRollupLog(w), position(w));
        return { code: out.code, map: out.map || null };
      } catch (e) {
        const first = (e as { errors?: Message[] }).errors?.[0];
        if (!first) throw e;
        return this.error(asRollupLog(first), position(first));
      }
    },
  };
}

/**
 * `bundle: false`: an import of a source file that is not one of the modules (excluded, or outside
 * modules.root) fails, as it would be missing from the output; an import of a file that is no
 * module (CSS, JSON, an asset) stays as written. Everything else resolves as usual.
 */
export function bundlelessPlugin(modules: { root: string; files: string[] }): Plugin {
  const files = new Set(modules.files);
  return {
    name: 'build-system-bundleless',
    resolveId(source, importer) {
      if (!importer || source.startsWith('\0') || !isRelativeOrAbsolute(source)) return null;
      // The extension is irrelevant here: rollup names the emitted files itself.
      const target = bundlelessImport(source, importer, files, '.js');
      if (target.kind === 'outside') return this.error(outsideMessage(source, importer, target.file, modules.root));
      if (target.kind === 'other') return { id: source, external: true };
      return null;
    },
  };
}

/** `minify: true`: rollup has no minifier, so each finished chunk goes through esbuild's. */
export function minifyPlugin(esbuild: Esbuild, input: AdapterInput, format: OutputFormat): Plugin {
  return {
    name: 'build-system-minify',
    async renderChunk(code, _chunk, options) {
      const out = await esbuild.transform(code, {
        minify: true,
        target: input.target,
        sourcemap: options.sourcemap ? 'external' : false,
        // Only an ES module can have its top-level names shortened safely by a transform.
        ...(format === 'esm' ? { format: 'esm' as const } : {}),
        ...(input.banner !== undefined ? { banner: input.banner } : {}),
        ...(input.footer !== undefined ? { footer: input.footer } : {}),
        logLevel: 'silent',
      });
      return { code: out.code, map: out.map || null };
    },
  };
}

function cancelled(ctx: PluginContext | TransformPluginContext): never {
  return ctx.error({ message: 'The build was cancelled.', code: 'CANCELLED' });
}

function loaderFor(ext: string): Loader {
  if (ext.endsWith('tsx')) return 'tsx';
  if (ext.endsWith('ts')) return 'ts';
  if (ext.endsWith('jsx')) return 'jsx';
  return 'js';
}

function asRollupLog(m: Message): { message: string; pluginCode?: string } {
  return { message: m.text, ...(m.id ? { pluginCode: m.id } : {}) };
}

/** esbuild: 1-based line, 0-based UTF-8 byte column; rollup wants a 0-based character column. */
function position(m: Message): { line: number; column: number } | undefined {
  return m.location ? { line: m.location.line, column: characterColumn(m.location.lineText, m.location.column) - 1 } : undefined;
}
