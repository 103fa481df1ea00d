import { existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Message } from 'esbuild';
import { bundleModule, evaluateModule } from '../../config/module-loader';
import { fromEsbuildMessage } from '../diagnostics';
import { loadEsbuild } from '../esbuild';
import type { AdapterInput, AdapterOutcome, Diagnostic } from '../types';

/** What a `builderOptions.module` file exports by default. */
export type CustomBuildFunction = (input: AdapterInput, signal: AbortSignal) => void | Partial<AdapterOutcome> | Promise<void | Partial<AdapterOutcome>>;

type Loaded = { ok: true; build: CustomBuildFunction } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Loads a package's build module the way build.config.ts is loaded: bundled by esbuild (relative
 * imports inlined, packages left to `require`) and evaluated as CommonJS, so .ts/.mts/.cts/.js/
 * .mjs/.cjs all work on Node 20 without a TypeScript loader. Evaluated afresh for every build.
 */
export async function loadBuildModule(file: string, input: AdapterInput): Promise<Loaded> {
  const rel = relative(input.packageRoot, file);
  if (!existsSync(file)) return failed(`builderOptions.module names ${rel}, which does not exist.`);
  let code: string;
  try {
    const bundle = await bundleModule(file, { esbuild: loadEsbuild(input.workspaceRoot) });
    code = bundle.outputFiles[0].text;
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors) throw e;
    return { ok: false, diagnostics: errors.map((m) => fromEsbuild(m, dirname(file))) };
  }
  let exported: { default?: unknown } | ((...args: unknown[]) => unknown);
  try {
    exported = evaluateModule(code, file) as typeof exported;
  } catch (e) {
    return failed(`Evaluating ${rel} threw: ${(e as Error)?.message ?? String(e)}`, file);
  }
  const build = typeof exported === 'function' ? exported : exported?.default;
  if (typeof build !== 'function') {
    return failed(`${rel} has no default export function. Expected \`export default async function build(input, signal) { ... }\`.`, file);
  }
  return { ok: true, build: build as CustomBuildFunction };
}

function fromEsbuild(m: Message, dir: string): Diagnostic {
  return fromEsbuildMessage(m, 'error', dir, 'custom');
}

function failed(message: string, file?: string): Loaded {
  return { ok: false, diagnostics: [{ severity: 'error', message, ...(file ? { file } : {}), builder: 'custom' }] };
}
