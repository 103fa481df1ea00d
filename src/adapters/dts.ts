import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { BuildSystemError } from '../errors';
import { chooseDeclarationGenerator, type ChosenGenerator } from './dts-generator';
import { declarationExtensionsFor, writeFormatDeclarations } from './dts-formats';
import { placeModuleDeclarations } from './dts-modules';
import { emitIsolatedDeclarations } from './dts-oxc';
import type { AdapterInput, Diagnostic, EmittedFile } from './types';
import { runSharedTsc } from './tsc/shared-compiler';
import { emittableSources, findMirroredRoot, findTypeScript, outputPathFor, showConfig, solutionConfigProblem, typeScriptMissingReason } from './tsc/compiler';

export interface DeclarationsOutcome {
  ok: boolean;
  diagnostics: Diagnostic[];
  emitted: EmittedFile[];
  /** The generator that wrote them (also in the build log). */
  generator?: ChosenGenerator;
}

/** What a generator wrote, and the folder it mirrored into outDir (undefined when it wrote nothing usable). */
interface Written extends DeclarationsOutcome {
  rootDir?: string;
}

/**
 * `dts` for the bundlers (esbuild, bun, rollup): `.d.ts` files next to the bundles, written into
 * the staging folder by the generator dts-generator.ts picks: oxc's isolated declarations (no
 * TypeScript), the workspace's tsc (type errors fail the build, as they would with tsc; shared by
 * the builds of a batch, see tsc/shared-compiler.ts) or tsgo (a child process). Each mirrors the
 * source tree, so when an entry's declaration does not land at `<outDir>/<entry name>.d.ts`
 * (rootDir is the package root, or the entry is renamed), a one-line `<entry name>.d.ts`
 * re-exporting it is added: that is the file TypeScript looks for beside `<entry name>.js`.
 * `bundles` are the files the bundler wrote: a `.cjs` or `.mjs` entry among them gets
 * declarations of its own format.
 */
export async function emitDeclarations(input: AdapterInput, signal: AbortSignal, builder: string, bundles: EmittedFile[] = []): Promise<DeclarationsOutcome> {
  const tsconfig = input.tsconfig ?? join(input.packageRoot, 'tsconfig.json');
  const choice = chooseDeclarationGenerator(input.dtsGenerator, tsconfig, input);
  input.log(`Declarations: ${choice.generator} (${choice.reason})\n`);
  const written =
    choice.generator === 'oxc'
      ? await emitIsolatedDeclarations(input, tsconfig, builder)
      : await compilerDeclarations(input, signal, builder, tsconfig, choice.generator);
  const { diagnostics, emitted } = written;
  let rootDir = written.rootDir;
  if (!written.ok || !rootDir) return { ok: false, diagnostics, emitted, generator: choice.generator };
  if (input.bundle === false && input.modules) {
    // Bundleless: each module's declaration beside its .js, so the entries' too.
    emitted.splice(0, emitted.length, ...(await placeModuleDeclarations(emitted, input.modules, rootDir, input.outDir)));
    rootDir = input.modules.root;
  }
  for (const entry of input.entries) {
    const declaration = outputPathFor(entry.file, rootDir, input.outDir, 'dts');
    const beside = join(input.outDir, `${entry.name}.d.ts`);
    if (!existsSync(declaration)) {
      const why = choice.generator === 'oxc' ? 'is it a TypeScript module?' : `is it included by ${relative(input.packageRoot, tsconfig)}?`;
      diagnostics.push(...failed(builder, `${choice.generator} wrote no declaration for entry ${relative(input.packageRoot, entry.file)}; ${why}`, entry.file).diagnostics);
      continue;
    }
    if (declaration === beside) continue;
    if (existsSync(beside)) {
      diagnostics.push(
        ...failed(builder, `Cannot add ${relative(input.outDir, beside)} for entry "${entry.name}": ${choice.generator} already wrote that file for another source. Rename the entry.`, entry.file).diagnostics,
      );
      continue;
    }
    await writeFile(beside, await reexport(beside, declaration));
    emitted.push({ file: beside, kind: 'types' });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics, emitted, generator: choice.generator };
  // `.d.cts` beside `index.cjs`, `.d.mts` beside `index.mjs` (see dts-formats.ts).
  const extensions = declarationExtensionsFor(bundles.filter((b) => b.kind === 'entry').map((b) => b.file));
  const declarations = emitted.filter((e) => /\.d\.ts(\.map)?$/.test(e.file)).map((e) => e.file);
  emitted.push(...(await writeFormatDeclarations(declarations, extensions)));
  return { ok: true, diagnostics, emitted, generator: choice.generator };
}

/** `tsc --emitDeclarationOnly` (or tsgo's) into the staging folder. */
async function compilerDeclarations(input: AdapterInput, signal: AbortSignal, builder: string, tsconfig: string, generator: 'tsc' | 'tsgo'): Promise<Written> {
  const ts = findTypeScript(input, generator === 'tsgo' ? TSGO_PACKAGE : undefined);
  if (!ts && generator === 'tsgo') {
    throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `dts.generator 'tsgo' needs ${TSGO_PACKAGE} (the tsgo binary), and it is not installed in the workspace.`, {
      hint: `Install it (\`npm i -D ${TSGO_PACKAGE}\`), or set dts: { generator: 'tsc' }.`,
    });
  }
  if (!ts) return failed(builder, `dts: true needs TypeScript to write declarations. ${typeScriptMissingReason()}`);
  const project = existsSync(tsconfig)
    ? ['-p', tsconfig]
    : // No tsconfig: declarations for the entries alone, with today's usual library settings.
      ['--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', ...input.entries.map((e) => e.file)];
  input.log(`Writing declarations with ${ts.packageName} ${ts.version}\n`);
  input.phase?.(`dts (${basename(ts.bin).replace(/\.[cm]?js$/, '')})`);
  const runOptions = { cwd: input.packageRoot, workspaceRoot: input.workspaceRoot, env: input.env, signal, log: input.log, color: input.color, builder };
  const run = await runSharedTsc(
    ts,
    [
      ...project,
      '--pretty', 'false',
      '--listEmittedFiles',
      '--listFiles',
      '--noEmit', 'false',
      '--declaration',
      '--emitDeclarationOnly',
      '--outDir', input.outDir,
      '--declarationDir', 'null',
      '--outFile', 'null',
      // A one-shot emit into a fresh folder: no build info to go stale (microsoft/TypeScript#30602).
      '--composite', 'false',
      '--incremental', 'false',
      '--tsBuildInfoFile', 'null',
    ],
    runOptions,
  );
  const diagnostics = run.diagnostics;
  const emitted: EmittedFile[] = run.emitted
    .filter((f) => !relative(input.outDir, f).startsWith('..'))
    .map((file) => ({ file, kind: file.endsWith('.map') ? 'sourcemap' : 'types' }));
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  if (run.cancelled || hasErrors || run.exitCode !== 0) {
    if (!hasErrors && !run.cancelled) diagnostics.push(...failed(builder, `tsc exited with code ${run.exitCode} while writing declarations.`).diagnostics);
    return { ok: false, diagnostics, emitted };
  }
  const sources = emittableSources(run.programFiles, input.packageRoot);
  if (sources.length === 0 && existsSync(tsconfig)) {
    // Nothing compiled: say why when the tsconfig is a solution file (only then is it worth a tsc run).
    const shown = await showConfig(ts, tsconfig, runOptions);
    const solution = shown.config && solutionConfigProblem(shown.config, tsconfig, input.packageRoot);
    if (solution) return { ok: false, diagnostics: [...diagnostics, ...failed(builder, `dts: ${solution}`, tsconfig).diagnostics], emitted };
  }
  const rootDir = findMirroredRoot(sources, run.emitted, input.outDir, 'dts');
  if (!rootDir) {
    const names = input.entries.map((e) => relative(input.packageRoot, e.file)).join(', ');
    return { ok: false, diagnostics: [...diagnostics, ...failed(builder, `tsc wrote no declaration for entry ${names}; is it included by ${relative(input.packageRoot, tsconfig)}?`, input.entries[0]?.file).diagnostics], emitted };
  }
  return { ok: true, diagnostics, emitted, rootDir };
}

const TSGO_PACKAGE = '@typescript/native-preview';

/** `export * from './src/index.js';` (plus the default export when the declaration has one). */
async function reexport(from: string, declaration: string): Promise<string> {
  let specifier = relative(dirname(from), declaration)
    .split('\\')
    .join('/')
    .replace(/\.d\.([cm]?)ts$/, '.$1js');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const text = await readFile(declaration, 'utf8');
  const hasDefault = /^export default\b|^export \{[^}]*\bas default\b/m.test(text);
  return `export * from '${specifier}';\n${hasDefault ? `export { default } from '${specifier}';\n` : ''}`;
}

function failed(builder: string, message: string, file?: string): Written {
  return { ok: false, diagnostics: [{ severity: 'error', message, ...(file ? { file } : {}), builder }], emitted: [] };
}
