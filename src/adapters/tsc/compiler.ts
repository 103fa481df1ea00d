import { openSync, readSync, closeSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { runProcess } from '../child-process';
import { formatDiagnostic } from '../format-diagnostic';
import type { Diagnostic } from '../types';
import { findWorkspacePackage, readManifest } from '../workspace-packages';
import { locateOptionDiagnostic } from './option-location';
import { TYPESCRIPT_PACKAGES } from './packages';

/**
 * The workspace's own TypeScript compiler, always run as a child process: a build that does not
 * need TypeScript never loads it, and the version that type-checks in the editor is the one that
 * builds. TypeScript 5/6 (`typescript`) and the native TypeScript 7 preview
 * (`@typescript/native-preview`, binary `tsgo`) take the same command line.
 */
export { TYPESCRIPT_PACKAGES };

export interface TypeScriptCompiler {
  packageName: string;
  /** The package's folder. */
  dir: string;
  version: string;
  major: number;
  /** The package's `tsc` (or `tsgo`) bin file. */
  bin: string;
  /** The bin is a Node script (run with this Node), not a native executable. */
  viaNode: boolean;
}

interface Ctx {
  workspaceRoot: string;
  packageRoot: string;
}

/** The first of `packageName` (or typescript, then @typescript/native-preview) installed in the workspace. */
export function findTypeScript(ctx: Ctx, packageName?: string): TypeScriptCompiler | undefined {
  for (const name of packageName ? [packageName] : TYPESCRIPT_PACKAGES) {
    const dir = findWorkspacePackage(name, ctx);
    if (!dir) continue;
    const manifest = readManifest(dir);
    const binField = manifest.bin;
    const binRel = typeof binField === 'string' ? binField : (binField?.tsc ?? binField?.tsgo ?? Object.values(binField ?? {})[0]);
    if (!binRel || !manifest.version) continue;
    const bin = resolve(dir, binRel);
    return {
      packageName: name,
      dir,
      version: manifest.version,
      major: Number(manifest.version.split('.')[0]),
      bin,
      viaNode: /\.[cm]?js$/.test(bin) || startsWithNodeShebang(bin),
    };
  }
  return undefined;
}

export function typeScriptMissingReason(packageName?: string): string {
  const names = packageName ? [packageName] : TYPESCRIPT_PACKAGES;
  return `No ${names.join(' or ')} in the workspace's node_modules. Install it: \`npm i -D ${names[0]}\`.`;
}

function startsWithNodeShebang(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    return /^#!.*\bnode\b/.test(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface TscRunOptions {
  cwd: string;
  /** Diagnostics are logged with paths relative to it, like every other builder's. */
  workspaceRoot: string;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  log: (text: string, stream?: 'stdout' | 'stderr') => void;
  /** Diagnostics are logged with ANSI colors (AdapterInput.color). */
  color?: boolean;
  /** Name put on the diagnostics (the adapter that ran tsc). */
  builder: string;
}

export interface TscRun {
  exitCode: number | null;
  cancelled: boolean;
  /** Parsed from `--pretty false` output; `message`-category lines are logged only. */
  diagnostics: Diagnostic[];
  /** `--listEmittedFiles` (absolute). */
  emitted: string[];
  /** `--listFiles` (absolute): every file of the program, lib files included. */
  programFiles: string[];
  stdout: string;
}

// `src/a.ts(3,7): error TS2322: Type ...` and the file-less `error TS5083: Cannot read file ...`.
const LOCATED = /^(.+)\((\d+),(\d+)\): (error|warning|message) TS(\d+): (.*)$/;
const GLOBAL = /^(error|warning|message) TS(\d+): (.*)$/;

/** Runs tsc with `args` (add `--pretty false`, `--listEmittedFiles`, `--listFiles` as needed) and parses its output. */
export async function runTsc(ts: TypeScriptCompiler, args: string[], options: TscRunOptions): Promise<TscRun> {
  const parser = tscOutputParser(args, options);
  const outcome = await runProcess({
    command: ts.viaNode ? process.execPath : ts.bin,
    args: ts.viaNode ? [ts.bin, ...args] : args,
    cwd: options.cwd,
    env: options.env,
    workspaceRoot: options.workspaceRoot,
    signal: options.signal,
    onLine: parser.onLine,
  });
  if (outcome.spawnError) {
    parser.diagnostics.push({ severity: 'error', message: `Could not start ${ts.bin}: ${outcome.spawnError.message}`, builder: options.builder });
  }
  return parser.finish({ exitCode: outcome.exitCode, cancelled: outcome.cancelled, stdout: outcome.stdout });
}

/**
 * Reads tsc's `--pretty false` output line by line, from a child process or from the shared
 * in-process compiler (shared-compiler.ts), into one TscRun: both are parsed, explained and logged
 * the same way.
 */
export function tscOutputParser(args: string[], options: TscRunOptions) {
  const diagnostics: Diagnostic[] = [];
  const emitted: string[] = [];
  const programFiles: string[] = [];
  const listsFiles = args.includes('--listFiles');
  // A diagnostic's message chain continues on indented lines.
  let current: Diagnostic | undefined;
  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    if (line.startsWith('TSFILE: ')) {
      emitted.push(resolve(options.cwd, line.slice('TSFILE: '.length)));
      current = undefined;
      return;
    }
    const located = LOCATED.exec(line);
    const global = located ? undefined : GLOBAL.exec(line);
    if (located || global) {
      const [severity, code, message] = located ? [located[4], located[5], located[6]] : [global![1], global![2], global![3]];
      current = undefined;
      if (severity !== 'message') {
        current = {
          severity: severity as 'error' | 'warning',
          code: `TS${code}`,
          message,
          ...(located ? { file: resolve(options.cwd, located[1]), line: Number(located[2]), column: Number(located[3]) } : {}),
          builder: options.builder,
        };
        diagnostics.push(current);
      } else {
        options.log(`${line}\n`, stream);
      }
      return;
    }
    if (current && /^\s+\S/.test(line)) {
      current.message += `\n${line.trim()}`;
      return;
    }
    current = undefined;
    if (listsFiles && isAbsolute(line)) {
      programFiles.push(resolve(line));
      return;
    }
    if (line.trim()) options.log(`${line}\n`, stream);
  };
  const finish = (outcome: { exitCode: number | null; cancelled: boolean; stdout: string }): TscRun => {
    // An inherited option's error is moved to the tsconfig that sets it before anyone sees it.
    for (const [i, d] of diagnostics.entries()) diagnostics[i] = explainReferenceDiagnostic(locateOptionDiagnostic(d), options.workspaceRoot);
    for (const d of diagnostics) {
      options.log(`${formatDiagnostic(d, options.workspaceRoot, { color: options.color })}\n`, d.severity === 'error' ? 'stderr' : 'stdout');
      d.shown = true;
    }
    return { ...outcome, diagnostics, emitted, programFiles };
  };
  return { onLine, finish, diagnostics };
}

/**
 * TS6305 (`Output file '…/a/dist/index.d.ts' has not been built from source file '…/a/src/index.ts'`):
 * an import resolved into a project the tsconfig references (in a TS-solution workspace, through
 * `customConditions` into another package's sources), whose declarations tsc reads instead and
 * does not build itself.
 */
function explainReferenceDiagnostic(d: Diagnostic, workspaceRoot: string): Diagnostic {
  const output = d.code === 'TS6305' ? /^Output file '([^']+)'/.exec(d.message)?.[1] : undefined;
  if (!output) return d;
  const shown = relative(workspaceRoot, output).split(sep).join('/');
  return {
    ...d,
    message:
      `${d.message}\n${shown} is the declaration of a project this tsconfig references: build that project first, with declarations ` +
      `(\`nx run-many -t build\` does: the build target depends on its dependencies' builds), into the outDir its tsconfig names.`,
  };
}

/** Compiler options as tsc resolves them (extends applied, implied options added), from `--showConfig`. */
export interface ShownConfig {
  compilerOptions: Record<string, unknown>;
  files?: string[];
  references?: Array<{ path: string }>;
}

/**
 * The message for a solution tsconfig (`"files": []` and `"references"`, the layout
 * `create-nx-workspace --preset=ts` writes): `tsc -p` on it compiles nothing and succeeds, so the
 * build would only find that nothing was written. Undefined for any other tsconfig.
 */
export function solutionConfigProblem(shown: ShownConfig, tsconfig: string, packageRoot: string): string | undefined {
  if (!shown.references?.length || shown.files?.length) return undefined;
  const referenced = shown.references.map((r) => {
    const file = resolve(dirname(tsconfig), r.path);
    return relative(packageRoot, /\.json$/.test(file) ? file : join(file, 'tsconfig.json')).split(sep).join('/');
  });
  const pick = referenced.find((f) => /\.lib\.json$/.test(f)) ?? referenced.find((f) => !/(spec|test)/.test(f)) ?? referenced[0];
  return (
    `${relative(packageRoot, tsconfig).split(sep).join('/')} is a solution tsconfig ("files": [] and "references" to ${referenced.join(', ')}): it compiles nothing itself. ` +
    `Point the build at the tsconfig that holds the package's sources: set \`tsconfig: '${pick}'\` in build.config.ts.`
  );
}

export async function showConfig(
  ts: TypeScriptCompiler,
  tsconfig: string,
  options: TscRunOptions,
): Promise<{ config?: ShownConfig; diagnostics: Diagnostic[]; cancelled: boolean }> {
  // The JSON is not for the log; diagnostics still are.
  const run = await runTsc(ts, ['--showConfig', '--pretty', 'false', '-p', tsconfig], {
    ...options,
    log: (text, stream) => stream === 'stderr' && options.log(text, stream),
  });
  if (run.cancelled) return { diagnostics: [], cancelled: true };
  if (run.exitCode === 0) {
    try {
      return { config: JSON.parse(run.stdout) as ShownConfig, diagnostics: [], cancelled: false };
    } catch {
      /* fall through: not JSON */
    }
  }
  const diagnostics = run.diagnostics.length
    ? run.diagnostics
    : [{ severity: 'error' as const, message: `tsc --showConfig -p ${tsconfig} failed (exit code ${run.exitCode}).`, file: tsconfig, builder: options.builder }];
  return { diagnostics, cancelled: false };
}

/**
 * Sources tsc emits output for: program files outside node_modules that are not declarations or
 * JSON. With `packageRoot`, only those inside it when there are any: a workspace package imported
 * by name and resolved into its sources (a `development` condition, no project reference) is part
 * of the program under its real path, but tsc does not emit it (an external library import), and
 * counting it would put the mirrored root above the package.
 */
export function emittableSources(programFiles: string[], packageRoot?: string): string[] {
  const sources = programFiles.filter(
    (f) => !f.split(/[\\/]/).includes('node_modules') && /\.([cm]?tsx?|[cm]?jsx?)$/.test(f) && !/\.d\.([^.]+\.)?[cm]?ts$/.test(f),
  );
  if (!packageRoot) return sources;
  const own = sources.filter((f) => !relative(packageRoot, f).startsWith('..'));
  return own.length ? own : sources;
}

/** The file tsc writes for `source` when it mirrors `rootDir` into `outDir`. */
export function outputPathFor(source: string, rootDir: string, outDir: string, kind: 'js' | 'dts', jsxPreserve = false): string {
  const rel = relative(rootDir, source);
  const m = /\.([cm]?)([tj])s(x?)$/.exec(rel);
  if (!m) return join(outDir, rel);
  const base = rel.slice(0, -m[0].length);
  const [, flavour, , x] = m;
  if (kind === 'dts') return join(outDir, `${base}.d.${flavour}ts`);
  return join(outDir, `${base}.${flavour}js${x && jsxPreserve ? 'x' : ''}`);
}

/**
 * The folder tsc mirrored into outDir (its explicit or computed rootDir), read off what it compiled
 * and what it wrote rather than recomputed: the default differs between TypeScript versions and
 * depends on every file the program pulled in. It is the ancestor of the sources under which the
 * most of them have their output among the emitted files.
 */
export function findMirroredRoot(sources: string[], emitted: string[], outDir: string, kind: 'js' | 'dts', jsxPreserve = false): string | undefined {
  if (sources.length === 0) return undefined;
  const written = new Set(emitted.map((f) => resolve(f)));
  let best: { dir: string; hits: number } | undefined;
  for (let dir = commonDir(sources); ; dir = dirname(dir)) {
    const hits = sources.filter((s) => written.has(outputPathFor(s, dir, outDir, kind, jsxPreserve))).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { dir, hits };
    if (dirname(dir) === dir) break;
  }
  return best?.dir;
}

export function commonDir(files: string[]): string {
  const split = files.map((f) => dirname(resolve(f)).split(sep));
  const first = split[0];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}
