import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { findWorkspacePackage, foldersUpToWorkspace } from '../workspace-packages';

export interface BunBinary {
  /** The executable. */
  file: string;
  version: string;
}

export interface BunSearch {
  bun?: BunBinary;
  /** Every candidate looked at and why it was not used, for the "not available" message. */
  rejected: string[];
}

const exe = process.platform === 'win32' ? '.exe' : '';

/**
 * The bun binary for this workspace, in the order an `npx bun` user expects: the workspace's own
 * (node_modules/.bin/bun, which bun's postinstall makes the real binary), the binary inside the
 * platform package (`@oven/bun-<os>-<arch>`, present even when the package manager skipped that
 * postinstall and left node_modules/bun/bin/bun.exe a placeholder script), then `bun` on PATH.
 * PATH folders that are some other project's node_modules/.bin (npm scripts prepend those) do not
 * count: they are not this workspace's bun. Every candidate must answer `--version`.
 */
export async function findBun(ctx: { workspaceRoot: string; packageRoot: string }, path = process.env.PATH ?? ''): Promise<BunSearch> {
  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const file of candidates(ctx, path)) {
    if (!existsSync(file)) continue;
    const real = safeRealpath(file);
    if (seen.has(real)) continue;
    seen.add(real);
    const probe = await probeVersion(file);
    if ('version' in probe) return { bun: { file, version: probe.version }, rejected };
    rejected.push(`${file}: ${probe.error}`);
  }
  return { rejected };
}

function* candidates(ctx: { workspaceRoot: string; packageRoot: string }, path: string): Generator<string> {
  for (const dir of foldersUpToWorkspace(ctx)) yield join(dir, 'node_modules', '.bin', `bun${exe}`);
  const bunPackage = findWorkspacePackage('bun', ctx);
  if (bunPackage) yield join(bunPackage, 'bin', 'bun.exe');
  for (const name of platformPackages()) {
    const found = findWorkspacePackage(`@oven/${name}`, ctx);
    if (found) yield join(found, 'bin', `bun${exe}`);
    // pnpm keeps optional dependencies beside the package that wants them, not hoisted.
    if (bunPackage) yield join(dirname(safeRealpath(bunPackage)), '@oven', name, 'bin', `bun${exe}`);
  }
  const workspace = resolve(ctx.workspaceRoot);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const abs = resolve(dir);
    const foreignBin = /[\\/]node_modules[\\/]\.bin$/.test(abs) && (relative(workspace, abs).startsWith('..') || isAbsolute(relative(workspace, abs)));
    if (!foreignBin) yield join(abs, `bun${exe}`);
  }
}

/** `@oven/bun-*` package names for this machine, preferred first (as bun's own install script picks). */
export function platformPackages(): string[] {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
  const musl = process.platform === 'linux' && isMusl() ? '-musl' : '';
  const base = `bun-${os}-${arch}${musl}`;
  return arch === 'x64' ? [base, `${base}-baseline`] : [base];
}

let musl: boolean | undefined;

/**
 * Whether this Linux uses musl (Alpine) rather than glibc. Read from the ldd script, as detect-libc
 * does: process.report.getReport() answers too, but takes ~20 ms, on every project graph.
 */
function isMusl(): boolean {
  if (musl !== undefined) return musl;
  try {
    musl = readFileSync('/usr/bin/ldd', 'latin1').includes('musl');
  } catch {
    musl = existsSync('/etc/alpine-release');
  }
  return musl;
}

// `bun --version` per binary, remembered while the file is unchanged: a batch build asks once.
const probes = new Map<string, { stamp: string; result: { version: string } | { error: string } }>();

function probeVersion(file: string): Promise<{ version: string } | { error: string }> {
  let stamp: string;
  try {
    const s = statSync(file);
    stamp = `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch (e) {
    return Promise.resolve({ error: (e as Error).message });
  }
  const cached = probes.get(file);
  if (cached?.stamp === stamp) return Promise.resolve(cached.result);
  return new Promise((resolvePromise) => {
    execFile(file, ['--version'], { timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      const version = String(stdout).trim();
      const result = !error && /^\d+\.\d+\.\d+/.test(version)
        ? { version }
        : { error: firstLine(String(stderr)) || firstLine(String(stdout)) || (error?.message ?? 'no version printed') };
      probes.set(file, { stamp, result });
      resolvePromise(result);
    });
  });
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}

function safeRealpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
