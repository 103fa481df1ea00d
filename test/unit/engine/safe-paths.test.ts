import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertSafeOutputDir, isInside, realPathOf, type OutputDirCheck } from '../../../src/engine/safe-paths';
import { BuildSystemError } from '../../../src/errors';
import { useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

describe('isInside', () => {
  it('is true for a folder below the parent', () => {
    expect(isInside(path.join(path.sep, 'ws', 'pkg'), path.join(path.sep, 'ws', 'pkg', 'dist'))).toBe(true);
  });

  it('is false for the parent itself', () => {
    expect(isInside(path.join(path.sep, 'ws', 'pkg'), path.join(path.sep, 'ws', 'pkg'))).toBe(false);
  });

  it('is true for a child whose name starts with two dots', () => {
    expect(isInside(path.join(path.sep, 'ws', 'pkg'), path.join(path.sep, 'ws', 'pkg', '..cache'))).toBe(true);
    expect(isInside(path.join(path.sep, 'ws', 'pkg'), path.join(path.sep, 'ws', 'pkg', '...', 'x'))).toBe(true);
  });

  it('is false for a sibling whose name starts with the parent name', () => {
    expect(isInside(path.join(path.sep, 'ws', 'pkg'), path.join(path.sep, 'ws', 'pkg-other', 'dist'))).toBe(false);
  });
});

describe('realPathOf', () => {
  it('resolves a symlink on the way to a path that does not exist yet', () => {
    const root = tempDir('bs-real-');
    fs.mkdirSync(path.join(root, 'target'));
    fs.symlinkSync(path.join(root, 'target'), path.join(root, 'link'), 'dir');
    expect(realPathOf(path.join(root, 'link', 'not-yet', 'file.js'))).toBe(path.join(root, 'target', 'not-yet', 'file.js'));
  });
});

describe('assertSafeOutputDir', () => {
  let workspaceRoot: string;
  let packageRoot: string;

  beforeEach(() => {
    workspaceRoot = tempDir('bs-safe-');
    packageRoot = path.join(workspaceRoot, 'packages/lib');
    writeFiles(workspaceRoot, { 'package.json': '{}', 'shared/keep.txt': 'keep' });
    writeFiles(packageRoot, {
      'package.json': '{}',
      'build.config.ts': 'export default {};\n',
      'src/index.ts': 'export {};\n',
      'nested/package.json': '{}',
    });
  });

  function check(dir: string, extra: Partial<OutputDirCheck> = {}): OutputDirCheck {
    return {
      workspaceRoot,
      packageRoot,
      dir: path.resolve(packageRoot, dir),
      label: 'outDir',
      protectedFiles: [path.join(packageRoot, 'build.config.ts'), path.join(packageRoot, 'src/index.ts')],
      ...extra,
    };
  }

  function refusal(input: OutputDirCheck): BuildSystemError {
    try {
      assertSafeOutputDir(input);
    } catch (e) {
      expect(e).toBeInstanceOf(BuildSystemError);
      expect((e as BuildSystemError).code).toBe('BS_UNSAFE_PATH');
      return e as BuildSystemError;
    }
    throw new Error(`expected ${input.dir} to be refused`);
  }

  it('accepts a dist folder inside the package', () => {
    expect(() => assertSafeOutputDir(check('dist'))).not.toThrow();
  });

  it('refuses the result folder and folders inside it, naming why', () => {
    expect(refusal(check('.build-system')).message).toContain('where this plugin keeps the lock, result and log');
    expect(refusal(check('.build-system/out')).message).toContain('.build-system');
  });

  it('accepts an output folder whose name starts with two dots', () => {
    expect(() => assertSafeOutputDir(check('..dist'))).not.toThrow();
  });

  it('accepts a nested output folder that does not exist yet', () => {
    expect(() => assertSafeOutputDir(check('build/out'))).not.toThrow();
  });

  it('refuses the workspace root', () => {
    expect(refusal(check(workspaceRoot)).message).toContain('it is the workspace root');
  });

  it('refuses the package root', () => {
    expect(refusal(check('.')).message).toContain('it is the package root');
  });

  it('refuses a folder that contains the package', () => {
    expect(refusal(check('..')).message).toContain('it contains the package');
  });

  it('refuses a folder outside the workspace', () => {
    const outside = tempDir('bs-outside-');
    expect(refusal(check(outside)).message).toContain('outside the workspace');
  });

  it('refuses a folder in the workspace but outside the package', () => {
    expect(refusal(check('../../shared')).message).toContain('outside the package');
  });

  it('refuses an output folder that is a symlink to a folder outside the package', () => {
    fs.symlinkSync(path.join(workspaceRoot, 'shared'), path.join(packageRoot, 'dist'), 'dir');
    expect(refusal(check('dist')).message).toContain('outside the package');
  });

  it('refuses a not-yet-existing folder below a symlink that leaves the package', () => {
    fs.symlinkSync(path.join(workspaceRoot, 'shared'), path.join(packageRoot, 'out'), 'dir');
    expect(refusal(check('out/dist')).message).toContain('outside the package');
  });

  it('refuses a folder holding a source entry and names the entry', () => {
    expect(refusal(check('src')).message).toContain(path.join('src', 'index.ts'));
  });

  it('refuses a folder inside node_modules', () => {
    expect(refusal(check('node_modules/.cache/out')).message).toContain('node_modules');
  });

  it('refuses a folder that holds a package.json', () => {
    expect(refusal(check('nested')).message).toContain('package.json');
  });

  it('refuses a folder that contains another project root', () => {
    writeFiles(packageRoot, { 'examples/demo/index.ts': '' });
    const error = refusal(check('examples', { projectRoots: ['packages/lib/examples/demo'] }));
    expect(error.message).toContain('packages/lib/examples/demo');
  });

  it('names the label and the package-relative folder in the message', () => {
    const error = refusal(check('src', { label: 'clean path' }));
    expect(error.message).toMatch(/^Refusing to use clean path "src"/);
    expect(error.file).toBe(path.join(packageRoot, 'src'));
  });
});
