/**
 * Run by bun, not Node (see bundleless-run.ts): one bundleless format with `Bun.build`. The
 * `bun build` CLI cannot do it (`--no-bundle` does not rewrite relative specifiers), but a plugin
 * can: every module is an entry point and every import is external, relative ones rewritten to
 * the emitted file exactly as for esbuild (../bundleless.ts). argv[2] is the JSON request
 * (BundlelessRequest); the answer (BundlelessAnswer) is written to argv[3].
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bundlelessResolution } from '../bundleless';

export interface BundlelessRequest {
  modules: { root: string; files: string[] };
  /** The emitted extension of this format: `.js`, `.cjs`, `.mjs`. */
  extension: string;
  /** Bun.build options set by the adapter (outdir, format, target, sourcemap, minify, define, ...). */
  options: Record<string, unknown>;
}

export interface BundlelessAnswer {
  success: boolean;
  outputs: Array<{ path: string; kind: string }>;
  logs: Array<{ level: string; message: string; file?: string; line?: number; column?: number }>;
}

/** The part of bun's API this script uses (the repo has no bun types). */
interface OnResolveArgs {
  path: string;
  importer: string;
  kind: string;
}
interface BunBuildResult {
  success: boolean;
  outputs: Array<{ path: string; kind: string }>;
  logs: Array<{ level: string; message: string; position?: { file: string; line: number; column: number } | null }>;
}
interface BunApi {
  build(config: Record<string, unknown>): Promise<BunBuildResult>;
}

function bundlelessPlugin(modules: BundlelessRequest['modules'], extension: string) {
  const list = { root: modules.root, files: new Set(modules.files) };
  return {
    name: 'build-system-bundleless',
    setup(build: { onResolve(options: { filter: RegExp }, callback: (args: OnResolveArgs) => unknown): void }) {
      build.onResolve({ filter: /.*/ }, (args) => {
        // Entry points, and bun's own runtime imports (no importer), are bun's to resolve.
        if (args.kind.startsWith('entry-point') || !args.importer) return undefined;
        const resolution = bundlelessResolution(args.path, args.importer, list, extension);
        if (!resolution) return undefined;
        // bun reports a plugin's throw as a build error at the importer.
        if ('error' in resolution) throw new Error(resolution.error);
        return { path: resolution.external, external: true };
      });
    },
  };
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(process.argv[2], 'utf8')) as BundlelessRequest;
  const bun = (globalThis as unknown as { Bun: BunApi }).Bun;
  const result = await bun.build({
    ...request.options,
    entrypoints: request.modules.files,
    // Outputs mirror the modules' folder: `[dir]` is the path under root.
    root: request.modules.root,
    naming: { entry: `[dir]/[name]${request.extension}`, chunk: `[name]-[hash]${request.extension}`, asset: '[name]-[hash].[ext]' },
    plugins: [bundlelessPlugin(request.modules, request.extension)],
    throw: false,
  });
  const answer: BundlelessAnswer = {
    success: result.success,
    outputs: result.outputs.map((o) => ({ path: o.path, kind: o.kind })),
    // A plugin's error is placed at line 0 of the importer: a file, but no position.
    logs: result.logs.map((l) => ({
      level: l.level,
      message: l.message,
      ...(l.position?.file ? { file: l.position.file } : {}),
      ...(l.position?.line ? { line: l.position.line, column: l.position.column } : {}),
    })),
  };
  writeFileSync(process.argv[3], JSON.stringify(answer));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
