import { addProjectConfiguration } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import configurationGenerator from '../../../src/nx/generators/configuration/generator';

describe('configuration generator: entry', () => {
  const generate = async (entry: string) => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'ui', { root: 'packages/ui' });
    tree.write('packages/ui/src/main.ts', 'export {};\n');
    await configurationGenerator(tree, { project: 'ui', entry, skipPackageJson: true, skipFormat: true });
    return tree.read('packages/ui/build.config.ts', 'utf-8');
  };

  it('takes a path relative to the project root', async () => {
    expect(await generate('src/main.ts')).toContain("entry: 'src/main.ts'");
  });

  it('takes a workspace-relative path inside the project, as Nx Console file completion gives', async () => {
    expect(await generate('packages/ui/src/main.ts')).toContain("entry: 'src/main.ts'");
  });
});
