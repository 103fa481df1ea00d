import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { OutputFormat } from '../../config/schema';
import { runProcess, stripAnsi } from '../child-process';
import { withoutDuplicates } from '../diagnostics';
import { formatDiagnostic } from '../format-diagnostic';
import { emitDeclarations } from '../dts';
import { outExtension } from '../esbuild/output-names';
import type { AdapterInput, BuilderAdapter, Diagnostic, EmittedFile } from '../types';
import { BUNDLELESS_MANAGED, buildBundleless } from './bundleless-run';
import { findBun } from './find-bun';

/** Flags the adapter sets itself; `builderOptions` may not (it may set `target`, e.g. "bun"). */
const MANAGED_FLAGS = ['outdir', 'outfile', 'format', 'entryNaming', 'chunkNaming', 'metafile', 'watch', 'compile'];
/** Flags an output variant sets (banner, footer): builderOptions may set them only without it. */
const VARIANT_FLAGS = ['banner', 'footer'] as const;

/**
 * `builder: 'bun'`: the `bun build` CLI, spawned in the package root and awaited, one run per
 * format (and per renamed entry); bundleless builds run `Bun.build` through a script instead
 * (bundleless-run.ts). See docs/adapters.md for the option mapping.
 */
export const bunAdapter: BuilderAdapter = {
  name: 'bun',

  async isAvailable(ctx) {
    const { bun, rejected } = await findBun(ctx);
    if (bun) return { ok: true, version: bun.version };
    return {
      ok: false,
      reason: [
        'No working bun binary: none in the workspace (node_modules/.bin/bun, the bun package, @oven/bun-<platform>) and none on PATH.',
        ...rejected.map((r) => `  ${r}`),
        'Install it in the workspace with `npm i -D bun` (its @oven/bun-<platform> optional dependency carries the binary, so it works even where install scripts are skipped), or system-wide from https://bun.sh.',
      ].join('\n'),
    };
  },

  async build(input, signal) {
    const { bun, rejected } = await findBun(input);
    if (!bun) return failure(`bun is not available: ${rejected.join('; ') || 'not found'}.`);
    const bundleless = input.bundle === false;
    if (bundleless && !input.modules) return failure('bundle: false without a module list: the config resolver lists the modules of a bundleless build.');
    const managed = bundleless ? [...MANAGED_FLAGS, ...BUNDLELESS_MANAGED] : MANAGED_FLAGS;
    const reserved = Object.keys(input.builderOptions).filter((k) => managed.includes(k));
    if (reserved.length) return failure(`builderOptions.${reserved.join(', builderOptions.')}: set by the bun adapter; remove it from build.config.ts.`);
    const twice = VARIANT_FLAGS.filter((k) => input[k] !== undefined && input.builderOptions[k] !== undefined);
    if (twice.length) return failure(`builderOptions.${twice.join(' and builderOptions.')} and the output's own ${twice.join(' and ')} are both set; keep one.`);

    const diagnostics: Diagnostic[] = [];
    const emitted: EmittedFile[] = [];
    const scratch = await mkdtemp(join(tmpdir(), 'build-system-bun-'));
    let ok = true;
    let runs = 0;
    try {
      for (const format of input.formats) {
        if (bundleless) {
          const run = await buildBundleless(input, format, input.extension ?? outExtension(format, input.packageType), bun.file, scratch, signal);
          if (run.cancelled) return { ok: false, diagnostics };
          ok &&= run.ok;
          // Located ones are printed below; the engine prints the others.
          diagnostics.push(...run.diagnostics.map((d) => ({ ...d, shown: d.file !== undefined })));
          emitted.push(...run.emitted);
          continue;
        }
        for (const job of jobsFor(input, format)) {
          if (signal.aborted) return { ok: false, diagnostics };
          const metafile = join(scratch, `meta-${++runs}.json`);
          const args = ['build', ...job.files, ...buildFlags(input, format, job.naming, metafile)];
          input.log(`$ bun ${args.join(' ')}\n`);
          const run = await runProcess({
            command: bun.file,
            args,
            cwd: input.packageRoot,
            env: input.env,
            workspaceRoot: input.workspaceRoot,
            signal,
            onLine: (line, stream) => input.log(`${line}\n`, stream),
          });
          if (run.cancelled) return { ok: false, diagnostics };
          const parsed = parseBunLog(run.stderr, input.packageRoot);
          // bun's own stderr lines were streamed as they came.
          diagnostics.push(...parsed.map((d) => ({ ...d, shown: true })));
          if (run.exitCode !== 0) {
            ok = false;
            if (!parsed.some((d) => d.severity === 'error')) {
              const detail = run.spawnError?.message ?? lastLine(run.stderr) ?? `exit code ${run.exitCode ?? run.exitSignal}`;
              diagnostics.push({ severity: 'error', message: `bun build failed: ${detail}`, builder: 'bun' });
            }
            continue;
          }
          emitted.push(...(await emittedFromMetafile(metafile, input.outDir)));
        }
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const unique = withoutDuplicates(diagnostics);
    // bun's own lines name no file on the error line: print the located form editors link (bun
    // already printed the code frame).
    for (const d of unique) if (d.file) input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color, frame: false })}\n`, d.severity === 'error' ? 'stderr' : 'stdout');
    if (ok && input.dts && !signal.aborted) {
      const types = await emitDeclarations(input, signal, 'bun', emitted);
      return { ok: types.ok, diagnostics: [...unique, ...types.diagnostics], emitted: [...emitted, ...types.emitted] };
    }
    return { ok, diagnostics: unique, emitted };
  },
};

/**
 * bun names outputs after the entry file (`[name]`). When every entry is named after its file one
 * run builds them all; a renamed entry (`entry: { main: 'src/index.ts' }`) gets a run of its own
 * with a literal output name.
 */
function jobsFor(input: AdapterInput, format: OutputFormat): Array<{ files: string[]; naming: string }> {
  const ext = input.extension ?? outExtension(format, input.packageType);
  const named = input.entries.every((e) => e.name === fileStem(e.file));
  if (named) return [{ files: input.entries.map((e) => e.file), naming: `[name]${ext}` }];
  return input.entries.map((e) => ({ files: [e.file], naming: `${e.name}${ext}` }));
}

function fileStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.slice(0, base.length - extname(base).length);
}

function buildFlags(input: AdapterInput, format: OutputFormat, naming: string, metafile: string): string[] {
  const ext = input.extension ?? outExtension(format, input.packageType);
  const sourcemap = input.sourcemap === 'inline' ? 'inline' : input.sourcemap ? 'external' : 'none';
  const { target, ...extra } = input.builderOptions;
  return [
    `--outdir=${input.outDir}`,
    `--format=${format}`,
    // bun has no language-level target (it always emits modern syntax): `target` is not passed.
    `--target=${typeof target === 'string' ? target : input.platform === 'node' ? 'node' : 'browser'}`,
    `--entry-naming=${naming}`,
    `--chunk-naming=[name]-[hash]${ext}`,
    `--metafile=${metafile}`,
    `--sourcemap=${sourcemap}`,
    ...(input.minify ? ['--minify'] : []),
    // `-e pkg` also keeps `pkg/sub/path` external.
    ...input.external.map((x) => `--external=${x}`),
    ...Object.entries(input.define).map(([k, v]) => `--define=${k}:${v}`),
    ...(input.tsconfig ? [`--tsconfig-override=${input.tsconfig}`] : []),
    ...(input.banner !== undefined ? [`--banner=${input.banner}`] : []),
    ...(input.footer !== undefined ? [`--footer=${input.footer}`] : []),
    ...flagsFromOptions(extra),
  ];
}

/** `builderOptions` as extra flags: `{ splitting: true, banner: 'x' }` → `--splitting --banner=x`. */
function flagsFromOptions(options: Record<string, unknown>): string[] {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null || value === false) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    for (const v of Array.isArray(value) ? value : [value]) flags.push(v === true ? flag : `${flag}=${String(v)}`);
  }
  return flags;
}

async function emittedFromMetafile(metafile: string, outDir: string): Promise<EmittedFile[]> {
  if (!existsSync(metafile)) return [];
  const meta = JSON.parse(await readFile(metafile, 'utf8')) as { outputs?: Record<string, { entryPoint?: string }> };
  return Object.entries(meta.outputs ?? {}).map(([path, out]) => {
    const file = resolve(outDir, path);
    const kind = out.entryPoint ? 'entry' : path.endsWith('.map') ? 'sourcemap' : path.endsWith('.css') ? 'style' : /\.[cm]?js$/.test(path) ? 'chunk' : 'asset';
    return { file, kind } as EmittedFile;
  });
}

// What `bun build` prints on stderr for each problem (checked against bun 1.x):
//   2 |   return s.toUpperCase(;          ← code frame, when there is a line to show
//                              ^
//   error: Unexpected ;
//       at /abs/path/src/shout.ts:2:24    ← 1-based line and character column
// Warnings read `warn: ...`. Location-less errors (`error: ModuleNotFound resolving "x" (entry point)`)
// have no `at` line.
const HEAD = /^(error|warn|warning): (.*)$/;
const AT = /^\s+at (.+):(\d+):(\d+)$/;

export function parseBunLog(stderr: string, cwd: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let current: Diagnostic | undefined;
  for (const raw of stripAnsi(stderr).split(/\r?\n/)) {
    const head = HEAD.exec(raw);
    if (head) {
      current = { severity: head[1] === 'error' ? 'error' : 'warning', message: head[2], builder: 'bun' };
      out.push(current);
      continue;
    }
    const at = AT.exec(raw);
    if (at && current && current.file === undefined) {
      current.file = resolve(cwd, at[1]);
      current.line = Number(at[2]);
      current.column = Number(at[3]);
    }
    if (!raw.trim()) current = undefined;
  }
  return out;
}

function lastLine(text: string): string | undefined {
  return stripAnsi(text).trim().split(/\r?\n/).filter(Boolean).pop();
}

function failure(message: string) {
  return { ok: false, diagnostics: [{ severity: 'error' as const, message, builder: 'bun' }] };
}
