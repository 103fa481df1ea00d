import { describe, expect, it } from 'vitest';
import { createNodes } from '../../../src/nx/plugin';
import { configSource, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

describe('inference: copied files are cache inputs', () => {
  it('adds every `copy` source of every environment to the build target inputs', async () => {
    const ws = tempDir();
    writeFiles(ws, {
      'packages/cli/package.json': '{ "name": "cli" }',
      'packages/cli/build.config.ts': configSource(
        "{ entry: 'src/index.ts', copy: ['README.md', { from: 'src/loader.cjs', to: 'index.cjs' }], environments: { production: { copy: ['assets/**'] } } }",
      ),
    });
    const configFiles = ['packages/cli/build.config.ts'];
    const context = { workspaceRoot: ws, nxJsonConfiguration: {}, configFiles } as unknown as Parameters<(typeof createNodes)[1]>[2];
    const [[, result]] = await createNodes[1](configFiles, {}, context);
    const inputs = result.projects?.['packages/cli']?.targets?.build?.inputs ?? [];
    expect(inputs).toEqual(expect.arrayContaining(['{projectRoot}/README.md', '{projectRoot}/src/loader.cjs', '{projectRoot}/assets/**']));
  });
});
