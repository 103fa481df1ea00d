import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

const config = (object: string) => `import { defineBuildConfig } from '@repo/build-system';\n\nexport default defineBuildConfig(${object});\n`;

/** What `nx show project` and Nx Console's project details show for an inferred target. */
describe('project details', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      {
        ...libraryFiles('packages/ui', '@demo/ui'),
        ...libraryFiles('packages/typed', '@demo/typed', { config: config("{ builder: 'esbuild', dts: true }") }),
        ...libraryFiles('packages/rolled', '@demo/rolled', { config: config("{ builder: 'rollup' }") }),
        ...libraryFiles('packages/rolleddown', '@demo/rolleddown', { config: config("{ builder: 'rolldown' }") }),
        ...libraryFiles('packages/adapted', '@demo/adapted', { config: config("{ builder: { module: 'example-transpile-adapter' } }") }),
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

  it('names every tool a build runs as an external dependency, when the lockfile pins it', async () => {
    const external = async (project: string) => {
      const show = await ws.nx(['show', 'project', project, '--json']);
      expect(show.code, show.output).toBe(0);
      const inputs = JSON.parse(show.stdout).targets.build.inputs as Array<{ externalDependencies?: string[] }>;
      // This workspace's lockfile pins what the e2e install holds (not the plugin, installed from its tarball).
      return inputs.find((i) => i.externalDependencies)?.externalDependencies ?? [];
    };

    // dts: true runs TypeScript, or oxc-transform when the tsconfig sets isolatedDeclarations; the
    // native preview is not installed, so it is not named.
    expect(await external('@demo/typed')).toEqual(['esbuild', 'typescript', 'oxc-transform']);
    // rollup compiles TypeScript with esbuild's transform.
    expect(await external('@demo/rolled')).toEqual(['rollup', 'esbuild']);
    // rolldown compiles TypeScript itself.
    expect(await external('@demo/rolleddown')).toEqual(['rolldown']);
    // An adapter the lockfile does not pin would fail every hash: it is left out.
    expect(await external('@demo/adapted')).toEqual([]);
  });

  it('generator help lists examples', async () => {
    const help = await ws.nx(['g', '@repo/build-system:configuration', '--help']);
    expect(help.code, help.output).toBe(0);
    expect(help.output).toContain('Examples:');
    expect(help.output).toContain('No prompts: esbuild, one entry');
  });
});
