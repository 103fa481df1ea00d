import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

/** path → sha256 of every file under dir (relative paths). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[p.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

// Appends "start"/"end" with the time, so tests can check that builds never overlap.
const mark = (file: string, what: string) => `node -e "require('fs').appendFileSync('${file}', '${what} ' + Date.now() + '\\\\n')"`;
const sleep = (ms: number) => `node -e "setTimeout(() => {}, ${ms})"`;

describe('bad output paths never delete anything outside the output folder', () => {
  let ws: Workspace;
  // Named now (the configs embed the path), created in beforeAll: a filtered-out run leaves nothing behind.
  const outside = join(tmpdir(), `bs-outside-${process.pid}-${Date.now()}`);
  const cases: Record<string, string> = {
    empty: "''",
    dot: "'.'",
    root: "'/'",
    parent: "'..'",
    sibling: "'../victim'",
    outside: JSON.stringify(outside),
    symlink: "'link-out'",
    sources: "'src'",
  };

  beforeAll(() => {
    const files: Record<string, string> = {
      ...libraryFiles('packages/victim', '@demo/victim'),
      'packages/victim/canary.txt': 'victim canary\n',
    };
    for (const [name, outDir] of Object.entries(cases)) {
      Object.assign(files, libraryFiles(`packages/${name}`, `@demo/${name}`, { config: `export default { entry: 'src/index.ts', outDir: ${outDir} };\n` }));
      files[`packages/${name}/canary.txt`] = `${name} canary\n`;
    }
    ws = Workspace.create(inject('installDir'), files);
    mkdirSync(outside);
    writeFileSync(join(outside, 'canary.txt'), 'outside canary\n');
    mkdirSync(join(outside, 'linked'));
    writeFileSync(join(outside, 'linked/canary.txt'), 'linked canary\n');
    symlinkSync(join(outside, 'linked'), ws.path('packages/symlink/link-out'));
    ws.write('canary.txt', 'workspace canary\n');
  });
  afterAll(async () => {
    await ws?.dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses each with BS_UNSAFE_PATH, before building, and every canary survives byte for byte', async () => {
    const before = { ws: snapshot(ws.root + '/packages'), outside: snapshot(outside), root: ws.read('canary.txt') };
    const projects = Object.keys(cases).map((c) => `@demo/${c}`);
    const run = await ws.nx(['run-many', '-t', 'build', '--clean', '-p', projects.join(',')]);
    expect(run.code).not.toBe(0);
    for (const name of Object.keys(cases)) {
      const result = ws.json(`packages/${name}/.build-system/result.json`);
      expect(result.status, name).toBe('failure');
      expect(result.errors.map((e: { code: string }) => e.code), name).toEqual(['BS_UNSAFE_PATH']);
    }
    const after = snapshot(ws.root + '/packages');
    for (const [file, hash] of Object.entries(before.ws)) {
      if (file.includes('.build-system/')) continue;
      expect(after[file], file).toBe(hash);
    }
    expect(snapshot(outside)).toEqual(before.outside);
    expect(ws.read('canary.txt')).toBe(before.root);
  });
});

describe('concurrency', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui', {
        config: `export default {\n  entry: 'src/index.ts',\n  formats: ['esm', 'cjs'],\n  sourcemap: true,\n  hooks: { pre: [${JSON.stringify(mark('../../ui.log', 'start'))}, ${JSON.stringify(sleep(300))}], post: [${JSON.stringify(mark('../../ui.log', 'end'))}] },\n};\n`,
      }),
      ...['a', 'b'].reduce(
        (acc, p) =>
          Object.assign(
            acc,
            libraryFiles(`packages/${p}`, `@demo/${p}`, {
              config: `export default {\n  entry: 'src/index.ts',\n  hooks: { pre: [${JSON.stringify(mark(`../../${p}.log`, 'start'))}, ${JSON.stringify(sleep(3000))}], post: [${JSON.stringify(mark(`../../${p}.log`, 'end'))}] },\n};\n`,
            }),
          ),
        {} as Record<string, string>,
      ),
    });
  });
  afterAll(() => ws?.dispose());

  const intervals = (log: string) => {
    const lines = ws.read(log).trim().split('\n').map((l) => l.split(' '));
    const out: Array<[number, number]> = [];
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i][0]).toBe('start');
      expect(lines[i + 1]?.[0]).toBe('end');
      out.push([Number(lines[i][1]), Number(lines[i + 1][1])]);
    }
    return out;
  };

  for (const n of [2, 8]) {
    it(`${n} processes on one package: build intervals never overlap and the outputs equal one clean build`, async () => {
      ws.remove('ui.log');
      const reference = await ws.nx(['run', '@demo/ui:build', '--skip-nx-cache']);
      expect(reference.code, reference.output).toBe(0);
      const expected = snapshot(ws.path('packages/ui/dist'));
      ws.remove('ui.log');

      const runs = await Promise.all(Array.from({ length: n }, () => ws.nx(['run', '@demo/ui:build', '--skip-nx-cache'])));
      for (const r of runs) expect(r.code, r.output).toBe(0);
      const spans = intervals('ui.log');
      expect(spans).toHaveLength(n);
      // Start/end lines alternate (checked above): no build started while another ran.
      expect(runs.filter((r) => r.output.includes('Waiting for another build of @demo/ui')).length).toBeGreaterThanOrEqual(1);
      expect(snapshot(ws.path('packages/ui/dist'))).toEqual(expected);
      expect(ws.json('packages/ui/.build-system/result.json').status).toBe('success');
    });
  }

  it('different packages never wait for each other', async () => {
    const [a, b] = await Promise.all([ws.nx(['run', '@demo/a:build', '--skip-nx-cache']), ws.nx(['run', '@demo/b:build', '--skip-nx-cache'])]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    const [[aStart, aEnd]] = intervals('a.log');
    const [[bStart, bEnd]] = intervals('b.log');
    // Each holds its own lock through a 3 s hook: the two builds overlap in time.
    expect(aStart).toBeLessThan(bEnd);
    expect(bStart).toBeLessThan(aEnd);
    for (const r of [a, b]) expect(r.output).not.toContain('Waiting for another build');
  });
});

describe('interrupted and killed builds', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui', {
        // STUBBORN: the hook also starts a grandchild that ignores SIGTERM (named by its sleep time).
        config: `export default {\n  entry: 'src/index.ts',\n  hooks: { pre: [process.env.STUBBORN ? \`(trap '' TERM; exec sleep \${process.env.STUBBORN}) & ${sleep(20000).replace(/"/g, '\\"')}\` : process.env.SLOW ? ${JSON.stringify(sleep(20000))} : 'node -e 0'] },\n};\n`,
      }),
    });
  });
  afterAll(() => ws?.dispose());

  it('Ctrl+C mid-build stops everything, keeps the previous outputs and leaves no lock and no new success', async () => {
    const good = await ws.nx(['run', '@demo/ui:build']);
    expect(good.code, good.output).toBe(0);
    const outputs = snapshot(ws.path('packages/ui/dist'));
    const previous = ws.read('packages/ui/.build-system/result.json');

    ws.write('packages/ui/src/index.ts', 'export const changed = true;\n');
    const live = ws.startNx(['run', '@demo/ui:build'], { env: { SLOW: '1' } });
    await live.waitFor(/pre hook/);
    live.interrupt();
    const code = await live.exited;
    expect(code).not.toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(live.groupAlive()).toBe(false);
    expect(snapshot(ws.path('packages/ui/dist'))).toEqual(outputs);
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(false);
    // Either the cancelled build recorded its failure, or it died first and the old result stands.
    const result = ws.read('packages/ui/.build-system/result.json');
    if (result !== previous) expect(JSON.parse(result).status).toBe('failure');
  });

  it('SIGTERM (a CI cancel) stops grandchildren that ignore SIGTERM, and leaves no lock and no staging folder', async () => {
    const marker = 1000 + Math.floor(Math.random() * 8000);
    ws.write('packages/ui/src/index.ts', 'export const cancelled = true;\n');
    const live = ws.startNx(['run', '@demo/ui:build', '--skip-nx-cache'], { env: { SLOW: '1', STUBBORN: String(marker) } });
    await live.waitFor(/pre hook/);
    await new Promise((r) => setTimeout(r, 500));
    const stubborn = () =>
      execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.trim().endsWith(`sleep ${marker}`) && !l.trim().startsWith('Z'));
    expect(stubborn()).toHaveLength(1);
    live.terminate();
    await live.exited;
    await new Promise((r) => setTimeout(r, 1000));
    expect(stubborn()).toEqual([]);
    expect(live.groupAlive()).toBe(false);
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(false);
    expect(readdirSync(ws.path('packages/ui')).filter((n) => n.includes('.staging-'))).toEqual([]);
  });

  it('after SIGKILL the next build reclaims the lock and says so', async () => {
    const live = ws.startNx(['run', '@demo/ui:build', '--skip-nx-cache'], { env: { SLOW: '1' } });
    await live.waitFor(/pre hook/);
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(true);
    live.kill();
    await live.exited;
    await new Promise((r) => setTimeout(r, 500));
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(true);

    const next = await ws.nx(['run', '@demo/ui:build', '--skip-nx-cache']);
    expect(next.code, next.output).toBe(0);
    expect(next.output).toMatch(/Took over the lock left by pid \d+/);
    expect(ws.exists('packages/ui/.build-system/lock')).toBe(false);
  });

  it('a lock whose pid now belongs to another process is taken over at once', async () => {
    // This test runner's pid is alive, but it did not start at the recorded time: a reused pid.
    ws.write(
      'packages/ui/.build-system/lock',
      JSON.stringify({ pid: process.pid, processStart: 1, host: (await import('node:os')).hostname(), command: 'old build', startedAt: '2020-01-01T00:00:00.000Z', token: 'old' }),
    );
    const run = await ws.nx(['run', '@demo/ui:build', '--skip-nx-cache']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Took over the lock left by pid ${process.pid}`);
  });
});

describe('hooks, env and hostile file systems', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/hookfail', '@demo/hookfail', { config: `export default { entry: 'src/index.ts', hooks: { pre: ['node -e "process.exit(3)"'] } };\n` }),
      ...libraryFiles('packages/hookhang', '@demo/hookhang', {
        config: `export default { entry: 'src/index.ts', hooks: { pre: [{ name: 'hangs', command: ${JSON.stringify(sleep(60000))}, timeoutMs: 1000 }] } };\n`,
      }),
      ...libraryFiles('packages/env', '@demo/env', { config: `export default { entry: 'src/index.ts', env: { required: ['DEPLOY_TOKEN', 'API_URL'] } };\n` }),
      ...libraryFiles('packages/readonly', '@demo/readonly'),
      ...libraryFiles('packages/ünï côdé/with space', '@demo/unicode'),
    });
  });
  afterAll(() => ws?.dispose());

  it('a failing pre hook stops the build with BS_HOOK_FAILED and its exit code recorded', async () => {
    const run = await ws.nx(['run', '@demo/hookfail:build']);
    expect(run.code).not.toBe(0);
    const result = ws.json('packages/hookfail/.build-system/result.json');
    expect(result.errors[0].code).toBe('BS_HOOK_FAILED');
    expect(result.hooks).toEqual([expect.objectContaining({ phase: 'pre', exitCode: 3 })]);
    expect(ws.exists('packages/hookfail/dist')).toBe(false);
  });

  it('a hanging hook is killed at its timeout', async () => {
    const run = await ws.nx(['run', '@demo/hookhang:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('pre hook "hangs" timed out after 1000 ms');
  });

  it('missing env vars are named, and no env value reaches the result or the log', async () => {
    const secret = 'sk-live-do-not-print-0123456789';
    const run = await ws.nx(['run', '@demo/env:build'], { env: { DEPLOY_TOKEN: secret } });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_ENV_MISSING');
    expect(run.output).toContain('API_URL');
    expect(run.output).not.toContain('DEPLOY_TOKEN,');
    const ok = await ws.nx(['run', '@demo/env:build'], { env: { DEPLOY_TOKEN: secret, API_URL: 'https://api.example.test' } });
    expect(ok.code, ok.output).toBe(0);
    for (const out of [run.output, ok.output, ws.read('packages/env/.build-system/result.json'), ws.read('packages/env/.build-system/build.log')]) {
      expect(out).not.toContain(secret);
    }
  });

  it('an output folder that cannot be replaced fails the build and keeps the previous outputs', async () => {
    const good = await ws.nx(['run', '@demo/readonly:build']);
    expect(good.code, good.output).toBe(0);
    const before = snapshot(ws.path('packages/readonly/dist'));
    ws.write('packages/readonly/src/index.ts', 'export const v = 2;\n');
    // Root ignores permission bits; the immutable flag stops even root from renaming the folder.
    execFileSync('chattr', ['+i', ws.path('packages/readonly/dist')]);
    try {
      const run = await ws.nx(['run', '@demo/readonly:build']);
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('BS_IO_FAILED');
      expect(ws.json('packages/readonly/.build-system/result.json').status).toBe('failure');
    } finally {
      execFileSync('chattr', ['-i', ws.path('packages/readonly/dist')]);
    }
    expect(snapshot(ws.path('packages/readonly/dist'))).toEqual(before);
    expect(readdirSync(ws.path('packages/readonly')).filter((n) => n.includes('staging') || n.includes('.old-'))).toEqual([]);
  });

  it('unicode and spaces in paths build and are reported exactly', async () => {
    const run = await ws.nx(['run', '@demo/unicode:build']);
    expect(run.code, run.output).toBe(0);
    const result = ws.json('packages/ünï côdé/with space/.build-system/result.json');
    expect(result.artifacts.map((a: { path: string }) => a.path)).toEqual([
      'packages/ünï côdé/with space/dist/index.cjs',
      'packages/ünï côdé/with space/dist/index.cjs.map',
      'packages/ünï côdé/with space/dist/index.js',
      'packages/ünï côdé/with space/dist/index.js.map',
    ]);
    expect(statSync(ws.path(result.artifacts[2].path)).size).toBe(result.artifacts[2].size);
  });
});
