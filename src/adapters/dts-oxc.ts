import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { BuildSystemError } from '../errors';
import { formatDiagnostic } from './format-diagnostic';
import { importSpecifiers } from './import-specifiers';
import { commonDir, outputPathFor } from './tsc/compiler';
import { lineAndColumn, readInheritedOption } from './tsc/option-location';
import { OXC_TRANSFORM_PACKAGE } from './tsc/packages';
import type { AdapterInput, Diagnostic, EmittedFile } from './types';
import { findWorkspacePackage, readManifest } from './workspace-packages';

/** The part of oxc-transform's API this module calls (oxc-transform 0.x). */
interface OxcTransform {
  isolatedDeclarationSync(
    filename: string,
    source: string,
    options?: { sourcemap?: boolean; stripInternal?: boolean },
  ): { code: string; map?: { mappings: string; names: string[]; sources: string[]; version: number }; errors: OxcError[] };
}

interface OxcError {
  severity: string;
  message: string;
  labels: Array<{ start: number; end: number }>;
}

export interface IsolatedDeclarations {
  ok: boolean;
  diagnostics: Diagnostic[];
  emitted: EmittedFile[];
  /** The folder mirrored into outDir (tsc's rootDir). */
  rootDir: string;
}

const TS_SOURCE = /\.([cm]?ts|tsx)$/;

/**
 * `dts.generator: 'oxc'`: declarations written from each file alone by oxc's isolated-declarations
 * transform (no TypeScript, no type check; milliseconds), for every TypeScript module reachable from
 * the entries through relative imports, in tsc's layout: the tsconfig's `rootDir` (else the
 * modules' common folder) mirrored into outDir, `.d.ts.map` files when it sets `declarationMap`,
 * `@internal` left out under `stripInternal`. What TypeScript would reject under
 * `isolatedDeclarations` (a missing return type, say) is an error at its file, line and column.
 */
export async function emitIsolatedDeclarations(input: AdapterInput, tsconfig: string, builder: string): Promise<IsolatedDeclarations> {
  const oxc = loadOxc(input);
  input.log(`Writing declarations with ${OXC_TRANSFORM_PACKAGE} ${oxc.version} (isolated declarations)\n`);
  input.phase?.('dts (oxc)');
  const option = (name: string) => (existsSync(tsconfig) ? readInheritedOption(tsconfig, name) : undefined);
  // Bundleless: every module is an output, imported or not.
  const modules = reachableModules([...input.entries.map((e) => e.file), ...(input.bundle === false ? (input.modules?.files ?? []) : [])]);
  const rootDirSetting = option('rootDir');
  const rootDir =
    typeof rootDirSetting?.value === 'string' ? resolve(dirname(rootDirSetting.file), rootDirSetting.value) : commonDir(modules.map((m) => m.file));
  const declarationMap = option('declarationMap')?.value === true;
  const diagnostics: Diagnostic[] = [];
  const emitted: EmittedFile[] = [];
  for (const { file, source } of modules) {
    if (relative(rootDir, file).startsWith('..')) {
      diagnostics.push(fileError(builder, 'TS6059', `File '${file}' is not under 'rootDir' '${rootDir}'. 'rootDir' is expected to contain all source files.`, file));
      continue;
    }
    const out = oxc.api.isolatedDeclarationSync(file, source, { sourcemap: declarationMap, stripInternal: option('stripInternal')?.value === true });
    for (const e of out.errors) diagnostics.push(fromOxc(e, file, source, builder));
    const target = outputPathFor(file, rootDir, input.outDir, 'dts');
    await mkdir(dirname(target), { recursive: true });
    if (out.map) {
      const mapFile = `${target}.map`;
      const sources = [relative(dirname(mapFile), file).split(sep).join('/')];
      await writeFile(mapFile, JSON.stringify({ version: 3, file: basename(target), sourceRoot: '', sources, names: out.map.names, mappings: out.map.mappings }));
      await writeFile(target, `${out.code}//# sourceMappingURL=${basename(mapFile)}`);
      emitted.push({ file: target, kind: 'types' }, { file: mapFile, kind: 'sourcemap' });
    } else {
      await writeFile(target, out.code);
      emitted.push({ file: target, kind: 'types' });
    }
  }
  for (const d of diagnostics) {
    input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color })}\n`, 'stderr');
    d.shown = true;
  }
  return { ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics, emitted, rootDir };
}

function loadOxc(input: AdapterInput): { api: OxcTransform; version: string } {
  const dir = findWorkspacePackage(OXC_TRANSFORM_PACKAGE, input);
  if (!dir) {
    throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `dts.generator 'oxc' needs ${OXC_TRANSFORM_PACKAGE}, and it is not installed in the workspace.`, {
      hint: `Install it (\`npm i -D ${OXC_TRANSFORM_PACKAGE}\`; Node ^20.19 or >=22.12), or set dts: { generator: 'tsc' }.`,
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { api: require(dir) as OxcTransform, version: readManifest(dir).version ?? 'unknown' };
}

/** The entries and every TypeScript module they reach through relative imports (static, dynamic, `export … from`, type-only). */
function reachableModules(entries: string[]): Array<{ file: string; source: string }> {
  const seen = new Set<string>();
  const out: Array<{ file: string; source: string }> = [];
  const queue = entries.map((e) => resolve(e));
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!TS_SOURCE.test(file) || /\.d\.([^.]+\.)?[cm]?ts$/.test(file)) continue;
    const source = readFileSync(file, 'utf8');
    out.push({ file, source });
    for (const spec of importSpecifiers(source)) {
      const target = spec.startsWith('.') ? resolveRelative(spec, dirname(file)) : undefined;
      if (target) queue.push(target);
    }
  }
  return out;
}

// How a relative specifier names a TypeScript source: `./x.js` is `./x.ts` (or .tsx), `./x.mjs`
// is `./x.mts`, `./x` may be `./x.ts` or `./x/index.ts`.
const SOURCE_FOR: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const EXTENSIONLESS = ['.ts', '.tsx', '.mts', '.cts', '/index.ts', '/index.tsx'];

function resolveRelative(spec: string, fromDir: string): string | undefined {
  const base = resolve(fromDir, spec);
  const ext = extname(base);
  const candidates = TS_SOURCE.test(base) ? [base] : SOURCE_FOR[ext] ? SOURCE_FOR[ext].map((e) => base.slice(0, -ext.length) + e) : EXTENSIONLESS.map((e) => base + e);
  return candidates.find((c) => existsSync(c));
}

/**
 * `TS9007: Function must have an explicit return type…` at its label: oxc counts UTF-8 bytes,
 * TypeScript (and editors) count columns in UTF-16 units, as JavaScript strings do.
 */
function fromOxc(e: OxcError, file: string, source: string, builder: string): Diagnostic {
  const m = /^(TS\d+): ([\s\S]*)$/.exec(e.message);
  const at = e.labels[0]?.start;
  const before = at === undefined ? undefined : Buffer.from(source).subarray(0, at).toString('utf8');
  const place = before === undefined ? {} : lineAndColumn(before, before.length);
  return {
    severity: e.severity === 'Warning' ? 'warning' : 'error',
    ...(m ? { code: m[1] } : {}),
    message: m ? m[2] : e.message,
    file,
    ...place,
    builder,
  };
}

function fileError(builder: string, code: string, message: string, file: string): Diagnostic {
  return { severity: 'error', code, message, file, builder };
}

