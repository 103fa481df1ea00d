import { dirname, join } from 'node:path';
import { declarationExtensionsFor, writeFormatDeclarations } from '../adapters/dts-formats';
import { outExtension } from '../adapters/esbuild/output-names';
import type { AdapterOutcome, EmittedFile } from '../adapters/types';
import type { ResolvedOutput, ResolvedOutputVariant } from '../config/resolve';
import { BuildSystemError } from '../errors';
import { footerWith } from './cjs-interop';
import { writeTypeMarkers, type FormattedFile } from './type-markers';

/** Runs the adapter for one output into `dir` (relative to the staging folder, '' for itself). */
export type RunOutput = (output: ResolvedOutput, dir: string) => Promise<AdapterOutcome>;

export interface OutputsContext {
  stagingDir: string;
  log: (text: string) => void;
  /** A staging path as users read it (workspace-relative, under outDir). */
  show: (path: string) => string;
  signal: AbortSignal;
}

/**
 * The builder phase: one adapter call for a build without `outputs`, else one per output, in
 * order, into its folder of the same staging folder; each emitted file names its output. The first
 * failing output stops the build with its diagnostics. Afterwards the package.json type markers
 * are written for every folder whose `.js` files Node would misread.
 */
export async function buildOutputs(base: ResolvedOutput, outputs: ResolvedOutputVariant[] | undefined, run: RunOutput, ctx: OutputsContext): Promise<AdapterOutcome> {
  if (!outputs) {
    const outcome = await run(base, '');
    if (!outcome.ok) return outcome;
    const formatted = (outcome.emitted ?? []).flatMap((e) => formattedFile(e, base.formats.length === 1 ? base.formats[0] : undefined));
    const markers = await writeTypeMarkers(ctx.stagingDir, formatted, base.packageType, ctx.show);
    return { ...outcome, emitted: [...(outcome.emitted ?? []), ...markers] };
  }

  const diagnostics: AdapterOutcome['diagnostics'] = [];
  const emitted: EmittedFile[] = [];
  const formatted: FormattedFile[] = [];
  // Declarations once per folder (the first output there): the others get theirs by extension.
  const typesIn = new Map<string, EmittedFile[]>();
  for (const variant of outputs) {
    if (ctx.signal.aborted) return { ok: false, diagnostics };
    const started = performance.now();
    const firstInFolder = !typesIn.has(variant.dir);
    ctx.log(`output ${variant.name}: ${variant.format}${variant.minify ? ', minified' : ''} → ${ctx.show(join(ctx.stagingDir, variant.dir))}\n`);
    const outcome = await run(variantOutput(base, variant, base.dts && firstInFolder), variant.dir);
    diagnostics.push(...outcome.diagnostics);
    const own = [...(outcome.emitted ?? [])];
    if (outcome.ok && base.dts && !firstInFolder) {
      const declarations = typesIn.get(variant.dir)!.map((e) => e.file);
      own.push(...(await writeFormatDeclarations(declarations, declarationExtensionsFor(own.filter((e) => e.kind === 'entry').map((e) => e.file)))));
    }
    for (const e of own) formatted.push(...formattedFile(e, variant.format));
    emitted.push(...own.map((e) => ({ ...e, variant: variant.name })));
    if (firstInFolder) typesIn.set(variant.dir, own.filter((e) => e.kind === 'types' || e.kind === 'sourcemap'));
    ctx.log(`output ${variant.name}: ${own.length} file${own.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms\n`);
    if (!outcome.ok) return { ok: false, diagnostics, emitted };
  }
  for (const marker of await writeTypeMarkers(ctx.stagingDir, formatted, base.packageType, ctx.show)) {
    // The marker belongs to the output whose .js files it describes.
    const owner = emitted.find((e) => dirname(e.file) === dirname(marker.file) && e.variant);
    emitted.push({ ...marker, ...(owner ? { variant: owner.variant } : {}) });
  }
  return { ok: true, diagnostics, emitted };
}

/** The resolved output of one variant: the build's, with what the variant sets. */
function variantOutput(base: ResolvedOutput, variant: ResolvedOutputVariant, dts: boolean): ResolvedOutput {
  const footer = footerWith(variant.footer, variant.cjsInterop);
  return {
    ...base,
    variant: variant.name,
    entries: variant.entries,
    formats: [variant.format],
    platform: variant.platform,
    target: variant.target,
    sourcemap: variant.sourcemap,
    minify: variant.minify,
    define: variant.define,
    dts,
    // `bundle` and `modules` are the same AdapterInput fields as the top-level option's.
    bundle: variant.bundle,
    modules: variant.modules,
    ...(variant.extension !== undefined ? { extension: variant.extension } : {}),
    ...(variant.banner !== undefined ? { banner: variant.banner } : {}),
    ...(footer !== undefined ? { footer } : {}),
  };
}

function formattedFile(e: EmittedFile, format: FormattedFile['format'] | undefined): FormattedFile[] {
  const f = e.format ?? format;
  return f && (e.kind === 'entry' || e.kind === 'chunk') ? [{ file: e.file, format: f }] : [];
}

/**
 * Two outputs that would write the same file, or `.js` files of both formats into one folder, are
 * a config error found before anything is built. Bundleless outputs (and tsc, which writes every
 * module) may write any name, so two of them, or one and a bundle, may not share folder and extension.
 */
export function assertOutputsDoNotCollide(outputs: ResolvedOutputVariant[], packageType: 'module' | 'commonjs', builder: string, configFile: string): void {
  const invalid = (message: string) =>
    new BuildSystemError('BS_CONFIG_INVALID', message, { file: configFile, hint: 'Give one of the outputs its own `dir` or `extension`.' });
  const claims: Array<{ dir: string; ext: string; name: string; output: string }> = [];
  const jsFormats = new Map<string, { format: string; name: string }>();
  for (const o of outputs) {
    const ext = builder === 'tsc' ? '.js' : (o.extension ?? outExtension(o.format, packageType));
    // '*': any module name.
    const names = builder === 'tsc' || o.bundle === false ? ['*'] : o.entries.map((e) => e.name);
    for (const name of names) {
      const other = claims.find((c) => c.dir === o.dir && c.ext === ext && (c.name === name || c.name === '*' || name === '*'));
      if (other) throw invalid(`Outputs "${other.output}" and "${o.name}" would both write ${o.dir ? `${o.dir}/` : ''}${other.name === '*' ? name : other.name}${ext} in outDir.`);
      claims.push({ dir: o.dir, ext, name, output: o.name });
    }
    if (o.format !== 'iife' && ext.endsWith('.js')) {
      const seen = jsFormats.get(o.dir);
      if (seen && seen.format !== o.format) {
        throw invalid(`Outputs "${seen.name}" (${seen.format}) and "${o.name}" (${o.format}) would both write .js files into ${o.dir || 'outDir'}, and Node reads one folder's .js files as one format.`);
      }
      jsFormats.set(o.dir, { format: o.format, name: o.name });
    }
  }
}
