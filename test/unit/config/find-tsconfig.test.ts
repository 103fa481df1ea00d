import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTsconfig, isSolutionTsconfig } from '../../../src/config/find-tsconfig';
import { useTempDirs, writeFiles } from '../helpers/workspace';

/** Which tsconfig builds a package when build.config.ts names none (the way Nx picks it). */
const tempDir = useTempDirs();

const SOLUTION = '{\n  // what create-nx-workspace --preset=ts writes\n  "extends": "../../tsconfig.base.json",\n  "files": [],\n  "include": [],\n  "references": [{ "path": "./tsconfig.lib.json" }, { "path": "./tsconfig.spec.json" },],\n}\n';

describe('findTsconfig', () => {
  it("uses the package's tsconfig.json when it compiles something", () => {
    const dir = tempDir();
    writeFiles(dir, { 'tsconfig.json': '{ "include": ["src"] }', 'tsconfig.lib.json': '{}' });
    expect(findTsconfig(dir)).toEqual({ file: 'tsconfig.json', reason: 'tsconfig' });
  });

  it('uses tsconfig.lib.json, then tsconfig.build.json, beside a solution tsconfig.json (comments and trailing commas read)', () => {
    const dir = tempDir();
    writeFiles(dir, { 'tsconfig.json': SOLUTION, 'tsconfig.lib.json': '{}', 'tsconfig.build.json': '{}' });
    expect(findTsconfig(dir)).toEqual({ file: 'tsconfig.lib.json', reason: 'solution' });

    const other = tempDir();
    writeFiles(other, { 'tsconfig.json': SOLUTION, 'tsconfig.build.json': '{}' });
    expect(findTsconfig(other)).toEqual({ file: 'tsconfig.build.json', reason: 'solution' });
  });

  it('keeps a solution tsconfig.json with no build tsconfig beside it, and says so', () => {
    const dir = tempDir();
    writeFiles(dir, { 'tsconfig.json': SOLUTION, 'tsconfig.spec.json': '{}' });
    expect(findTsconfig(dir)).toEqual({ file: 'tsconfig.json', reason: 'solution-only' });
  });

  it('uses a build tsconfig when there is no tsconfig.json, and nothing when there is none', () => {
    const dir = tempDir();
    writeFiles(dir, { 'tsconfig.build.json': '{}' });
    expect(findTsconfig(dir)).toEqual({ file: 'tsconfig.build.json', reason: 'no-tsconfig-json' });
    expect(findTsconfig(tempDir())).toBeUndefined();
  });

  it("reads through the reader it is given (a generator's Tree), with a relative package root", () => {
    const files: Record<string, string> = { 'libs/a/tsconfig.json': SOLUTION, 'libs/a/tsconfig.lib.json': '{}' };
    const read = (file: string) => files[file.split(path.sep).join('/')];
    expect(findTsconfig('libs/a', read)).toEqual({ file: 'tsconfig.lib.json', reason: 'solution' });
  });
});

describe('isSolutionTsconfig', () => {
  it('is a tsconfig that lists references and compiles nothing itself', () => {
    expect(isSolutionTsconfig({ files: [], references: [{ path: './a' }] })).toBe(true);
    expect(isSolutionTsconfig({ files: [], include: [], references: [{ path: './a' }] })).toBe(true);
    expect(isSolutionTsconfig({ include: [], references: [{ path: './a' }] })).toBe(true);
    expect(isSolutionTsconfig({ files: [], include: ['src'], references: [{ path: './a' }] })).toBe(false);
    expect(isSolutionTsconfig({ files: [], references: [] })).toBe(false);
    expect(isSolutionTsconfig({ references: [{ path: './a' }] })).toBe(false);
    expect(isSolutionTsconfig(undefined)).toBe(false);
  });
});
