import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { runProcess, stripAnsi } from '../child-process';
import { formatDiagnostic } from '../format-diagnostic';
import { outExtension } from '../esbuild/output-names';
import type { AdapterInput, AdapterOutcome, BuilderAdapter, Diagnostic, EmittedFile } from '../types';
import { loadBuildModule } from './load-module';

/**
 * Environment a `builderOptions.command` runs with, on top of the build's environment. Documented
 * in docs/adapters.md; names are part of the contract.
 */
export const CUSTOM_ENV = {
  /** Where the command must write its output: the staging folder that replaces outDir on success. */
  outDir: 'BUILD_SYSTEM_OUT_DIR',
  packageRoot: 'BUILD_SYSTEM_PACKAGE_ROOT',
  workspaceRoot: 'BUILD_SYSTEM_WORKSPACE_ROOT',
  /** A JSON file with the resolved build input (entries, formats, platform, ... builderOptions). */
  input: 'BUILD_SYSTEM_INPUT',
  /** A file the command may write diagnostics to: JSON lines of { severity, message, file, line, column, code }. */
  diagnostics: 'BUILD_SYSTEM_DIAGNOSTICS_FILE',
} as const;

/**
 * `builder: 'custom'`: the package's own build step, either a shell command
 * (`builderOptions.command`, run in the package root) or a module (`builderOptions.module`, a
 * package-relative file whose default export is `async (input, signal) => ...`). Both write into
 * the staging folder they are given; artifacts are whatever lands there (or matches `artifacts`).
 */
export const customAdapter: BuilderAdapter = {
  name: 'custom',

  async isAvailable() {
    return { ok: true };
  },

  async build(input, signal) {
    const { command, module } = input.builderOptions;
    let outcome: AdapterOutcome;
    if (typeof command === 'string' && command.trim() && module === undefined) {
      outcome = await runCommand(command, input, signal);
    } else if (typeof module === 'string' && module.trim() && command === undefined) {
      outcome = await runModule(module, input, signal);
    } else {
      return {
        ok: false,
        diagnostics: [
          error('builder: "custom" needs exactly one of builderOptions.command (a shell command) or builderOptions.module (a package-relative file).'),
        ],
      };
    }
    if (outcome.ok) outcome.emitted = [...(outcome.emitted ?? []), ...(await entriesByName(input, outcome.emitted ?? []))];
    if (outcome.ok && !signal.aborted && (await isEmpty(input.outDir))) {
      outcome.diagnostics.push({
        severity: 'warning',
        message: `The custom build wrote nothing to $${CUSTOM_ENV.outDir}. Write the output there: it replaces ${relative(input.packageRoot, input.finalOutDir)} when the build succeeds, and anything written to ${relative(input.packageRoot, input.finalOutDir)} directly is replaced by it.`,
        builder: 'custom',
      });
    }
    return outcome;
  },
};

async function runCommand(command: string, input: AdapterInput, signal: AbortSignal): Promise<AdapterOutcome> {
  const scratch = await mkdtemp(join(tmpdir(), 'build-system-custom-'));
  try {
    const inputFile = join(scratch, 'input.json');
    const diagnosticsFile = join(scratch, 'diagnostics.jsonl');
    await writeFile(inputFile, `${JSON.stringify(serializableInput(input), null, 2)}\n`);
    input.log(`$ ${command}\n`);
    const run = await runProcess({
      command,
      shell: true,
      cwd: input.packageRoot,
      env: {
        ...input.env,
        [CUSTOM_ENV.outDir]: input.outDir,
        [CUSTOM_ENV.packageRoot]: input.packageRoot,
        [CUSTOM_ENV.workspaceRoot]: input.workspaceRoot,
        [CUSTOM_ENV.input]: inputFile,
        [CUSTOM_ENV.diagnostics]: diagnosticsFile,
      },
      workspaceRoot: input.workspaceRoot,
      signal,
      onLine: (line, stream) => input.log(`${line}\n`, stream),
    });
    const diagnostics = existsSync(diagnosticsFile) ? parseDiagnosticsFile(await readFile(diagnosticsFile, 'utf8'), input.packageRoot) : [];
    for (const d of diagnostics) {
      input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color })}\n`, d.severity === 'error' ? 'stderr' : 'stdout');
      d.shown = true;
    }
    if (run.cancelled) return { ok: false, diagnostics };
    const ok = run.exitCode === 0 && !diagnostics.some((d) => d.severity === 'error');
    if (!ok && !diagnostics.some((d) => d.severity === 'error')) {
      const last = stripAnsi(run.stderr).trim().split(/\r?\n/).filter(Boolean).pop();
      const how = run.spawnError ? `could not start (${run.spawnError.message})` : run.exitCode === null ? `was killed by ${run.exitSignal}` : `exited with code ${run.exitCode}`;
      diagnostics.push(error(`The custom command \`${command}\` ${how}${last ? `: ${last}` : ''}.`));
    }
    return { ok, diagnostics };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function runModule(specifier: string, input: AdapterInput, signal: AbortSignal): Promise<AdapterOutcome> {
  const file = resolve(input.packageRoot, specifier);
  const loaded = await loadBuildModule(file, input);
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  input.log(`Running ${relative(input.packageRoot, file)}\n`);
  let returned: unknown;
  try {
    returned = await loaded.build(input, signal);
  } catch (e) {
    const err = e as Error;
    input.log(`${err?.stack ?? String(e)}\n`, 'stderr');
    return { ok: false, diagnostics: [error(`${relative(input.packageRoot, file)} threw: ${err?.message ?? String(e)}`, file)] };
  }
  const result = (returned ?? {}) as Partial<AdapterOutcome>;
  const diagnostics = (Array.isArray(result.diagnostics) ? result.diagnostics : [])
    .map((d) => normalizeDiagnostic(d, input.packageRoot))
    .filter((d): d is Diagnostic => d !== undefined);
  const emitted = (Array.isArray(result.emitted) ? result.emitted : [])
    .filter((e): e is EmittedFile => typeof e?.file === 'string' && typeof e?.kind === 'string')
    .map((e) => ({ file: resolve(input.outDir, e.file), kind: e.kind }));
  const ok = result.ok !== false && !diagnostics.some((d) => d.severity === 'error');
  return { ok, diagnostics, emitted };
}

/** The input as JSON for a command: everything but functions and the environment (already in env). */
function serializableInput(input: AdapterInput): Record<string, unknown> {
  const { log: _log, env: _env, ...rest } = input;
  return rest;
}

/** JSON lines (or one JSON array) of diagnostics; a malformed line is reported, not fatal. */
export function parseDiagnosticsFile(text: string, packageRoot: string): Diagnostic[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  let records: unknown[];
  try {
    records = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l));
  } catch (e) {
    return [{ severity: 'warning', message: `$${CUSTOM_ENV.diagnostics} is not JSON lines: ${(e as Error).message}`, builder: 'custom' }];
  }
  return records.map((r) => normalizeDiagnostic(r, packageRoot) ?? { severity: 'warning' as const, message: `Ignored a diagnostic without a message: ${JSON.stringify(r)}`, builder: 'custom' });
}

function normalizeDiagnostic(raw: unknown, packageRoot: string): Diagnostic | undefined {
  const d = raw as Partial<Diagnostic> | null;
  if (!d || typeof d.message !== 'string') return undefined;
  const positive = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined);
  const line = positive(d.line);
  const column = positive(d.column);
  return {
    severity: d.severity === 'warning' ? 'warning' : 'error',
    ...(typeof d.code === 'string' ? { code: d.code } : {}),
    message: d.message,
    ...(typeof d.file === 'string' ? { file: isAbsolute(d.file) ? d.file : resolve(packageRoot, d.file) } : {}),
    ...(line ? { line } : {}),
    ...(line && column ? { column } : {}),
    builder: typeof d.builder === 'string' ? d.builder : 'custom',
    // A build module that printed it already says so (see Diagnostic.shown).
    ...(d.shown === true ? { shown: true } : {}),
  };
}

/**
 * Bundles named the way every built-in bundler names them (`<entry name><extension of the format>`,
 * e.g. index.js / index.cjs in a "module" package) are listed as kind `entry`; other files get
 * their kind from their extension, unless a module reported kinds itself.
 */
async function entriesByName(input: AdapterInput, reported: EmittedFile[]): Promise<EmittedFile[]> {
  const known = new Set(reported.map((e) => e.file));
  const candidates = input.formats.flatMap((format) => input.entries.map((e) => join(input.outDir, `${e.name}${outExtension(format, input.packageType)}`)));
  return [...new Set(candidates)].filter((file) => !known.has(file) && existsSync(file)).map((file) => ({ file, kind: 'entry' as const }));
}

async function isEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

function error(message: string, file?: string): Diagnostic {
  return { severity: 'error', message, ...(file ? { file } : {}), builder: 'custom' };
}
