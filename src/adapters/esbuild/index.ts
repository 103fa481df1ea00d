import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { BuildOptions, Message, Metafile } from 'esbuild';
import type { AdapterInput, BuilderAdapter, Diagnostic, EmittedFile } from '../types';
import { fromEsbuildMessage, withoutDuplicates } from '../diagnostics';
import { emitDeclarations } from '../dts';
import { formatDiagnostic } from '../format-diagnostic';
import { bundlelessPlugin } from './bundleless-plugin';
import { outExtension } from './output-names';

type EsbuildModule = typeof import('esbuild');

/** The workspace's own esbuild when it has one, else the copy this plugin depends on. */
export function loadEsbuild(workspaceRoot: string): EsbuildModule {
  const req = createRequire(join(workspaceRoot, 'package.json'));
  try {
    return req('esbuild') as EsbuildModule;
  } catch {
    return require('esbuild') as EsbuildModule;
  }
}

export const esbuildAdapter: BuilderAdapter = {
  name: 'esbuild',

  async isAvailable({ workspaceRoot }) {
    try {
      return { ok: true, version: loadEsbuild(workspaceRoot).version };
    } catch (e) {
      return { ok: false, reason: `esbuild could not be loaded (${(e as Error).message}). Run \`npm i -D esbuild\`.` };
    }
  },

  async build(input, signal) {
    const esbuild = loadEsbuild(input.workspaceRoot);
    const diagnostics: Diagnostic[] = [];
    const emitted: EmittedFile[] = [];
    let ok = true;
    // One esbuild call per format: formats differ in output extension and module semantics.
    for (const format of input.formats) {
      if (signal.aborted) return { ok: false, diagnostics };
      const options = buildOptions(input, format);
      try {
        const result = await esbuild.build(options);
        diagnostics.push(...result.warnings.map((m) => toDiagnostic(m, 'warning', input.workspaceRoot)));
        emitted.push(...emittedFromMetafile(result.metafile, input));
      } catch (e) {
        const failure = e as { errors?: Message[]; warnings?: Message[]; message?: string };
        if (!failure.errors) throw e;
        ok = false;
        diagnostics.push(...failure.errors.map((m) => toDiagnostic(m, 'error', input.workspaceRoot)));
        diagnostics.push(...(failure.warnings ?? []).map((m) => toDiagnostic(m, 'warning', input.workspaceRoot)));
      }
    }
    const unique = withoutDuplicates(diagnostics);
    for (const d of unique) {
      input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color })}\n`, d.severity === 'error' ? 'stderr' : 'stdout');
      d.shown = true;
    }
    if (ok && input.dts && !signal.aborted) {
      // tsc logs its own diagnostics as it runs.
      const types = await emitDeclarations(input, signal, 'esbuild', emitted);
      return { ok: types.ok, diagnostics: [...unique, ...types.diagnostics], emitted: [...emitted, ...types.emitted] };
    }
    return { ok, diagnostics: unique, emitted };
  },
};

function buildOptions(input: AdapterInput, format: 'esm' | 'cjs' | 'iife'): BuildOptions & { metafile: true } {
  const sourcemap = input.sourcemap === true ? 'external' : input.sourcemap === false ? false : input.sourcemap;
  const extension = input.extension ?? outExtension(format, input.packageType);
  const { plugins: extraPlugins = [], ...extra } = input.builderOptions as BuildOptions;
  const bundleless = input.bundle === false && input.modules ? input.modules : undefined;
  return {
    // Paths in messages and bundle comments come out workspace-relative, the same on every machine.
    absWorkingDir: input.workspaceRoot,
    // Bundleless: every module is an entry, named by its path under modules.root.
    entryPoints: bundleless ? bundleless.files : entryPointsOf(input.entries),
    ...(bundleless ? { outbase: bundleless.root } : {}),
    outdir: input.outDir,
    bundle: true,
    format,
    platform: input.platform,
    target: input.target,
    sourcemap,
    minify: input.minify,
    external: input.external,
    define: input.define,
    tsconfig: input.tsconfig,
    outExtension: { '.js': extension },
    ...(input.banner !== undefined ? { banner: { js: input.banner } } : {}),
    ...(input.footer !== undefined ? { footer: { js: input.footer } } : {}),
    logLevel: 'silent',
    ...extra,
    plugins: bundleless ? [bundlelessPlugin(bundleless, extension), ...extraPlugins] : extraPlugins,
    metafile: true,
    write: true,
  };
}

/**
 * Plain paths when every entry is named after its file and they share a folder: the output is then
 * byte for byte what `esbuild src/index.ts --bundle` writes (a named entry changes the names esbuild
 * gives the module's variables, `src_exports` for `index_exports`). Otherwise the name → path map.
 */
function entryPointsOf(entries: AdapterInput['entries']): string[] | Record<string, string> {
  const named = entries.every((e) => basename(e.file, extname(e.file)) === e.name) && new Set(entries.map((e) => dirname(e.file))).size === 1;
  return named ? entries.map((e) => e.file) : Object.fromEntries(entries.map((e) => [e.name, e.file]));
}

/** Bundleless modules that are no configured entry are listed as chunks: only entries are entry points. */
function emittedFromMetafile(metafile: Metafile, input: AdapterInput): EmittedFile[] {
  const entries = new Set(input.entries.map((e) => e.file));
  const isEntry = (entryPoint: string | undefined) => !!entryPoint && (input.bundle !== false || entries.has(resolve(input.workspaceRoot, entryPoint)));
  return Object.entries(metafile.outputs).map(([path, out]) => {
    const file = isAbsolute(path) ? path : resolve(input.workspaceRoot, path);
    const ext = extname(path);
    const kind =
      ext === '.map' ? 'sourcemap' : ext === '.css' ? 'style' : isEntry(out.entryPoint) ? 'entry' : /\.[cm]?js$/.test(path) ? 'chunk' : 'asset';
    return { file, kind } as EmittedFile;
  });
}

function toDiagnostic(m: Message, severity: 'error' | 'warning', workspaceRoot: string): Diagnostic {
  return fromEsbuildMessage(m, severity, workspaceRoot, 'esbuild');
}
