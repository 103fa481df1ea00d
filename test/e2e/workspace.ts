import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for messages that may go to either. */
  output: string;
}

export interface LiveProcess {
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  interrupt(): void;
  /** SIGTERM to nx itself (not its group), as a CI runner sends when a job is cancelled. */
  terminate(): void;
  exited: Promise<number>;
  /** Whether any process of its group (nx, its workers, builders) is still running. */
  groupAlive(): boolean;
  kill(): void;
}

export interface NxOptions {
  daemon?: boolean;
  env?: Record<string, string | undefined>;
}

/**
 * A real Nx workspace in a temp folder: npm workspaces, the plugin registered in nx.json, and a
 * node_modules whose entries link to the install made once per run by global-setup.ts.
 */
export class Workspace {
  private usedDaemon = false;

  private constructor(readonly root: string) {}

  /** A workspace in a folder that already has its own install (e.g. a real pnpm install). */
  static adopt(root: string): Workspace {
    return new Workspace(root);
  }

  static create(installDir: string, files: Record<string, string>, nxJson: Record<string, unknown> = {}, options: { bun?: boolean } = {}): Workspace {
    const root = mkdtempSync(join(tmpdir(), 'bs-e2e-ws-'));
    const ws = new Workspace(root);
    const modules = join(root, 'node_modules');
    mkdirSync(modules);
    for (const entry of readdirSync(join(installDir, 'node_modules'))) {
      // Without bun, `auto` builds with esbuild; a test opts in with { bun: true }.
      if (!options.bun && (entry === 'bun' || entry === '@oven')) continue;
      if (entry.startsWith('@')) {
        mkdirSync(join(modules, entry));
        for (const sub of readdirSync(join(installDir, 'node_modules', entry))) {
          symlinkSync(join(installDir, 'node_modules', entry, sub), join(modules, entry, sub));
        }
      } else {
        symlinkSync(join(installDir, 'node_modules', entry), join(modules, entry));
      }
    }
    if (!options.bun) rmSync(join(modules, '.bin'), { force: true });
    if (!options.bun) ws.linkBinsWithout(installDir, ['bun', 'bunx']);
    // Nx reads the lockfile for external nodes (inputs name the builder package).
    copyFileSync(join(installDir, 'package-lock.json'), join(root, 'package-lock.json'));
    ws.write('package.json', JSON.stringify({ name: 'e2e-workspace', private: true, workspaces: ['packages/*', 'apps/*'] }, null, 2));
    ws.write(
      'nx.json',
      JSON.stringify(
        {
          plugins: ['@repo/build-system/plugin'],
          namedInputs: { default: ['{projectRoot}/**/*'], production: ['default', '!{projectRoot}/**/*.test.ts'] },
          // Nx 23.3 keeps the cache of a git repository with a commit in ~/.nx/<repo id>/, shared and
          // never removed; a configured folder keeps it in the workspace, which dispose() deletes.
          cacheDirectory: '.nx/cache',
          // In a terminal Nx otherwise stops at its "share usage data?" prompt.
          analytics: false,
          ...nxJson,
        },
        null,
        2,
      ),
    );
    // Like a real workspace: outputs are ignored, so a dependency's outputs are not its dependents' inputs.
    ws.write('.gitignore', 'node_modules\n.nx\ndist\n.build-system\n');
    for (const [path, content] of Object.entries(files)) ws.write(path, content);
    return ws;
  }

  /** node_modules/.bin without the given commands (a real folder of links). */
  private linkBinsWithout(installDir: string, skip: string[]): void {
    const bin = join(this.root, 'node_modules/.bin');
    mkdirSync(bin, { recursive: true });
    for (const name of readdirSync(join(installDir, 'node_modules/.bin'))) {
      if (!skip.includes(name)) symlinkSync(join(installDir, 'node_modules/.bin', name), join(bin, name));
    }
  }

  /** Adds or removes bun (the npm package and its platform binary) in a live workspace. */
  setBun(installDir: string, present: boolean): void {
    for (const entry of ['bun', '@oven']) {
      const link = join(this.root, 'node_modules', entry);
      rmSync(link, { recursive: true, force: true });
      if (present) symlinkSync(join(installDir, 'node_modules', entry), link);
    }
    for (const name of ['bun', 'bunx']) {
      const link = join(this.root, 'node_modules/.bin', name);
      rmSync(link, { force: true });
      if (present && existsSync(join(installDir, 'node_modules/.bin', name))) symlinkSync(join(installDir, 'node_modules/.bin', name), link);
    }
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  write(rel: string, content: string): void {
    const file = this.path(rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  json<T = any>(rel: string): T {
    return JSON.parse(this.read(rel)) as T;
  }

  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }

  remove(rel: string): void {
    rmSync(this.path(rel), { recursive: true, force: true });
  }

  /** Runs the real nx CLI of the installed package. */
  nx(args: string[], options: NxOptions = {}): Promise<RunResult> {
    if (options.daemon) this.usedDaemon = true;
    return this.run(process.execPath, [this.path('node_modules/nx/dist/bin/nx.js'), ...args], {
      NX_DAEMON: options.daemon ? 'true' : 'false',
      ...options.env,
    });
  }

  /**
   * Runs nx under a pseudo-terminal (util-linux `script`), as a user's terminal would: the Nx
   * terminal UI is on and quits by itself at the end. Returns what the terminal showed, without
   * escape codes, carriage returns turned into line breaks. Killed, whole group, after `timeoutMs`.
   */
  async nxInTerminal(args: string[], options: NxOptions & { timeoutMs?: number } = {}): Promise<RunResult> {
    if (options.daemon) this.usedDaemon = true;
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const command = ['stty cols 140 rows 50;', quote(process.execPath), quote(this.path('node_modules/nx/dist/bin/nx.js')), ...args.map(quote)].join(' ');
    mkdirSync(this.path('.nx'), { recursive: true });
    const log = this.path('.nx/terminal.log');
    // Every terminal sets TERM; without it the Nx 24 terminal UI never starts drawing.
    const env = this.env({ NX_DAEMON: options.daemon ? 'true' : 'false', NX_TUI: 'true', NX_TUI_AUTO_EXIT: 'true', TERM: 'xterm-256color', ...options.env });
    const child = spawn('script', ['-qfec', command, log], { cwd: this.root, env, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.timeoutMs ?? 120_000);
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
    }).finally(() => clearTimeout(timer));
    const screen = (existsSync(log) ? readFileSync(log, 'utf8') : '')
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]/g, '')
      .replace(/\r/g, '\n');
    rmSync(log, { force: true });
    return { code, stdout: screen, stderr: '', output: screen };
  }

  /**
   * Starts nx in its own process group and returns at once: for --watch and signal tests.
   * `interrupt()` sends SIGINT to the whole group, as Ctrl+C in a terminal does.
   */
  startNx(args: string[], options: NxOptions = {}): LiveProcess {
    const child = spawn(process.execPath, [this.path('node_modules/nx/dist/bin/nx.js'), ...args], {
      cwd: this.root,
      env: this.env({ NX_DAEMON: options.daemon ? 'true' : 'false', ...options.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    return {
      output: () => output,
      async waitFor(pattern: RegExp, timeoutMs = 60_000) {
        const end = Date.now() + timeoutMs;
        while (!pattern.test(output)) {
          if (Date.now() > end) throw new Error(`Timed out waiting for ${pattern}; output so far:\n${output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      interrupt: () => process.kill(-child.pid!, 'SIGINT'),
      terminate: () => process.kill(child.pid!, 'SIGTERM'),
      exited,
      groupAlive: () => groupRunning(child.pid!),
      kill() {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      },
    };
  }

  private env(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
    const merged: NodeJS.ProcessEnv = { ...process.env, NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CLOUD: 'true', FORCE_COLOR: '0', NX_VERBOSE_LOGGING: 'false' };
    // The test runner's own CI setting must not pick the environment; tests set it explicitly.
    delete merged.CI;
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    return merged;
  }

  run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
    const merged = this.env(env);
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: this.root, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` }));
    });
  }

  async dispose(): Promise<void> {
    if (this.usedDaemon) await this.nx(['daemon', '--stop']).catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Whether a process of group `pgid` is still running. A zombie is not: it has exited and waits for
 * its parent (for an orphan, the container's init, which may reap late) to collect its status.
 */
function groupRunning(pgid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

/** A small library package: package.json, src/index.ts, build.config.ts. */
export function libraryFiles(
  dir: string,
  name: string,
  options: { type?: 'module' | 'commonjs'; config?: string; source?: string; dependencies?: Record<string, string> } = {},
): Record<string, string> {
  return {
    [`${dir}/package.json`]: JSON.stringify(
      { name, version: '1.0.0', ...(options.type === 'commonjs' ? {} : { type: 'module' }), ...(options.dependencies ? { dependencies: options.dependencies } : {}) },
      null,
      2,
    ),
    [`${dir}/src/index.ts`]: options.source ?? `export function greet(who: string): string {\n  return \`hello \${who}\`;\n}\n`,
    [`${dir}/build.config.ts`]:
      options.config ??
      `import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig({\n  entry: 'src/index.ts',\n  formats: ['esm', 'cjs'],\n  sourcemap: true,\n});\n`,
  };
}
