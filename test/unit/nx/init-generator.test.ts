import { createTree, createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { writeJson } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import initGenerator from '../../../src/nx/generators/init/generator';

describe('init generator: registration', () => {
  it('creates nx.json when the workspace has only package.json, with the plugin registered', async () => {
    const tree = createTree();
    writeJson(tree, 'package.json', { name: 'w', private: true });
    await initGenerator(tree, { skipPackageJson: true, skipFormat: true });
    expect(JSON.parse(tree.read('nx.json', 'utf-8')!).plugins).toEqual([
      { plugin: '@repo/build-system/plugin', options: { buildTargetName: 'build', cleanTargetName: 'clean' } },
    ]);
  });

  it('counts the package root as registered and adds no second entry', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const nxJson = JSON.parse(tree.read('nx.json', 'utf-8')!);
    writeJson(tree, 'nx.json', { ...nxJson, plugins: ['@repo/build-system'] });
    await initGenerator(tree, { skipPackageJson: true, skipFormat: true });
    expect(JSON.parse(tree.read('nx.json', 'utf-8')!).plugins).toEqual(['@repo/build-system']);
  });
});
