import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runBuild, type BuildRequest } from '../../../src/engine/run-build';
import type { BuildResult } from '../../../src/result/schema';

/**
 * Temp folders for one test file, removed after each test. Paths are real (symlinks resolved), so
 * they compare equal to what the code under test reports when the OS temp dir is a symlink.
 */
export function useTempDirs(): (prefix?: string) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (prefix = 'bs-unit-') => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    dirs.push(dir);
    return dir;
  };
}

/** Writes each `relative path → contents` under root, creating folders. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, contents] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
}

/** A build.config.ts whose default export is `defineBuildConfig(<object source>)`. */
export function configSource(objectSource: string): string {
  return `import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig(${objectSource});\n`;
}

export const GREET_SOURCE = 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n';

export interface TestWorkspace {
  /** Workspace root (absolute, real). */
  root: string;
  /** The package folder, `<root>/packages/lib`. */
  pkg: string;
  /** Workspace-relative package folder. */
  pkgRel: string;
}

/**
 * A workspace with one package at packages/lib: package.json (ESM unless told otherwise),
 * src/index.ts exporting greet(), and build.config.ts from `config`. `files` adds or replaces
 * package-relative files.
 */
export function createWorkspace(
  makeDir: (prefix?: string) => string,
  options: { config?: string; type?: 'module' | 'commonjs'; packageJson?: Record<string, unknown>; files?: Record<string, string> } = {},
): TestWorkspace {
  const root = makeDir('bs-ws-');
  const pkgRel = 'packages/lib';
  const pkg = path.join(root, pkgRel);
  writeFiles(root, { 'package.json': JSON.stringify({ name: 'workspace', private: true }, null, 2) });
  writeFiles(pkg, {
    'package.json': JSON.stringify({ name: 'lib', version: '1.0.0', ...(options.type === 'commonjs' ? {} : { type: 'module' }), ...options.packageJson }, null, 2),
    'src/index.ts': GREET_SOURCE,
    'build.config.ts': configSource(options.config ?? '{}'),
    ...options.files,
  });
  return { root, pkg, pkgRel };
}

/** The environment every engine test builds with: no CI, so the environment is development. */
export const TEST_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' };

export function buildPackage(ws: TestWorkspace, request: Partial<BuildRequest> = {}): Promise<BuildResult> {
  return runBuild({ project: 'lib', workspaceRoot: ws.root, packageRoot: ws.pkgRel, env: TEST_ENV, ...request });
}

/**
 * Every file and folder under dir (relative path → contents; a symlink → its target, not
 * followed), for byte-for-byte comparisons. `skip` leaves out folders (relative paths) the comparison ignores.
 */
export function snapshotTree(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (skip.includes(rel)) continue;
      if (entry.isSymbolicLink()) {
        out.set(rel, `symlink -> ${fs.readlinkSync(full)}`);
      } else if (entry.isDirectory()) {
        out.set(`${rel}/`, 'directory');
        walk(full);
      } else {
        out.set(rel, fs.readFileSync(full).toString('base64'));
      }
    }
  };
  walk(dir);
  return out;
}

export function readResultFile(ws: TestWorkspace): unknown {
  return JSON.parse(fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8'));
}

export function readBuildLog(ws: TestWorkspace): string {
  return fs.readFileSync(path.join(ws.pkg, '.build-system/build.log'), 'utf8');
}
