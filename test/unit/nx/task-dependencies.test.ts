import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskGraph } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dependencyIds } from '../../../src/nx/task-dependencies';
import { recordBuildTasks, takeNotRunTasks } from '../../../src/nx/task-manifest';

const task = (id: string) => ({ id, target: { project: id.split(':')[0], target: 'build' }, outputs: ['{projectRoot}/.build-system/result.json'], overrides: {} });

/** The chain a → b → c (c needs b, b needs a and a lint task), in either major's edge form. */
function chain(form: 'nx23' | 'nx24'): TaskGraph {
  const edge = (id: string) => (form === 'nx23' ? id : { id });
  return {
    roots: ['a:build', 'a:lint'],
    tasks: { 'a:build': task('a:build'), 'b:build': task('b:build'), 'c:build': task('c:build'), 'a:lint': { ...task('a:lint'), outputs: [] } },
    dependencies: { 'a:build': [], 'a:lint': [], 'b:build': [edge('a:build'), edge('a:lint')], 'c:build': [edge('b:build')] },
    continuousDependencies: {},
  } as unknown as TaskGraph;
}

describe('dependencyIds', () => {
  it('reads Nx 23 task ids and Nx 24 TaskGraphEdge objects alike', () => {
    for (const form of ['nx23', 'nx24'] as const) {
      expect(dependencyIds(chain(form), 'b:build')).toEqual(['a:build', 'a:lint']);
      expect(dependencyIds(chain(form), 'c:build')).toEqual(['b:build']);
      expect(dependencyIds(chain(form), 'a:build')).toEqual([]);
    }
  });

  it('treats a discrete edge that carries waitFor or inputs as "wait until finished" all the same', () => {
    const graph = { dependencies: { 'b:build': [{ id: 'a:build', waitFor: 'ready', inputs: false }] } } as unknown as TaskGraph;
    expect(dependencyIds(graph, 'b:build')).toEqual(['a:build']);
  });

  it('has no dependencies for a task the graph does not list', () => {
    expect(dependencyIds(chain('nx24'), 'z:build')).toEqual([]);
  });
});

describe('the task manifest', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bs-task-manifest-'));
    writeFileSync(join(root, 'nx.json'), JSON.stringify({ plugins: ['@repo/build-system/plugin'] }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  for (const form of ['nx23', 'nx24'] as const) {
    it(`names the build tasks that never reported and what blocked each (${form} task graph)`, async () => {
      const start = Date.now();
      await recordBuildTasks(root, chain(form));
      const statuses = new Map([
        ['a:build', 'failure'],
        ['a:lint', 'success'],
      ]);
      const taken = await takeNotRunTasks(root, start, new Set(['a:build']), statuses);
      expect(taken).toEqual({ notRun: ['b:build', 'c:build'], blockedBy: { 'b:build': ['a:build'], 'c:build': ['b:build'] } });
      // Used manifests are removed.
      expect(readdirSync(join(root, '.nx/build-system/runs/.pending'))).toEqual([]);
    });
  }

  it('blames a failed dependency of another target too', async () => {
    const start = Date.now();
    await recordBuildTasks(root, chain('nx24'));
    const statuses = new Map([
      ['a:build', 'success'],
      ['a:lint', 'failure'],
    ]);
    const taken = await takeNotRunTasks(root, start, new Set(['a:build']), statuses);
    expect(taken.blockedBy).toEqual({ 'b:build': ['a:lint'], 'c:build': ['b:build'] });
  });

  it('ignores a manifest written before the command started', async () => {
    await recordBuildTasks(root, chain('nx24'));
    const taken = await takeNotRunTasks(root, Date.now() + 1000, new Set(['a:build']), new Map());
    expect(taken).toEqual({ notRun: [], blockedBy: {} });
  });
});
