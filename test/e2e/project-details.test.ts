import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

/** What `nx show project` and Nx Console's project details show for an inferred target. */
describe('project details', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      {
        ...libraryFiles('packages/ui', '@demo/ui'),
        // Stands in for @nx/js/typescript (not installed here): infers a build target for every
        // package, with technologies ['typescript'], before ours.
        'tools/ts-like-plugin.js': `const { dirname } = require('node:path');
exports.name = 'ts-like';
exports.createNodes = ['**/package.json', (files) => files.filter((f) => f !== 'package.json').map((f) => [f, {
  projects: { [dirname(f)]: { targets: { build: { command: 'tsc -b', metadata: { technologies: ['typescript'], description: 'tsc' } } } } },
}])];
`,
      },
      { plugins: ['./tools/ts-like-plugin.js', '@repo/build-system/plugin'] },
    );
  });
  afterAll(() => ws?.dispose());

  it("merged with another plugin's build target, technologies name typescript once", async () => {
    const show = await ws.nx(['show', 'project', '@demo/ui', '--json']);
    expect(show.code, show.output).toBe(0);
    const { build } = JSON.parse(show.stdout).targets;
    expect(build.executor).toBe('@repo/build-system:build');
    expect(build.metadata.technologies).toEqual(['typescript', 'build-system']);
  });

  it('generator help lists examples', async () => {
    const help = await ws.nx(['g', '@repo/build-system:configuration', '--help']);
    expect(help.code, help.output).toBe(0);
    expect(help.output).toContain('Examples:');
    expect(help.output).toContain('No prompts: esbuild, one entry');
  });
});
