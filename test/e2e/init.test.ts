import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

describe('nx g @repo/build-system:init', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), libraryFiles('packages/ui', '@demo/ui'), { plugins: [] });
  });
  afterAll(() => ws?.dispose());

  it('registers the plugin once, however often it runs, and the package then has a build target', async () => {
    const before = await ws.nx(['show', 'project', '@demo/ui', '--json']);
    expect(JSON.parse(before.stdout).targets.build).toBeUndefined();

    for (let i = 0; i < 2; i++) {
      const run = await ws.nx(['g', '@repo/build-system:init', '--skipPackageJson', '--no-interactive']);
      expect(run.code, run.output).toBe(0);
    }
    const plugins = ws.json('nx.json').plugins;
    expect(plugins.filter((p: { plugin?: string }) => p.plugin === '@repo/build-system/plugin')).toHaveLength(1);

    const after = await ws.nx(['show', 'project', '@demo/ui', '--json']);
    expect(JSON.parse(after.stdout).targets.build.executor).toBe('@repo/build-system:build');
    const build = await ws.nx(['run', '@demo/ui:build']);
    expect(build.code, build.output).toBe(0);
  });
});
