import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { declarationExtensionsFor, writeFormatDeclarations } from './dts-formats';
import { placeModuleDeclarations } from './dts-modules';
import type { AdapterInput, Diagnostic, EmittedFile } from './types';
import { emittableSources, findMirroredRoot, findTypeScript, outputPathFor, runTsc, showConfig, solutionConfigProblem, typeScriptMissingReason } from './tsc/compiler';

export interface DeclarationsOutcome {
  ok: boolean;
  diagnostics: Diagnostic[];
  emitted: EmittedFile[];
}

/**
 * `dts: true` for the bundlers (esbuild, bun, rollup): `.d.ts` files next to the bundles, written by
 * the workspace's TypeScript (`tsc --emitDeclarationOnly`) as a child process into the staging
 * folder. tsc mirrors the source tree, so when an entry's declaration does not land at
 * `<outDir>/<entry name>.d.ts` (rootDir is the package root, or the entry is renamed), a one-line
 * `<entry name>.d.ts` re-exporting it is added: that is the file TypeScript looks for beside
 * `<entry name>.js`. Type errors fail the build, as they would with tsc. `bundles` are the files
 * the bundler wrote: a `.cjs` or `.mjs` entry among them gets declarations of its own format.
 */
export async function emitDeclarations(input: AdapterInput, signal: AbortSignal, builder: string, bundles: EmittedFile[] = []): Promise<DeclarationsOutcome> {
  const ts = findTypeScript(input);
  if (!ts) {
    return failed(builder, `dts: true needs TypeScript to write declarations. ${typeScriptMissingReason()}`);
  }
  const tsconfig = input.tsconfig ?? join(input.packageRoot, 'tsconfig.json');
  const project = existsSync(tsconfig)
    ? ['-p', tsconfig]
    : // No tsconfig: declarations for the entries alone, with today's usual library settings.
      ['--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', ...input.entries.map((e) => e.file)];
  input.log(`Writing declarations with ${ts.packageName} ${ts.version}\n`);
  input.phase?.(`dts (${basename(ts.bin).replace(/\.[cm]?js$/, '')})`);
  const run = await runTsc(
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
    { cwd: input.packageRoot, workspaceRoot: input.workspaceRoot, env: input.env, signal, log: input.log, color: input.color, builder },
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
    const shown = await showConfig(ts, tsconfig, { cwd: input.packageRoot, workspaceRoot: input.workspaceRoot, env: input.env, signal, log: input.log, color: input.color, builder });
    const solution = shown.config && solutionConfigProblem(shown.config, tsconfig, input.packageRoot);
    if (solution) return { ok: false, diagnostics: [...diagnostics, ...failed(builder, `dts: ${solution}`, tsconfig).diagnostics], emitted };
  }
  let rootDir = findMirroredRoot(sources, run.emitted, input.outDir, 'dts');
  if (input.bundle === false && input.modules && rootDir) {
    // Bundleless: each module's declaration beside its .js, so the entries' too.
    emitted.splice(0, emitted.length, ...(await placeModuleDeclarations(emitted, input.modules, rootDir, input.outDir)));
    rootDir = input.modules.root;
  }
  for (const entry of input.entries) {
    const declaration = rootDir ? outputPathFor(entry.file, rootDir, input.outDir, 'dts') : undefined;
    const beside = join(input.outDir, `${entry.name}.d.ts`);
    if (!declaration || !existsSync(declaration)) {
      diagnostics.push(...failed(builder, `tsc wrote no declaration for entry ${relative(input.packageRoot, entry.file)}; is it included by ${relative(input.packageRoot, tsconfig)}?`, entry.file).diagnostics);
      continue;
    }
    if (declaration === beside) continue;
    if (existsSync(beside)) {
      diagnostics.push(
        ...failed(builder, `Cannot add ${relative(input.outDir, beside)} for entry "${entry.name}": tsc already wrote that file for another source. Rename the entry.`, entry.file).diagnostics,
      );
      continue;
    }
    await writeFile(beside, await reexport(beside, declaration));
    emitted.push({ file: beside, kind: 'types' });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics, emitted };
  // `.d.cts` beside `index.cjs`, `.d.mts` beside `index.mjs` (see dts-formats.ts).
  const extensions = declarationExtensionsFor(bundles.filter((b) => b.kind === 'entry').map((b) => b.file));
  const declarations = emitted.filter((e) => /\.d\.ts(\.map)?$/.test(e.file)).map((e) => e.file);
  emitted.push(...(await writeFormatDeclarations(declarations, extensions)));
  return { ok: true, diagnostics, emitted };
}

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

function failed(builder: string, message: string, file?: string): DeclarationsOutcome {
  return { ok: false, diagnostics: [{ severity: 'error', message, ...(file ? { file } : {}), builder }], emitted: [] };
}
