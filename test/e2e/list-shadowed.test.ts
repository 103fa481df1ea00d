import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

/**
 * Real packages have a "build" npm script; Nx's package.json inference then makes the inferred
 * target run that script (nx:run-script), silently. `build-system list` must say so, not omit it.
 */
describe('build-system list with a package whose "build" npm script shadows the inferred target', () => {
  let ws: Workspace;

  beforeAll(() => {
    const legacy = libraryFiles('packages/legacy', '@demo/legacy');
    const pkg = JSON.parse(legacy['packages/legacy/package.json']);
    legacy['packages/legacy/package.json'] = JSON.stringify({ ...pkg, scripts: { build: 'tsc -p tsconfig.json' } }, null, 2);
    ws = Workspace.create(inject('installDir'), { ...libraryFiles('packages/ui', '@demo/ui'), ...legacy });
  });
  afterAll(() => ws?.dispose());

  it('lists it as shadowed, names the script, and keeps listing the others', async () => {
    const shown = await ws.nx(['show', 'project', '@demo/legacy', '--json']);
    expect(JSON.parse(shown.stdout).targets.build.executor).toBe('nx:run-script');

    const cli = 'node_modules/@repo/build-system/dist/cli.js';
    const json = await ws.run(process.execPath, [cli, 'list', '--json'], { NX_DAEMON: 'false' });
    expect(json.code, json.output).toBe(0);
    const projects = JSON.parse(json.stdout);
    expect(projects.map((p: { project: string }) => p.project)).toEqual(['@demo/legacy', '@demo/ui']);
    expect(projects[0]).toMatchObject({ targetName: 'build', configFile: 'packages/legacy/build.config.ts', shadowedBy: { executor: 'nx:run-script', script: 'build' } });
    expect(projects[1].shadowedBy).toBeUndefined();

    const table = await ws.run(process.execPath, [cli, 'list'], { NX_DAEMON: 'false' });
    expect(table.stdout).toContain('@demo/legacy  (packages/legacy): NOT BUILT BY THIS PLUGIN, target build is nx:run-script (the npm script "build")');
  });
});
