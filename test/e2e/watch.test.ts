import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace, type LiveProcess } from './workspace';

describe('nx run <pkg>:build --watch', () => {
  let ws: Workspace;
  let live: LiveProcess | undefined;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), libraryFiles('packages/ui', '@demo/ui'));
  });
  afterAll(async () => {
    live?.kill();
    await ws?.dispose();
  });

  it('rebuilds on change with a fresh result, survives an error, and Ctrl+C leaves nothing running', async () => {
    live = ws.startNx(['run', '@demo/ui:build', '--watch']);
    await live.waitFor(/Watching packages\/ui for changes/);
    const firstId = ws.json('packages/ui/.build-system/result.json').id;

    ws.write('packages/ui/src/index.ts', `export function greet(who: string) {\n  return 'hi ' + who +;\n}\n`);
    await live.waitFor(/✖ @demo\/ui failed \(BS_BUILD_FAILED\)/);
    expect(live.output()).toMatch(/packages\/ui\/src\/index\.ts:2:\d+/);
    expect(ws.json('packages/ui/.build-system/result.json').status).toBe('failure');

    ws.write('packages/ui/src/index.ts', `export function greet(who: string) {\n  return 'bye ' + who;\n}\n`);
    await live.waitFor(/✔ @demo\/ui built[\s\S]*✖ @demo\/ui failed[\s\S]*✔ @demo\/ui built/);
    // Watch output is never cached and replayed, so it says how long each build took.
    expect(live.output()).toMatch(/✔ @demo\/ui built with esbuild \S+ \(development\) in \d+ ms\n/);
    const result = ws.json('packages/ui/.build-system/result.json');
    expect(result.status).toBe('success');
    expect(result.id).not.toBe(firstId);
    expect(ws.read('packages/ui/dist/index.js')).toContain('bye');

    live.interrupt();
    await live.exited;
    // Give stragglers (batch worker, esbuild service) a moment, then nothing may be left.
    await new Promise((r) => setTimeout(r, 1000));
    expect(live.groupAlive()).toBe(false);
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(false);
  });
});
