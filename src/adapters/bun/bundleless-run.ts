import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { OutputFormat } from '../../config/schema';
import { runProcess } from '../child-process';
import type { AdapterInput, Diagnostic, EmittedFile } from '../types';
import type { BundlelessAnswer, BundlelessRequest } from './bundleless-build';

/** Compiled beside this module in dist; the TypeScript source where the sources run directly (bun runs either). */
const SCRIPT = [join(__dirname, 'bundleless-build.js'), join(__dirname, 'bundleless-build.ts')].find((f) => existsSync(f));

/** Bun.build options the bundleless script sets itself; `builderOptions` may not. */
export const BUNDLELESS_MANAGED = ['entrypoints', 'root', 'naming', 'plugins', 'throw'];

export interface BundlelessRun {
  ok: boolean;
  cancelled: boolean;
  diagnostics: Diagnostic[];
  emitted: EmittedFile[];
}

/**
 * `bundle: false` for one format: bun runs bundleless-build.ts, which calls `Bun.build` with a
 * plugin that keeps every module apart and rewrites its relative imports. The request and the
 * answer go through files in `scratch`.
 */
export async function buildBundleless(
  input: AdapterInput,
  format: OutputFormat,
  extension: string,
  bun: string,
  scratch: string,
  signal: AbortSignal,
): Promise<BundlelessRun> {
  const modules = input.modules;
  if (!SCRIPT || !modules) return { ok: false, cancelled: false, emitted: [], diagnostics: [error('The bun bundleless build script is missing from this installation of the plugin.')] };
  const requestFile = join(scratch, `bundleless-${format}${extension}.json`);
  const answerFile = join(scratch, `bundleless-${format}${extension}.answer.json`);
  const request: BundlelessRequest = { modules, extension, options: buildOptions(input, format) };
  await writeFile(requestFile, JSON.stringify(request));
  input.log(`$ bun ${SCRIPT} (Bun.build, ${modules.files.length} modules, ${format})\n`);
  const run = await runProcess({
    command: bun,
    args: [SCRIPT, requestFile, answerFile],
    cwd: input.packageRoot,
    env: input.env,
    workspaceRoot: input.workspaceRoot,
    signal,
    onLine: (line, stream) => input.log(`${line}\n`, stream),
  });
  if (run.cancelled) return { ok: false, cancelled: true, diagnostics: [], emitted: [] };
  if (run.exitCode !== 0 || !existsSync(answerFile)) {
    const detail = run.spawnError?.message ?? (run.stderr.trim().split(/\r?\n/).pop() || `exit code ${run.exitCode ?? run.exitSignal}`);
    return { ok: false, cancelled: false, emitted: [], diagnostics: [error(`bun bundleless build failed: ${detail}`)] };
  }
  const answer = JSON.parse(await readFile(answerFile, 'utf8')) as BundlelessAnswer;
  const diagnostics = answer.logs
    .filter((l) => l.level === 'error' || l.level === 'warning')
    .map((l): Diagnostic => ({ severity: l.level === 'error' ? 'error' : 'warning', message: l.message, file: l.file, line: l.line, column: l.column, builder: 'bun' }));
  if (!answer.success && !diagnostics.some((d) => d.severity === 'error')) diagnostics.push(error('bun bundleless build failed without a message.'));
  return { ok: answer.success, cancelled: false, diagnostics, emitted: answer.success ? emittedOf(answer, input, extension) : [] };
}

function buildOptions(input: AdapterInput, format: OutputFormat): Record<string, unknown> {
  const { target, ...extra } = input.builderOptions;
  return {
    outdir: input.outDir,
    format,
    // As for the CLI: bun has no language-level target; builderOptions.target may say "bun".
    target: typeof target === 'string' ? target : input.platform === 'node' ? 'node' : 'browser',
    sourcemap: input.sourcemap === 'inline' ? 'inline' : input.sourcemap ? 'external' : 'none',
    minify: input.minify,
    define: input.define,
    ...(input.tsconfig ? { tsconfig: input.tsconfig } : {}),
    ...(input.banner !== undefined ? { banner: input.banner } : {}),
    ...(input.footer !== undefined ? { footer: input.footer } : {}),
    // Passed to Bun.build as they are (a bundleless build has no CLI flags).
    ...extra,
  };
}

/** Modules that are no configured entry are listed as chunks, as the esbuild adapter lists them. */
function emittedOf(answer: BundlelessAnswer, input: AdapterInput, extension: string): EmittedFile[] {
  const entryFiles = new Set(input.entries.map((e) => join(input.outDir, `${e.name}${extension}`)));
  return answer.outputs.map(({ path }) => {
    const ext = extname(path);
    const isEntry = entryFiles.has(path);
    const kind = ext === '.map' ? 'sourcemap' : ext === '.css' ? 'style' : isEntry ? 'entry' : /\.[cm]?js$/.test(path) ? 'chunk' : 'asset';
    return { file: path, kind } as EmittedFile;
  });
}

function error(message: string): Diagnostic {
  return { severity: 'error', message, builder: 'bun' };
}
