import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { missingGitignoreRules, unignoredFoldersWarning } from '../../../src/nx/gitignore';
import initGenerator from '../../../src/nx/generators/init/generator';

describe('missingGitignoreRules', () => {
  it('asks for both folders when nothing ignores them', () => {
    expect(missingGitignoreRules('')).toEqual(['.build-system/', '.nx/build-system/']);
    expect(missingGitignoreRules('node_modules\ndist\n.nx/cache\n.nx/workspace-data\n')).toEqual(['.build-system/', '.nx/build-system/']);
  });

  it('recognises equivalent spellings of each rule', () => {
    for (const results of ['.build-system', '.build-system/', '**/.build-system', '**/.build-system/', '.build-system/**']) {
      for (const nx of ['.nx', '.nx/', '/.nx', '/.nx/', '.nx/*', '.nx/**', '.nx/build-system', '/.nx/build-system/']) {
        expect(missingGitignoreRules(`${results}\r\n${nx}  \n`), `${results} + ${nx}`).toEqual([]);
      }
    }
  });

  it('does not count a root-only, commented or negated rule', () => {
    expect(missingGitignoreRules('/.build-system\n.nx\n')).toEqual(['.build-system/']);
    expect(missingGitignoreRules('# .build-system\n.nx\n')).toEqual(['.build-system/']);
    expect(missingGitignoreRules('.build-system\n!.build-system/\n.nx\n')).toEqual(['.build-system/']);
  });

  it('checks only the rules asked for', () => {
    expect(missingGitignoreRules('.build-system\n', ['.build-system/'])).toEqual([]);
  });
});

describe('init generator: .gitignore', () => {
  const run = async (gitignore?: string) => {
    const tree = createTreeWithEmptyWorkspace();
    if (gitignore === undefined) tree.delete('.gitignore');
    else tree.write('.gitignore', gitignore);
    await initGenerator(tree, { skipPackageJson: true, skipFormat: true });
    return tree;
  };

  it('creates .gitignore with both folders when there is none', async () => {
    const tree = await run(undefined);
    expect(tree.read('.gitignore', 'utf-8')).toBe('# @repo/build-system: build results per package, run summaries\n.build-system/\n.nx/build-system/\n');
  });

  it('appends only what is missing, after the existing lines', async () => {
    const tree = await run('node_modules\n/.nx\n');
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\n/.nx\n\n# @repo/build-system: build results per package, run summaries\n.build-system/\n');
    const unterminated = await run('dist');
    expect(unterminated.read('.gitignore', 'utf-8')).toMatch(/^dist\n\n# @repo\/build-system.*\n\.build-system\/\n\.nx\/build-system\/\n$/);
  });

  it('adds nothing the second time, or when equivalent lines exist', async () => {
    const tree = await run('dist\n');
    const once = tree.read('.gitignore', 'utf-8');
    await initGenerator(tree, { skipPackageJson: true, skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe(once);

    const equivalent = await run('.build-system\n.nx/\n');
    expect(equivalent.read('.gitignore', 'utf-8')).toBe('.build-system\n.nx/\n');
  });
});

describe('unignoredFoldersWarning (inference)', () => {
  const dirs: string[] = [];
  const repo = (files: Record<string, string>, git = true) => {
    const root = mkdtempSync(join(tmpdir(), 'bs-gitignore-'));
    dirs.push(root);
    if (git) execFileSync('git', ['init', '-q'], { cwd: root });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('names the folders that git would commit and the lines to add', async () => {
    const warning = await unignoredFoldersWarning(repo({ '.gitignore': 'node_modules\n' }), ['packages/ui', 'apps/web'], true);
    expect(warning).toContain('not git-ignored: packages/ui/.build-system/, apps/web/.build-system/, .nx/build-system/.');
    expect(warning).toContain('.build-system/ .nx/build-system/');
  });

  it('is silent when the root .gitignore, a nested .gitignore or .git/info/exclude ignores them', async () => {
    expect(await unignoredFoldersWarning(repo({ '.gitignore': '.build-system\n.nx\n' }), ['packages/ui'], true)).toBeUndefined();
    expect(await unignoredFoldersWarning(repo({ 'packages/.gitignore': '.build-system/\n', '.git/info/exclude': '.nx/\n' }), ['packages/ui'], true)).toBeUndefined();
  });

  it('leaves .nx/build-system alone when run summaries are off, and says nothing outside git', async () => {
    expect(await unignoredFoldersWarning(repo({ '.gitignore': '.build-system\n' }), ['packages/ui'], false)).toBeUndefined();
    const outside = repo({}, false);
    // A temp dir may sit inside some repository; only check when it does not.
    const inGit = (() => {
      try {
        execFileSync('git', ['rev-parse'], { cwd: outside, stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    if (!inGit) expect(await unignoredFoldersWarning(outside, ['packages/ui'], true)).toBeUndefined();
  });
});
