import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

describe('two nx processes building the same package at once', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui', {
        // A slow pre hook keeps the first build holding the lock while the second starts.
        config: `export default {\n  entry: 'src/index.ts',\n  formats: ['esm', 'cjs'],\n  hooks: { pre: ['node -e "setTimeout(() => {}, 2500)"'] },\n};\n`,
      }),
    });
  });
  afterAll(() => ws?.dispose());

  it('serializes them: the second says whom it waits for, both succeed, outputs are one clean build', async () => {
    const first = ws.nx(['run', '@demo/ui:build', '--skip-nx-cache']);
    await new Promise((r) => setTimeout(r, 1500));
    const second = ws.nx(['run', '@demo/ui:build', '--skip-nx-cache']);
    const [a, b] = await Promise.all([first, second]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    const waited = [a, b].filter((r) => r.output.includes('Waiting for another build of @demo/ui: the lock is held by pid'));
    expect(waited).toHaveLength(1);
    expect(waited[0].output).toMatch(/held by pid \d+ on .+ \(.*nx.*, since /);

    const result = ws.json('packages/ui/.build-system/result.json');
    expect(result.status).toBe('success');
    expect(result.lock.waitedMs).toBeGreaterThan(0);
    expect(result.artifacts.map((x: { path: string }) => x.path)).toEqual(['packages/ui/dist/index.cjs', 'packages/ui/dist/index.js']);
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(false);
  });
});
