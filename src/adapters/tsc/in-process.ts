import { statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type * as TS from 'typescript';

/** What `tsc <args>` would have printed (with `--pretty false`) and its exit code. */
export interface InProcessTscReply {
  stdout: string;
  exitCode: number;
}

export interface InProcessTscRequest {
  /** The workspace's `typescript` package folder (TypeScript 5/6: a JavaScript compiler API). */
  typescriptDir: string;
  args: string[];
  /** tsc's working directory: relative paths in `args` and in the output are relative to it. */
  cwd: string;
}

/**
 * The three steps of tsc's command line this module reuses: exported by typescript.js (5.x, 6.x)
 * but not declared in its types. `supportsInProcessTsc` checks for them before any use.
 */
interface TscInternals {
  emitFilesAndReportErrorsAndGetExitStatus(program: TS.Program, report: TS.DiagnosticReporter, write: (s: string) => void): number;
  createDiagnosticReporter(system: TS.System, pretty: boolean): TS.DiagnosticReporter;
  convertToOptionsWithAbsolutePaths(options: TS.CompilerOptions, toAbsolute: (path: string) => string): TS.CompilerOptions;
}

interface Loaded {
  ts: typeof TS & TscInternals;
  /** `lib.*.d.ts` and `node_modules` declarations, parsed (and bound) once per process. */
  cache: Map<string, { mtimeMs: number; file: TS.SourceFile }>;
  registry: TS.DocumentRegistry;
}

const loaded = new Map<string, Loaded>();

/**
 * `tsc -p <tsconfig> <options>` for one package, run through the compiler API of a TypeScript
 * loaded once per process: the same steps as tsc's own `performCompilation` (parse the command
 * line and the tsconfig, create the program, `emitFilesAndReportErrorsAndGetExitStatus`), so the
 * output is tsc's, line for line. The difference is what a batch of packages shares: one module
 * load, and the declaration files every package reads (TypeScript's lib files, `@types`), parsed
 * once instead of once per package. Files of the workspace are always read afresh: a package built
 * earlier in the batch may have just written the declarations the next one imports.
 */
export function runTscInProcess(request: InProcessTscRequest): InProcessTscReply {
  const { ts, cache, registry } = load(request.typescriptDir);
  let stdout = '';
  const system: TS.System = {
    ...ts.sys,
    write: (s) => void (stdout += s),
    writeOutputIsTTY: () => false,
    getCurrentDirectory: () => request.cwd,
  };
  const report = ts.createDiagnosticReporter(system, false);
  const command = ts.parseCommandLine(request.args);
  if (command.errors.length) {
    command.errors.forEach(report);
    return { stdout, exitCode: 1 };
  }
  const config = parseConfig(ts, system, command, request.cwd, report);
  if (!config) return { stdout, exitCode: 1 };
  const host = ts.createCompilerHost(config.options);
  host.getCurrentDirectory = () => request.cwd;
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const settingsKey = registry.getKeyForCompilationSettings(config.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!isSharedDeclaration(fileName, request.typescriptDir)) return readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    const format = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.impliedNodeFormat : undefined;
    const key = `${settingsKey}|${format}|${fileName}`;
    const mtimeMs = mtimeOf(fileName);
    const hit = cache.get(key);
    if (hit && hit.mtimeMs === mtimeMs) return hit.file;
    const file = readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    if (file && mtimeMs !== undefined) cache.set(key, { mtimeMs, file });
    return file;
  };
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  const exitCode = ts.emitFilesAndReportErrorsAndGetExitStatus(program, report, (s) => system.write(s + system.newLine));
  return { stdout, exitCode };
}

/** This TypeScript exposes what runTscInProcess calls (loads it: call where it will be used). */
export function supportsInProcessTsc(typescriptDir: string): boolean {
  const { ts } = load(typescriptDir);
  return [ts.emitFilesAndReportErrorsAndGetExitStatus, ts.convertToOptionsWithAbsolutePaths, ts.createDiagnosticReporter].every((f) => typeof f === 'function');
}

function load(typescriptDir: string): Loaded {
  let entry = loaded.get(typescriptDir);
  if (!entry) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(typescriptDir) as typeof TS & TscInternals;
    entry = { ts, cache: new Map(), registry: ts.createDocumentRegistry() };
    loaded.set(typescriptDir, entry);
  }
  return entry;
}

/** The tsconfig named by `-p`, with the command line's options over it (as tsc merges them), or the command line alone. */
function parseConfig(
  ts: typeof TS & TscInternals,
  system: TS.System,
  command: TS.ParsedCommandLine,
  cwd: string,
  report: TS.DiagnosticReporter,
): TS.ParsedCommandLine | undefined {
  const options = ts.convertToOptionsWithAbsolutePaths(command.options, (f) => resolve(cwd, f));
  const project = command.options.project;
  if (!project) return { ...command, options };
  const path = resolve(cwd, project);
  const file = ts.sys.directoryExists(path) ? join(path, 'tsconfig.json') : path;
  let unrecoverable = false;
  const parsed = ts.getParsedCommandLineOfConfigFile(file, options, {
    ...system,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      unrecoverable = true;
      report(d);
    },
  });
  return unrecoverable ? undefined : parsed;
}

/** Declarations no build of this workspace writes: TypeScript's own lib files and those of installed packages. */
function isSharedDeclaration(fileName: string, typescriptDir: string): boolean {
  if (!/\.d\.([cm]?ts|[^.]+\.ts)$/.test(fileName)) return false;
  const file = resolve(fileName);
  return file.startsWith(resolve(typescriptDir) + sep) || file.split(sep).includes('node_modules');
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
