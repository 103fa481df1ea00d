import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

describe('the programmatic API, from a tooling script', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/a', '@demo/a'),
      ...libraryFiles('packages/b', '@demo/b'),
      ...libraryFiles('packages/bad', '@demo/bad', { source: `export const x = ;\n` }),
      // Uses only the documented API of the installed package.
      'tooling.mjs': `
import { build, readBuildResult, readRunSummary, listBuildable } from '@repo/build-system';
const out = {};
const ok = await build({ projects: ['@demo/a', '@demo/b'], env: { NX_DAEMON: 'false' } });
out.ok = { exitCode: ok.exitCode, tasks: ok.summary.tasks.map((t) => t.project).sort(),
  artifacts: Object.fromEntries(Object.entries(ok.results).map(([p, r]) => [p, r.artifacts])) };
const bad = await build({ projects: ['@demo/bad'], env: { NX_DAEMON: 'false' } });
out.bad = { exitCode: bad.exitCode, codes: bad.results['@demo/bad'].errors.map((e) => e.code), error: bad.results['@demo/bad'].errors[0] };
out.readA = await readBuildResult('@demo/a');
out.latest = await readRunSummary();
out.list = (await listBuildable()).map((p) => p.project);
console.log(JSON.stringify(out));
`,
    });
  });
  afterAll(() => ws?.dispose());

  it('builds two packages with artifacts and checksums, and reports a failure with its error code', async () => {
    const run = await ws.run(process.execPath, ['tooling.mjs'], { NX_DAEMON: 'false' });
    expect(run.code, run.output).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(out.ok.exitCode).toBe(0);
    expect(out.ok.tasks).toEqual(['@demo/a', '@demo/b']);
    for (const project of ['@demo/a', '@demo/b']) {
      expect(out.ok.artifacts[project].length).toBeGreaterThan(0);
      for (const a of out.ok.artifacts[project]) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(out.bad.exitCode).not.toBe(0);
    expect(out.bad.codes).toEqual(['BS_BUILD_FAILED']);
    expect(out.bad.error).toMatchObject({ file: 'packages/bad/src/index.ts', line: 1 });
    // The objects are the ones on disk.
    expect(out.readA).toEqual(ws.json('packages/a/.build-system/result.json'));
    expect(out.latest).toEqual(ws.json('.nx/build-system/runs/latest.json'));
    expect(out.list).toEqual(['@demo/a', '@demo/b', '@demo/bad']);
  });
});
