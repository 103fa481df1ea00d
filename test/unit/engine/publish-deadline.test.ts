import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../../src/engine/publish/deadline';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

describe('withDeadline', () => {
  it('fires after a garbage collection (AbortSignal.any over AbortSignal.timeout does not on Node 20)', () => {
    const dir = tempDir();
    const bundle = path.join(dir, 'deadline.cjs');
    buildSync({ entryPoints: [path.resolve(__dirname, '../../../src/engine/publish/deadline.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    // Nothing but the listener keeps the deadline reachable, as in a fetch waiting on a stalled server.
    const script = `
      const { withDeadline } = require(${JSON.stringify(bundle)});
      const t0 = Date.now();
      withDeadline(new AbortController().signal, 200).signal.addEventListener('abort', (e) => {
        console.log('aborted ' + e.target.reason.name);
        process.exit(0);
      });
      const collect = setInterval(() => globalThis.gc(), 20);
      setTimeout(() => { console.log('never aborted'); process.exit(1); }, 3000);
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('aborted TimeoutError');
  });

  it('follows its parent, says whether the time ran out, and stops its timer on dispose', async () => {
    const parent = new AbortController();
    const d = withDeadline(parent.signal, 10_000);
    parent.abort(new Error('cancelled'));
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut()).toBe(false);
    expect((d.signal.reason as Error).message).toBe('cancelled');
    d.dispose();

    const t = withDeadline(new AbortController().signal, 20);
    await new Promise((r) => setTimeout(r, 60));
    expect(t.timedOut()).toBe(true);
    t.dispose();

    const disposed = withDeadline(new AbortController().signal, 20);
    disposed.dispose();
    await new Promise((r) => setTimeout(r, 60));
    expect(disposed.signal.aborted).toBe(false);
  });
});
