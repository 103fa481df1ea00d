import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

describe('the CI guide in a temporary git workspace (CI=true)', () => {
  let ws: Workspace;
  const git = (...args: string[]) => ws.run('git', args, { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' });

  beforeAll(async () => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui'),
      ...libraryFiles('packages/other', '@demo/other'),
      ...libraryFiles('apps/web', '@demo/web', {
        dependencies: { '@demo/ui': '*' },
        source: `import { greet } from '@demo/ui';\nexport const page = () => greet('web');\n`,
      }),
    });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
  });
  afterAll(() => ws?.dispose());

  it('`nx affected -t build` builds only what changed and its dependents, in the ci environment', async () => {
    ws.write('packages/ui/src/index.ts', 'export const greet = (who: string) => `hey ${who}`;\n');
    await git('commit', '-q', '-am', 'change ui');
    const run = await ws.nx(['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD'], { env: { CI: 'true' } });
    expect(run.code, run.output).toBe(0);
    const summary = ws.json('.nx/build-system/runs/latest.json');
    expect(summary.tasks.map((t: { project: string }) => t.project).sort()).toEqual(['@demo/ui', '@demo/web']);
    expect(ws.exists('packages/other/.build-system/result.json')).toBe(false);
    expect(ws.json('packages/ui/.build-system/result.json').environment).toBe('ci');
  });

  it('a failing build fails the command with a non-zero exit and its code in the result', async () => {
    ws.write('packages/other/src/index.ts', 'export const x = ;\n');
    await git('commit', '-q', '-am', 'break other');
    const run = await ws.nx(['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD'], { env: { CI: 'true' } });
    expect(run.code).not.toBe(0);
    expect(ws.json('packages/other/.build-system/result.json').errors[0].code).toBe('BS_BUILD_FAILED');
  });
});
