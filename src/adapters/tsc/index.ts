import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { OutputFormat } from '../../config/schema';
import { withoutDuplicates } from '../diagnostics';
import { tscFormatDir } from '../esbuild/output-names';
import type { AdapterInput, BuilderAdapter, Diagnostic, EmittedFile } from '../types';
import {
  commonDir,
  emittableSources,
  findMirroredRoot,
  findTypeScript,
  outputPathFor,
  runTsc,
  showConfig,
  solutionConfigProblem,
  typeScriptMissingReason,
  type ShownConfig,
  type TypeScriptCompiler,
} from './compiler';

/**
 * `builder: 'tsc'`: the workspace's TypeScript compiles the package's tsconfig (every file it
 * includes, not only the entries) as a child process. See docs/adapters.md for the option mapping.
 *
 * tsc writes one module format per run and cannot rename `.js` files, so the format that matches
 * package.json `type` goes to outDir itself and any other format to `outDir/<format>/`, with a
 * one-line package.json that tells Node which module system that folder uses.
 */
export const tscAdapter: BuilderAdapter = {
  name: 'tsc',

  async isAvailable(ctx) {
    const ts = findTypeScript(ctx);
    return ts ? { ok: true, version: ts.version } : { ok: false, reason: typeScriptMissingReason() };
  },

  async build(input, signal) {
    const compiler = typeof input.builderOptions.compiler === 'string' ? input.builderOptions.compiler : undefined;
    const ts = findTypeScript(input, compiler);
    if (!ts) return failure(typeScriptMissingReason(compiler));
    const tsconfig = input.tsconfig ?? join(input.packageRoot, 'tsconfig.json');
    if (!existsSync(tsconfig)) {
      return failure(`The tsc builder compiles a tsconfig, and ${relative(input.workspaceRoot, tsconfig)} does not exist. Add one or set \`tsconfig\` in build.config.ts.`);
    }
    const unsupported = input.formats.filter((f) => f === 'iife');
    if (unsupported.length) return failure('tsc cannot emit an iife bundle; use esbuild, bun or rollup for `formats: ["iife"]`.');
    const variantOptions = unsupportedVariantOptions(input);
    if (variantOptions) return failure(variantOptions);

    const run = { cwd: input.packageRoot, workspaceRoot: input.workspaceRoot, env: input.env, signal, log: input.log, color: input.color, builder: 'tsc' };
    const shown = await showConfig(ts, tsconfig, run);
    if (!shown.config) return { ok: false, diagnostics: shown.diagnostics };
    const options = shown.config.compilerOptions;
    if (options.outFile) return failure('tsc `outFile` (one concatenated file) is not supported; remove it from the tsconfig.', tsconfig);
    const solution = solutionConfigProblem(shown.config, tsconfig, input.packageRoot);
    if (solution) return failure(solution, tsconfig);

    const diagnostics: Diagnostic[] = [...ignoredOptionWarnings(input)];
    const emitted: EmittedFile[] = [];
    // Build info is kept out of the outputs and thrown away: every build starts from an empty staging
    // folder, and build info that survives it makes tsc skip files it believes are already written
    // (microsoft/TypeScript#30602). Every tsc build is therefore a full build.
    const stateDir = isIncremental(options) ? await mkdtemp(join(tmpdir(), 'build-system-tsc-')) : undefined;
    let ok = true;
    try {
      for (const format of input.formats) {
        // An output variant names its own folder; otherwise the package type's format goes to outDir.
        const placed = input.variant !== undefined ? input.outDir : tscFormatDir(format, input.packageType, input.outDir);
        input.log(`tsc (${ts.packageName} ${ts.version}): ${format} → ${relative(input.workspaceRoot, placed) || '.'}\n`);
        const args = [
          '-p', tsconfig,
          '--pretty', 'false',
          '--listEmittedFiles',
          '--listFiles',
          '--noEmit', 'false',
          '--emitDeclarationOnly', 'false',
          '--outDir', placed,
          '--declarationDir', 'null',
          ...(input.dts ? ['--declaration'] : []),
          ...sourceMapArgs(input.sourcemap),
          ...moduleArgs(format, naturalFormat(options, input.packageType), ts, options),
          ...(stateDir ? ['--tsBuildInfoFile', join(stateDir, `${format}.tsbuildinfo`)] : []),
        ];
        const result = await runTsc(ts, args, run);
        diagnostics.push(...result.diagnostics);
        if (result.cancelled) return { ok: false, diagnostics };
        if (result.exitCode !== 0 || result.diagnostics.some((d) => d.severity === 'error')) ok = false;
        if (result.exitCode !== 0 && !result.diagnostics.some((d) => d.severity === 'error')) {
          diagnostics.push({ severity: 'error', message: `tsc exited with code ${result.exitCode}; see the build log.`, builder: 'tsc' });
        }
        // The format of each .js file: the engine writes the package.json type marker of its folder.
        emitted.push(...classify(result.emitted, result.programFiles, placed, input, options, dirname(tsconfig)).map((e) => (/\.jsx?$/.test(e.file) ? { ...e, format } : e)));
      }
    } finally {
      if (stateDir) await rm(stateDir, { recursive: true, force: true });
    }
    return { ok, diagnostics: withoutDuplicates(diagnostics), emitted };
  },
};

function failure(message: string, file?: string) {
  return { ok: false, diagnostics: [{ severity: 'error' as const, message, ...(file ? { file } : {}), builder: 'tsc' }] };
}

/** The format tsc emits with the tsconfig's own `module`, or undefined when it must be told. */
function naturalFormat(options: ShownConfig['compilerOptions'], packageType: 'module' | 'commonjs'): OutputFormat | undefined {
  const module = typeof options.module === 'string' ? options.module.toLowerCase() : undefined;
  if (!module) return undefined;
  if (/^node(16|18|20|next)$/.test(module)) return packageType === 'module' ? 'esm' : 'cjs';
  if (module === 'commonjs') return 'cjs';
  if (/^(es\d+|es6|esnext|preserve)$/.test(module)) return 'esm';
  return undefined;
}

/**
 * The tsconfig's own module settings when they already give `format` (so type-checking is exactly
 * the editor's); otherwise the plainest settings that emit it, keeping the rest of the tsconfig
 * valid. Forcing CommonJS: TypeScript 7 accepts `bundler` resolution with it and has removed
 * `node10` (TS5108); TypeScript 5 refuses `bundler` there (TS5095), so it gets `node10`, which
 * ignores package.json `exports` (deprecated in TypeScript 6). Options only node16/nodenext/bundler
 * allow (`customConditions`, `resolvePackageJson*`; TS5098 otherwise) are then switched off, and the
 * interop that `module: nodenext` implies is kept, so default imports of CommonJS packages compile
 * the same in both formats.
 */
export function moduleArgs(format: OutputFormat, natural: OutputFormat | undefined, ts: TypeScriptCompiler, options: ShownConfig['compilerOptions'] = {}): string[] {
  if (format === natural) return [];
  if (format === 'esm') return ['--module', 'esnext', '--moduleResolution', 'bundler'];
  const node10 = ts.major < 7;
  const resolution = !node10 ? ['bundler'] : ts.major === 6 ? ['node10', '--ignoreDeprecations', '6.0'] : ['node10'];
  return [
    '--module', 'commonjs',
    '--verbatimModuleSyntax', 'false',
    '--moduleResolution', ...resolution,
    ...(node10 && options.customConditions !== undefined ? ['--customConditions', 'null'] : []),
    ...(node10 && options.resolvePackageJsonExports ? ['--resolvePackageJsonExports', 'false'] : []),
    ...(node10 && options.resolvePackageJsonImports ? ['--resolvePackageJsonImports', 'false'] : []),
    ...(options.esModuleInterop === true ? ['--esModuleInterop'] : []),
  ];
}

/** tsc writes each source's JavaScript as it is: it cannot rename `.js` files nor add text around them. */
function unsupportedVariantOptions(input: AdapterInput): string | undefined {
  const set = (['extension', 'banner', 'footer'] as const).filter((k) => input[k] !== undefined);
  if (!set.length) return undefined;
  return `The tsc builder cannot apply ${set.map((k) => (k === 'footer' ? '`footer` (or `cjsInterop`, which adds one)' : `\`${k}\``)).join(', ')}${input.variant ? ` (output "${input.variant}")` : ''}: tsc writes each module as it is, with a .js extension. Of an output it supports \`format\` and \`dir\`; use esbuild, bun or rollup for the rest.`;
}

function sourceMapArgs(sourcemap: AdapterInput['sourcemap']): string[] {
  if (sourcemap === 'inline') return ['--inlineSourceMap', '--sourceMap', 'false'];
  if (sourcemap === true || sourcemap === 'external') return ['--sourceMap', '--inlineSourceMap', 'false'];
  return [];
}

function isIncremental(options: ShownConfig['compilerOptions']): boolean {
  return options.incremental === true || options.composite === true;
}

/**
 * Kinds for what tsc wrote into `dir`, and the entries' JavaScript as kind `entry` whether or not it
 * was written: the engine fails with BS_ARTIFACT_MISSING when an expected output is absent.
 */
function classify(
  written: string[],
  programFiles: string[],
  dir: string,
  input: AdapterInput,
  options: ShownConfig['compilerOptions'],
  configDir: string,
): EmittedFile[] {
  const jsxPreserve = typeof options.jsx === 'string' && options.jsx.toLowerCase() === 'preserve';
  const inDir = written.filter((f) => !relative(dir, f).startsWith('..'));
  const sources = emittableSources(programFiles, input.packageRoot);
  // When nothing usable was written, expect the outputs where the tsconfig says they go.
  const rootDir =
    findMirroredRoot(sources, inDir, dir, 'js', jsxPreserve) ??
    (typeof options.rootDir === 'string' ? resolve(configDir, options.rootDir) : sources.length ? commonDir(sources) : undefined);
  const entries = new Set(rootDir ? input.entries.map((e) => outputPathFor(e.file, rootDir, dir, 'js', jsxPreserve)) : []);
  const out: EmittedFile[] = [...entries].map((file) => ({ file, kind: 'entry' }));
  for (const file of inDir) {
    if (entries.has(file)) continue;
    const kind = /\.d\.([^.]+\.)?[cm]?ts$/.test(file) ? 'types' : file.endsWith('.map') ? 'sourcemap' : /\.[cm]?jsx?$/.test(file) ? 'chunk' : 'asset';
    out.push({ file, kind });
  }
  return out;
}

function ignoredOptionWarnings(input: AdapterInput): Diagnostic[] {
  const ignored = [
    input.minify && '`minify`',
    Object.keys(input.define).length > 0 && '`define`',
  ].filter(Boolean);
  return ignored.length
    ? [{ severity: 'warning', message: `The tsc builder ignores ${ignored.join(' and ')}: tsc neither minifies nor replaces constants.`, builder: 'tsc' }]
    : [];
}
