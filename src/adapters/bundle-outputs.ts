import { isAbsolute, join, relative, resolve } from 'node:path';
import type { AdapterInput, Diagnostic, EmittedFile } from './types';

/** The part of a rollup or rolldown output option that says where it writes. */
export interface OutputTarget {
  dir?: string;
  file?: string;
}

/**
 * A rollup or rolldown config writes where it says (`output.dir` / `output.file`); the engine
 * needs the files in the staging folder. Each output under outDir is moved to the same place under
 * staging; one outside outDir cannot be staged and is reported. `builder` names the tool in messages.
 */
export function redirectOutputs(outputs: OutputTarget[], input: AdapterInput, builder: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const output of outputs) {
    const key = output.dir ? 'dir' : output.file ? 'file' : undefined;
    if (!key) {
      problems.push({ severity: 'error', message: `A ${builder} config output has neither \`dir\` nor \`file\`, so it writes nothing.`, builder });
      continue;
    }
    const abs = resolve(input.packageRoot, output[key]!);
    const rel = relative(input.finalOutDir, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      problems.push({
        severity: 'error',
        message: `The ${builder} config writes to ${relative(input.packageRoot, abs) || '.'}, outside outDir (${relative(input.packageRoot, input.finalOutDir)}). Point output.${key} into outDir, or set \`outDir\` in build.config.ts to match.`,
        builder,
      });
      continue;
    }
    output[key] = join(input.outDir, rel);
  }
  return problems;
}

/** One file of what `bundle.write()` returned (rollup's and rolldown's have this shape). */
interface WrittenItem {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  facadeModuleId?: string | null;
}

/**
 * What `bundle.write()` returned, as emitted files with kinds. Bundleless (preserveModules), every
 * module is an entry to the bundler: only the configured `entries` (source files) are then.
 */
export function emittedFromOutput(written: { output: ReadonlyArray<WrittenItem> }, options: OutputTarget, entries?: ReadonlySet<string>): EmittedFile[] {
  const dir = options.dir ?? (options.file ? resolve(options.file, '..') : '');
  const isEntry = (chunk: WrittenItem) => !!chunk.isEntry && (!entries || (!!chunk.facadeModuleId && entries.has(chunk.facadeModuleId)));
  return written.output.map((item) => {
    const file = resolve(dir, item.fileName);
    const kind = item.type === 'chunk' ? (isEntry(item) ? 'entry' : 'chunk') : item.fileName.endsWith('.map') ? 'sourcemap' : item.fileName.endsWith('.css') ? 'style' : 'asset';
    return { file, kind } as EmittedFile;
  });
}

/** What rollup's and rolldown's `rollup()` / `rolldown()` return, as far as writing goes. */
interface OpenBundle<O> {
  write(output: O): Promise<{ output: ReadonlyArray<WrittenItem> }>;
  close(): Promise<void>;
}

/**
 * Runs each build (one bundle, written once per output) in turn and closes every bundle. A thrown
 * build goes to `onError` and the next build still runs, so one failure shows every config's
 * errors. The signal is checked before each bundle and each output: neither tool can be stopped
 * half-way through one. `entries`: see emittedFromOutput.
 */
export async function writeBuilds<I, O extends OutputTarget>(
  builds: Array<{ inputOptions: I; outputs: O[] }>,
  open: (inputOptions: I) => Promise<OpenBundle<O>>,
  signal: AbortSignal,
  onError: (error: unknown) => void,
  entries?: ReadonlySet<string>,
): Promise<{ ok: boolean; emitted: EmittedFile[] }> {
  const emitted: EmittedFile[] = [];
  let ok = true;
  for (const { inputOptions, outputs } of builds) {
    if (signal.aborted) return { ok: false, emitted };
    let bundle: OpenBundle<O> | undefined;
    try {
      bundle = await open(inputOptions);
      for (const output of outputs) {
        if (signal.aborted) return { ok: false, emitted };
        emitted.push(...emittedFromOutput(await bundle.write(output), output, entries));
      }
    } catch (e) {
      ok = false;
      onError(e);
    } finally {
      await bundle?.close();
    }
  }
  return { ok, emitted };
}
