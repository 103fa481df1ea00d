import { dirname, join } from 'node:path';
import { declarationExtensionsFor, writeFormatDeclarations } from '../adapters/dts-formats';
import { outExtension } from '../adapters/esbuild/output-names';
import type { AdapterInput, AdapterOutcome, BuilderAdapter, EmittedFile } from '../adapters/types';
import type { ResolvedOutputVariant } from '../config/resolve';
import { BuildSystemError } from '../errors';
import { footerWith } from './cjs-interop';
import { writeTypeMarkers, type FormattedFile } from './type-markers';

export interface BuiltOutputs {
  outcome: AdapterOutcome;
  /** Which output variant wrote each file (absolute staging path); empty without `outputs`. */
  variantOf: Map<string, string>;
}

/**
 * The builder phase: one adapter call for a build without `outputs`, else one per output, in
 * order, into its folder of the same staging folder. The first failing output stops the build
 * with its diagnostics. Afterwards the package.json type markers are written for every folder
 * whose `.js` files Node would misread.
 */
export async function buildOutputs(
  adapter: BuilderAdapter,
  input: AdapterInput,
  outputs: ResolvedOutputVariant[] | undefined,
  signal: AbortSignal,
  show: (path: string) => string,
): Promise<BuiltOutputs> {
  const variantOf = new Map<string, string>();
  if (!outputs) {
    const outcome = await adapter.build(input, signal);
    if (!outcome.ok) return { outcome, variantOf };
    const formatted = (outcome.emitted ?? []).flatMap((e) => formattedFile(e, input.formats.length === 1 ? input.formats[0] : undefined));
    const markers = await writeTypeMarkers(input.outDir, formatted, input.packageType, show);
    return { outcome: { ...outcome, emitted: [...(outcome.emitted ?? []), ...markers] }, variantOf };
  }

  const diagnostics: AdapterOutcome['diagnostics'] = [];
  const emitted: EmittedFile[] = [];
  const formatted: FormattedFile[] = [];
  // Declarations once per folder (the first output there): the others get theirs by extension.
  const typesIn = new Map<string, EmittedFile[]>();
  for (const variant of outputs) {
    if (signal.aborted) return { outcome: { ok: false, diagnostics }, variantOf };
    const started = performance.now();
    const firstInFolder = !typesIn.has(variant.dir);
    input.log(`output ${variant.name}: ${variant.format}${variant.minify ? ', minified' : ''} → ${show(variant.outDir)}\n`);
    const outcome = await adapter.build(variantInput(input, variant, input.dts && firstInFolder), signal);
    diagnostics.push(...outcome.diagnostics);
    const own = [...(outcome.emitted ?? [])];
    if (outcome.ok && input.dts && !firstInFolder) {
      const declarations = typesIn.get(variant.dir)!.map((e) => e.file);
      own.push(...(await writeFormatDeclarations(declarations, declarationExtensionsFor(own.filter((e) => e.kind === 'entry').map((e) => e.file)))));
    }
    for (const e of own) {
      variantOf.set(e.file, variant.name);
      formatted.push(...formattedFile(e, variant.format));
    }
    emitted.push(...own);
    if (firstInFolder) typesIn.set(variant.dir, own.filter((e) => e.kind === 'types' || e.kind === 'sourcemap'));
    input.log(`output ${variant.name}: ${own.length} file${own.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms\n`);
    if (!outcome.ok) return { outcome: { ok: false, diagnostics, emitted }, variantOf };
  }
  for (const marker of await writeTypeMarkers(input.outDir, formatted, input.packageType, show)) {
    // The marker belongs to the output whose .js files it describes.
    const owner = formatted.find((f) => dirname(f.file) === dirname(marker.file));
    if (owner) variantOf.set(marker.file, variantOf.get(owner.file)!);
    emitted.push(marker);
  }
  return { outcome: { ok: true, diagnostics, emitted }, variantOf };
}

/** The adapter input of one output: the build's, with what the output sets. */
function variantInput(input: AdapterInput, variant: ResolvedOutputVariant, dts: boolean): AdapterInput {
  const footer = footerWith(variant.footer, variant.cjsInterop);
  return {
    ...input,
    variant: variant.name,
    entries: variant.entries,
    formats: [variant.format],
    platform: variant.platform,
    target: variant.target,
    sourcemap: variant.sourcemap,
    minify: variant.minify,
    define: variant.define,
    outDir: join(input.outDir, variant.dir),
    finalOutDir: join(input.finalOutDir, variant.dir),
    dts,
    // `bundle` is the same AdapterInput field as the top-level option's.
    ...(variant.bundle !== undefined ? { bundle: variant.bundle } : {}),
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
