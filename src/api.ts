import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { RESULT_FILE } from './config/resolve';
import { BuildSystemError } from './errors';
import type { BuildableProject } from './nx/list-buildable';
import type { RunSummary } from './result/run-summary-schema';
import type { BuildResult } from './result/schema';

/**
 * The programmatic API. `build()` goes through the real `nx` of the workspace, so the project
 * graph, the cache (local and remote) and dependencies apply exactly as on the command line,
 * and it resolves to the same RunSummary and BuildResult objects that are written to disk.
 */
export interface BuildOptions {
  /** Projects to build; all buildable projects when omitted. */
  projects?: string[];
  /** Environment (Nx configuration). */
  configuration?: string;
  /** Pass --skip-nx-cache. */
  skipCache?: boolean;
  /** Workspace root (or any folder in it). Default: process.cwd(). */
  cwd?: string;
  /** Receives nx's output as it runs: plain text, unless FORCE_COLOR is set (in process.env or `env`). */
  onLog?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting stops nx and its builds (SIGINT to its process group). */
  signal?: AbortSignal;
  /** Target name, if the plugin was registered with another one. Default: build. */
  target?: string;
  /** Extra environment for nx (e.g. { CI: 'true', NX_DAEMON: 'false' }). */
  env?: Record<string, string>;
}

export interface BuildOutcome {
  /** nx's exit code: 0 when every task succeeded. */
  exitCode: number;
  /** The RunSummary this command wrote (undefined when nx ran no build task). */
  summary?: RunSummary;
  /** The BuildResult of each project that has one after the run, by project name. */
  results: Record<string, BuildResult>;
}

export async function build(options: BuildOptions = {}): Promise<BuildOutcome> {
  const cwd = workspaceRootOf(options.cwd);
  const target = options.target ?? 'build';
  const args = ['run-many', '-t', target];
  if (options.projects?.length) args.push('--projects', options.projects.join(','));
  if (options.configuration) args.push('-c', options.configuration);
  if (options.skipCache) args.push('--skip-nx-cache');
  const started = Date.now();
  const exitCode = await runNx(cwd, args, options);
  const summary = await findSummary(cwd, started);
  const results: Record<string, BuildResult> = {};
  for (const task of summary?.tasks ?? []) {
    const result = await readJson<BuildResult>(join(cwd, task.resultFile));
    if (result) results[task.project] = result;
  }
  return { exitCode, summary, results };
}

/** The BuildResult last written for a project, or undefined if it never built. */
export async function readBuildResult(project: string, options: { cwd?: string } = {}): Promise<BuildResult | undefined> {
  const cwd = workspaceRootOf(options.cwd);
  const root = await projectRoot(cwd, project);
  return readJson<BuildResult>(join(cwd, root, RESULT_FILE));
}

/** The latest RunSummary, or the one with this runId. */
export async function readRunSummary(options: { cwd?: string; runId?: string } = {}): Promise<RunSummary | undefined> {
  const dir = join(workspaceRootOf(options.cwd), '.nx/build-system/runs');
  if (!options.runId) return readJson<RunSummary>(join(dir, 'latest.json'));
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.json') || name === 'latest.json') continue;
    const summary = await readJson<RunSummary>(join(dir, name));
    if (summary?.runId === options.runId) return summary;
  }
  return undefined;
}

/** Every buildable project with its builder, environments and resolved options (with sources). */
export async function listBuildable(options: { cwd?: string; configuration?: string } = {}): Promise<BuildableProject[]> {
  const cwd = workspaceRootOf(options.cwd);
  const args = [join(__dirname, 'cli.js'), 'list', '--json', ...(options.configuration ? ['-c', options.configuration] : [])];
  const { stdout } = await run(process.execPath, args, cwd, {});
  return JSON.parse(stdout) as BuildableProject[];
}

/** The nearest folder up from cwd that holds nx.json (or cwd itself when none does). */
function workspaceRootOf(cwd: string | undefined): string {
  const start = resolve(cwd ?? process.cwd());
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

async function projectRoot(cwd: string, project: string): Promise<string> {
  // The graph Nx cached on its last run is enough to find a root, and costs no nx start-up.
  const cached = await readJson<{ nodes: Record<string, { data: { root: string } }> }>(
    join(process.env.NX_WORKSPACE_DATA_DIRECTORY ?? join(cwd, '.nx/workspace-data'), 'project-graph.json'),
  );
  const root = cached?.nodes?.[project]?.data.root;
  if (root !== undefined) return root;
  const { stdout, code } = await run(process.execPath, [nxBin(cwd), 'show', 'project', project, '--json'], cwd, {});
  if (code !== 0) throw new BuildSystemError('BS_CONFIG_NOT_FOUND', `Project "${project}" is not in the workspace at ${cwd}.`);
  return (JSON.parse(stdout) as { root: string }).root;
}

function nxBin(cwd: string): string {
  try {
    const pkgJson = createRequire(join(cwd, 'package.json')).resolve('nx/package.json');
    const bin = (require(pkgJson) as { bin: { nx: string } }).bin.nx;
    return join(pkgJson, '..', bin);
  } catch {
    throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `nx is not installed in ${cwd}.`, { hint: 'Run the API from an Nx workspace (npm i -D nx).' });
  }
}

function runNx(cwd: string, args: string[], options: BuildOptions): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [nxBin(cwd), ...args], {
      cwd,
      // onLog gets plain text unless the caller asks for colors: Nx would set FORCE_COLOR for its tasks.
      env: { ...process.env, NX_TUI: 'false', ...(process.env.FORCE_COLOR === undefined ? { FORCE_COLOR: '0' } : {}), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const onAbort = () => {
      try {
        process.kill(process.platform === 'win32' ? child.pid! : -child.pid!, 'SIGINT');
      } catch {
        /* already gone */
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => options.onLog?.(d.toString(), 'stdout'));
    child.stderr.on('data', (d: Buffer) => options.onLog?.(d.toString(), 'stderr'));
    child.on('error', reject);
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise(code ?? 1);
    });
  });
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout }));
  });
}

/** The summary of the command that started at `since`: the newest one written after it. */
async function findSummary(cwd: string, since: number): Promise<RunSummary | undefined> {
  const dir = join(cwd, '.nx/build-system/runs');
  if (!existsSync(dir)) return undefined;
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && n !== 'latest.json').sort().reverse();
  for (const name of names) {
    const summary = await readJson<RunSummary>(join(dir, name));
    if (summary && Date.parse(summary.endTime) >= since - 1000) return summary;
    if (summary) break;
  }
  return undefined;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
