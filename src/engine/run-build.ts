import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { selectAdapter, type SelectedAdapter } from '../adapters/registry';
import type { Diagnostic } from '../adapters/types';
import { colorCodeFrames } from '../config/code-frame';
import { probeOncePerContent } from '../config/probe';
import { findConfigFile, loadBuildConfig } from '../config/load';
import { EVALUATION_STAMP, isCI, LOCK_FILE, LOG_FILE, RESULT_FILE, resolveBuild, VALIDATION_STAMP, type ResolvedBuild } from '../config/resolve';
import { validateOnce } from '../config/validate-once';
import { palette, stripAnsi } from '../color';
import { BuildSystemError, ERROR_CODES, ioFailureHint, isBuildSystemError } from '../errors';
import { writeFileAtomic } from '../result/atomic-write';
import type { BuildErrorRecord, BuildResult, BuildWarningRecord, EntryPointRecord, HookRecord } from '../result/schema';
import { RESULT_SCHEMA_VERSION } from '../result/version';
import type { ArtifactKind } from '../result/schema';
import { collectArtifacts } from './artifacts';
import { BuildLog } from './build-log';
import { cleanOutputs } from './clean';
import { declaredSecrets, redactorFor, resolveBuildEnv } from './env';
import { runHooks } from './hooks';
import { acquirePackageLock, describeOwner, type HeldLock } from './lock';
import { writeOutputPackageJson } from './output-package-json';
import { assertOutDirOwned, markOutDir } from './output-ownership';
import { withBuilderDeadline } from './builder-deadline';
import { assertOutputsDoNotCollide, buildOutputs } from './output-variants';
import { checkPackageContract } from './package-contract';
import { startProgress } from './progress';
import { publishArtifacts } from './publish';
import { assertRegularOutputTree } from './output-tree';
import { assertSafeOutputDir } from './safe-paths';
import { commitStaging, createStaging, discardStaging, restoreInterruptedSwap, showAsOutDir, type Staging } from './staging';
import { leavesBase, relativePosix } from '../paths';

export interface BuildRequest {
  /** Project name (the Nx project, or the package folder name outside Nx). */
  project: string;
  workspaceRoot: string;
  /** Absolute or workspace-relative package folder. */
  packageRoot: string;
  /** Config file; found in the package root when omitted. */
  configFile?: string;
  /** Environment name (Nx configuration); default: ci when CI is set, else development. */
  configuration?: string;
  /** Remove previous outputs, result and incremental state before building. */
  clean?: boolean;
  /**
   * What `builder: 'auto'` must resolve to ("bun@1.4.5" or "esbuild"), when the caller has
   * already decided (Nx inference puts it in the task hash); detected here otherwise.
   */
  autoBuilder?: string;
  /** Replace an existing outDir that this plugin did not create. */
  force?: boolean;
  /** false: ignore builder incremental state for a full rebuild. Default true. */
  incremental?: boolean;
  /** Recorded in the result (Nx passes the task hash). */
  inputHash?: string;
  /** Stop evaluating build.config.ts after this long (BS_CONFIG_TIMEOUT). Default 30 s. */
  configTimeoutMs?: number;
  /** Give up waiting for another build of the same package after this long. Default 10 minutes. */
  lockTimeoutMs?: number;
  /** Roots of the other projects (workspace-relative), for the output-path guard. */
  projectRoots?: string[];
  env?: NodeJS.ProcessEnv;
  onLog?: (text: string, stream: 'stdout' | 'stderr') => void;
  /**
   * onLog's stream shows colors: diagnostics and error lines carry ANSI codes there (never in
   * build.log or the result). The caller decides, see colorEnabled(). Default false.
   */
  color?: boolean;
  /**
   * Print a sign of life on onLog's stdout when a phase is quiet for a while (see progress.ts):
   * `tty: true` rewrites one line in place, otherwise a plain line every `quietMs` (default 5 s).
   * Never in build.log or the result. The caller decides, as for color. Default: none.
   */
  progress?: { tty: boolean; quietMs?: number };
  signal?: AbortSignal;
}

/**
 * One build from config file to BuildResult: load ▸ validate ▸ resolve ▸ check env ▸ pre hooks ▸
 * adapter into staging ▸ package contract (in staging) ▸ swap ▸ artifacts ▸ post hooks ▸ result + log. Every failure becomes a
 * result with a stable code; nothing here throws for a bad build. Re-entrant: no global state.
 */
export async function runBuild(request: BuildRequest): Promise<BuildResult> {
  const started = new Date();
  const t0 = performance.now();
  const workspaceRoot = resolve(request.workspaceRoot);
  const packageRoot = resolve(workspaceRoot, request.packageRoot);
  const onLog = request.onLog;
  const progress =
    onLog && request.progress
      ? startProgress({ project: request.project, write: (text) => onLog(text, 'stdout'), tty: request.progress.tty, quietMs: request.progress.quietMs })
      : undefined;
  const log = new BuildLog(
    onLog &&
      ((text, stream) => {
        progress?.beforeOutput();
        onLog(text, stream);
      }),
  );
  const color = request.color === true;
  const signal = request.signal ?? new AbortController().signal;
  const env = request.env ?? process.env;
  const errors: BuildErrorRecord[] = [];
  const warnings: BuildWarningRecord[] = [];
  const hooks: HookRecord[] = [];
  const rel = (p: string) => relativePosix(workspaceRoot, p);
  // Set once staging exists: what users read names outDir, never the staging folder.
  let shown = (text: string) => text;
  // Set once the environment is known: values of declared variables are never shown or recorded.
  let redact = (text: string) => text;
  /** Records an error and prints it (terminal and build.log), unless it was printed already. */
  const reportError = (record: BuildErrorRecord, print = true) => {
    errors.push(record);
    if (print) log.write(`${formatError(record, color)}\n`, 'stderr');
  };

  let resolved: ResolvedBuild | undefined;
  let selected: SelectedAdapter | undefined;
  let staging: Staging | undefined;
  let artifacts: BuildResult['artifacts'] = [];
  let entryPoints: EntryPointRecord[] | undefined;
  const resultFile = resolve(packageRoot, RESULT_FILE);
  const logFile = resolve(packageRoot, LOG_FILE);

  // Everything below, result included, happens under the package lock.
  let lock: HeldLock;
  try {
    lock = await acquirePackageLock(resolve(packageRoot, LOCK_FILE), {
      timeoutMs: request.lockTimeoutMs,
      signal,
      onWait: (owner) => log.write(`Waiting for another build of ${request.project}: the lock is held by ${describeOwner(owner)}\n`),
    });
  } catch (e) {
    const error = asBuildSystemError(e);
    // A holder owns result.json: then report without touching it. When the lock could not be made
    // at all (disk full, read-only), nobody holds it and the old result must not outlive this
    // failure (the run summary also ignores a result that is not this task's).
    if (error.code === 'BS_IO_FAILED') await removeQuietly(resultFile).catch(() => undefined);
    const records = errorRecords(error, rel);
    for (const r of records) log.write(`${formatError(r, color)}\n`, 'stderr');
    return failureWithoutLock(request, records, started, t0, rel(resultFile), rel(logFile), rel(resolve(packageRoot, 'dist')));
  }
  if (lock.tookOverFrom) log.write(`Took over the lock left by ${describeOwner(lock.tookOverFrom)}: that process is gone (or its pid now belongs to another process).\n`);

  try {
    const configFile = request.configFile ? resolve(workspaceRoot, request.configFile) : findConfigFile(packageRoot);
    if (!configFile) {
      throw new BuildSystemError('BS_CONFIG_NOT_FOUND', `No build.config.{ts,mts,cts,js,mjs,cjs} in ${rel(packageRoot) || '.'}.`);
    }
    // Evaluated in a worker thread first, bounded, once per config content: a config that hangs,
    // exits the process or throws later fails this build alone. Then here, where its functions
    // (hooks, plugins) are needed.
    const loaded = await loadBuildConfig(configFile, {
      beforeEvaluate: probeOncePerContent(configFile, rel(configFile), resolve(packageRoot, EVALUATION_STAMP), request.configTimeoutMs),
    });
    const config = await validateOnce(loaded.raw, rel(configFile), resolve(packageRoot, VALIDATION_STAMP));
    resolved = resolveBuild(config, {
      project: request.project,
      workspaceRoot,
      packageRoot,
      configFile,
      configImports: loaded.imports,
      configuration: request.configuration,
      env,
    });
    const build = resolved;
    log.write(`Building ${build.project} (${build.environment}) from ${rel(configFile)}\n`);
    assertSafeOutputDir({
      workspaceRoot,
      packageRoot,
      dir: build.outDir,
      label: 'outDir',
      protectedFiles: [build.configFile, ...build.configImports, ...build.entries.map((e) => e.file)],
      projectRoots: request.projectRoots,
    });
    const restored = await restoreInterruptedSwap(build.outDir);
    if (restored) log.write(`Restored the previous outputs of ${rel(build.outDir)} from ${restored}: an earlier build was stopped in the middle of replacing them.\n`);
    assertOutDirOwned(build.outDir, packageRoot, request.force);
    // Check the builder before deleting anything: a missing builder must not cost the old outputs.
    selected = await selectBuilder(build.builder, request.autoBuilder, { workspaceRoot, packageRoot });
    if (build.outputs) assertOutputsDoNotCollide(build.outputs, build.packageType, selected.adapter.name, build.configFile);
    const buildEnv = resolveBuildEnv(build.env, env);
    redact = redactorFor(declaredSecrets([...build.env.required, build.publish?.tokenEnv], buildEnv));
    log.redactWith(redact);
    if (request.clean || build.clean.beforeBuild) {
      // The old result and log go too: a build killed after this must not leave a success behind.
      await cleanOutputs(build, { projectRoots: request.projectRoots, force: request.force });
    }
    const hookCtx = { packageRoot, workspaceRoot, environment: build.environment, env: buildEnv, log: log.write, signal };
    if (build.hooks.pre.length) progress?.phase('pre hooks');
    await runHooks('pre', build.hooks.pre, hookCtx, hooks);

    staging = await createStaging(build.outDir);
    shown = showAsOutDir(staging);
    progress?.phase(`build (${selected.adapter.name})`);
    const adapter = selected.adapter;
    const stagingDir = staging.dir;
    const { outcome, variantOf } = await withBuilderDeadline(
      (builderSignal) =>
        buildOutputs(
          adapter,
          {
            workspaceRoot,
            packageRoot,
            entries: build.entries,
            outDir: stagingDir,
            finalOutDir: build.outDir,
            formats: build.formats,
            platform: build.platform,
            target: build.target,
            sourcemap: build.sourcemap,
            minify: build.minify,
            external: build.external,
            define: build.define,
            env: buildEnv,
            dts: build.dts,
            tsconfig: build.tsconfig,
            packageType: build.packageType,
            builderOptions: build.builderOptions,
            incremental: request.incremental !== false,
            log: (text, stream) => log.write(shown(text), stream),
            color,
            phase: (name) => progress?.phase(name),
          },
          build.outputs,
          builderSignal,
          (path) => rel(shown(path)),
        ),
      { parent: signal, timeoutMs: build.buildTimeoutMs, builder: adapter.name },
    );
    for (const d of outcome.diagnostics) {
      const display = { ...d, message: shown(d.message), ...(d.file ? { file: shown(d.file) } : {}) };
      if (d.severity === 'warning') warnings.push(toWarning(display, rel));
      // An error the adapter made up itself (not a line of tool output it streamed) is printed
      // here, so the terminal shows every error of a failed build once (see Diagnostic.shown).
      else reportError(toError(display, rel), !d.shown);
    }
    if (signal.aborted) throw new BuildSystemError('BS_BUILD_CANCELLED', 'The build was cancelled before it finished.');
    if (!outcome.ok) {
      if (errors.length === 0) {
        for (const r of errorRecords(new BuildSystemError('BS_BUILD_FAILED', `${selected.adapter.name} failed without a diagnostic; see ${rel(logFile)}.`), rel)) reportError(r);
      }
      throw new ReportedFailure();
    }
    // Kinds are known by staging path; after the swap the same files live under outDir.
    const kinds = new Map<string, ArtifactKind>();
    for (const e of outcome.emitted ?? []) kinds.set(resolve(build.outDir, relative(staging.dir, e.file)), e.kind);
    const variants = new Map([...variantOf].map(([file, name]) => [resolve(build.outDir, relative(staging!.dir, file)), name]));
    const expected = (outcome.emitted ?? []).filter((e) => e.kind === 'entry').map((e) => resolve(build.outDir, relative(staging!.dir, e.file)));

    // Verify in staging, before the swap: a build that lost an output must not replace good ones.
    const missingInStaging = (outcome.emitted ?? []).filter((e) => e.kind === 'entry' && !existsSync(e.file));
    if (missingInStaging.length || (await isEmptyDir(staging.dir))) {
      throw new BuildSystemError(
        'BS_ARTIFACT_MISSING',
        missingInStaging.length
          ? `Expected outputs were not produced: ${missingInStaging.map((e) => rel(resolve(build.outDir, relative(staging!.dir, e.file)))).join(', ')}.`
          : `The build wrote nothing to ${rel(build.outDir)}.`,
        {
          hint: missingInStaging.length
            ? `${selected.adapter.name} finished without an error but did not write ${missingInStaging.length > 1 ? 'these entries' : 'this entry'}: check \`entry\` and \`outDir\` in ${rel(build.configFile)}${selected.adapter.name === 'tsc' ? ', and that the tsconfig includes the entry' : ''}, and read ${rel(logFile)}.`
            : `${selected.adapter.name} finished without an error but wrote no file: read its output in ${rel(logFile)}, and check \`entry\` and \`outDir\` in ${rel(build.configFile)}${selected.adapter.name === 'tsc' ? ' and what the tsconfig includes' : ''}.`,
        },
      );
    }
    if (build.packageJson.generate) {
      // After the adapter and its checks, before the package contract: the contract reads this file.
      const written = await writeOutputPackageJson({
        project: build.project,
        workspaceRoot,
        packageRoot,
        dir: staging.dir,
        packageType: build.packageType,
        entries: build.entries,
        entryFiles: (outcome.emitted ?? []).filter((e) => e.kind === 'entry').map((e) => e.file),
        external: build.external,
      });
      kinds.set(resolve(build.outDir, 'package.json'), 'asset');
      for (const message of written.warnings) {
        warnings.push({ message });
        log.write(`warning: ${message}\n`);
      }
    }
    await assertRegularOutputTree(staging.dir, rel(build.outDir));
    // The package contract, in staging too: a package.json that names files this build did not
    // write must not get its good outputs replaced.
    const contractMode = build.packageJson.check;
    if (contractMode !== 'off') {
      progress?.phase('package contract');
      // With packageJson.generate the package is outDir itself: its generated package.json is checked.
      const manifestRoot = build.packageJson.generate ? build.outDir : packageRoot;
      const report = await checkPackageContract({ workspaceRoot, packageRoot: manifestRoot, outDir: build.outDir, stagingDir: staging.dir });
      if (report.checked) entryPoints = report.entryPoints;
      const packageJson = rel(join(manifestRoot, 'package.json'));
      for (const v of report.violations) {
        const at = { file: packageJson, ...(v.line ? { line: v.line, column: v.column } : {}) };
        if (contractMode === 'warn') warnings.push({ code: 'BS_PACKAGE_CONTRACT', message: v.message, ...at });
        else reportError({ code: 'BS_PACKAGE_CONTRACT', phase: ERROR_CODES.BS_PACKAGE_CONTRACT.phase, message: v.message, ...at, hint: v.hint });
      }
      if (errors.length) throw new ReportedFailure();
    }
    // The old result describes the old outputs: drop it before they change, so a crash in
    // between never leaves a result that claims files it does not describe.
    await removeQuietly(resultFile);
    await markOutDir(staging.dir);
    await commitStaging(staging);
    staging = undefined;
    artifacts = await collectArtifacts({
      workspaceRoot,
      packageRoot,
      outDir: build.outDir,
      globs: build.artifacts,
      kinds,
      variants,
    });
    const listed = new Set(artifacts.map((a) => resolve(workspaceRoot, a.path)));
    const missing = expected.filter((f) => !listed.has(f));
    if (artifacts.length === 0 || missing.length) {
      throw new BuildSystemError(
        'BS_ARTIFACT_MISSING',
        artifacts.length === 0
          ? `The build produced no artifacts${build.artifacts.length ? ` matching ${build.artifacts.join(', ')}` : ` in ${rel(build.outDir)}`}.`
          : `Expected outputs are missing: ${missing.map(rel).join(', ')}.`,
        build.artifacts.length
          ? { hint: `Fix \`artifacts\` in ${rel(build.configFile)}: its globs are relative to the package root and must match the entry bundles in ${rel(build.outDir)}.` }
          : {},
      );
    }
    if (build.hooks.post.length) progress?.phase('post hooks');
    else progress?.stop();
    await runHooks('post', build.hooks.post, hookCtx, hooks);
  } catch (e) {
    if (!(e instanceof ReportedFailure)) {
      for (const raw of errorRecords(asBuildSystemError(e), rel)) {
        reportError({ ...raw, message: shown(raw.message), ...(raw.file ? { file: shown(raw.file) } : {}), ...(raw.hint ? { hint: shown(raw.hint) } : {}) });
      }
    }
  } finally {
    progress?.stop();
    if (staging) await discardStaging(staging).catch(() => undefined);
  }

  for (const record of errors) {
    record.message = redact(record.message);
    if (record.hint) record.hint = redact(record.hint);
  }
  for (const record of warnings) record.message = redact(record.message);
  const status = errors.length === 0 ? 'success' : 'failure';
  if (status === 'failure') artifacts = [];
  // Recorded apart from `status`: a failed publish keeps a successful build (docs/publishing.md).
  if (resolved?.publish) progress?.phase('publish');
  let publish: Awaited<ReturnType<typeof publishArtifacts>> | undefined;
  try {
    publish = resolved?.publish
      ? await publishArtifacts(resolved.publish, status === 'success' ? artifacts : undefined, {
          workspaceRoot,
          packageRoot,
          outDir: resolved.outDir,
          environment: resolved.environment,
          env: { ...resolved.env.defaults, ...env },
          log: log.write,
          signal,
        })
      : undefined;
  } finally {
    progress?.stop();
  }
  if (publish?.error) publish = { ...publish, error: { ...publish.error, message: redact(publish.error.message), ...(publish.error.hint ? { hint: redact(publish.error.hint) } : {}) } };
  const ended = new Date();
  const result: BuildResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id: randomUUID(),
    project: request.project,
    environment: resolved?.environment ?? defaultEnvironmentName(request),
    builder: {
      name: selected?.adapter.name ?? builderLabel(resolved?.builder),
      ...(selected?.availability.version ? { version: selected.availability.version } : {}),
    },
    status,
    exitCode: status === 'success' ? 0 : errors.some((x) => x.code === 'BS_BUILD_CANCELLED') ? 130 : 1,
    startTime: started.toISOString(),
    endTime: ended.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    ...(request.inputHash ? { inputHash: request.inputHash } : {}),
    outDir: rel(resolved?.outDir ?? resolve(packageRoot, 'dist')),
    artifacts,
    errors,
    warnings,
    hooks,
    ...(status === 'success' && entryPoints ? { entryPoints } : {}),
    ...(publish ? { publish } : {}),
    lock: { waitedMs: lock.waitedMs },
    logFile: rel(logFile),
  };
  try {
    await writeFileAtomic(logFile, log.text());
    await writeFileAtomic(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  } catch (e) {
    // Disk full or read-only: no result on disk may then claim anything, so the old one goes.
    await removeQuietly(resultFile).catch(() => undefined);
    result.status = 'failure';
    result.exitCode = 1;
    result.artifacts = [];
    result.errors.push(...errorRecords(asBuildSystemError(e), rel));
    request.onLog?.(`${formatError(result.errors[result.errors.length - 1], color)}\n`, 'stderr');
  } finally {
    await lock.release();
  }
  return result;
}

function failureWithoutLock(
  request: BuildRequest,
  errors: BuildErrorRecord[],
  started: Date,
  t0: number,
  _resultFile: string,
  logFile: string,
  outDir: string,
): BuildResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id: randomUUID(),
    project: request.project,
    environment: defaultEnvironmentName(request),
    builder: { name: 'unknown' },
    status: 'failure',
    exitCode: errors.some((x) => x.code === 'BS_BUILD_CANCELLED') ? 130 : 1,
    startTime: started.toISOString(),
    endTime: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    outDir,
    artifacts: [],
    errors,
    warnings: [],
    hooks: [],
    lock: { waitedMs: Math.round(performance.now() - t0) },
    logFile,
  };
}

/** The environment a build would use when the config could not be read. */
function defaultEnvironmentName(request: BuildRequest): string {
  return request.configuration ?? (isCI(request.env ?? process.env) ? 'ci' : 'development');
}

/** Errors already recorded (builder diagnostics): no extra entry needed. */
class ReportedFailure extends Error {}

const IO_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE', 'EBUSY', 'EXDEV']);

function asBuildSystemError(e: unknown): BuildSystemError {
  if (isBuildSystemError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  // The file system said no (full, read-only, permissions): that is an I/O failure, not a crash.
  if (err?.code && IO_ERRNOS.has(err.code)) {
    return new BuildSystemError('BS_IO_FAILED', err.message, { ...(err.path ? { file: err.path } : {}), hint: ioFailureHint(err.code) });
  }
  return new BuildSystemError('BS_BUILD_CRASHED', err?.message ?? String(e), { detail: err?.stack });
}

function errorRecords(e: BuildSystemError, rel: (p: string) => string): BuildErrorRecord[] {
  const file = e.file ? (leavesBase(rel(e.file)) ? e.file : rel(e.file)) : undefined;
  const base = {
    code: e.code,
    phase: e.phase,
    ...(file ? { file } : {}),
    ...(e.line ? { line: e.line } : {}),
    ...(e.column ? { column: e.column } : {}),
    hint: e.hint,
  };
  // Schema problems are independent: one entry each, so tools can show them all.
  if (e.issues?.length) return e.issues.map((message) => ({ ...base, message }));
  return [{ ...base, message: e.detail ? `${e.message}\n${e.detail}` : e.message }];
}

function toError(d: Diagnostic, rel: (p: string) => string): BuildErrorRecord {
  return {
    code: 'BS_BUILD_FAILED',
    phase: 'build',
    message: stripAnsi(d.message),
    ...(d.file ? { file: rel(d.file) } : {}),
    ...(d.line ? { line: d.line } : {}),
    ...(d.column ? { column: d.column } : {}),
    ...(d.code ? { builderCode: d.code } : {}),
  };
}

function toWarning(d: Diagnostic, rel: (p: string) => string): BuildWarningRecord {
  return {
    message: stripAnsi(d.message),
    ...(d.file ? { file: rel(d.file) } : {}),
    ...(d.line ? { line: d.line } : {}),
    ...(d.column ? { column: d.column } : {}),
    ...(d.code ? { builderCode: d.code } : {}),
  };
}

/** `BS_CODE file:line:col: message` and the hint under it; colored for a color terminal. */
export function formatError(err: BuildErrorRecord, color = false): string {
  const c = palette(color);
  const where = err.file ? `${c.bold(`${err.file}${err.line ? `:${err.line}:${err.column ?? 1}` : ''}`)}: ` : '';
  const message = color ? colorCodeFrames(err.message, c) : err.message;
  return `${c.bold(c.red(err.code))} ${where}${message}${err.hint ? `\n  ${c.cyan(`→ ${err.hint}`)}` : ''}`;
}

function builderLabel(builder: ResolvedBuild['builder'] | undefined): string {
  if (!builder) return 'unknown';
  return typeof builder === 'string' ? builder : builder.module;
}

/** `auto` with a decided choice builds with exactly that builder, so the hash never lies. */
async function selectBuilder(
  setting: ResolvedBuild['builder'],
  autoBuilder: string | undefined,
  ctx: { workspaceRoot: string; packageRoot: string },
): Promise<SelectedAdapter> {
  if (setting !== 'auto' || !autoBuilder) return selectAdapter(setting, ctx);
  const name = autoBuilder.split('@')[0] as 'bun' | 'esbuild';
  try {
    return await selectAdapter(name, ctx);
  } catch (e) {
    if (isBuildSystemError(e) && e.code === 'BS_BUILDER_UNAVAILABLE') {
      throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `builder "auto" was resolved to ${autoBuilder} when the project graph was computed, but it is not available now.`, {
        hint: 'The project graph is stale (bun was removed?): run `nx reset`, or set builder explicitly.',
      });
    }
    throw e;
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).length === 0;
}

async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true });
}
