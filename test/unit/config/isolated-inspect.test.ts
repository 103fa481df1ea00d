import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/workspace';

// The compiled module: the worker thread runs dist/config/inspect-worker.js (`npm ci` builds dist).
const dist = (m: string) => require(path.resolve(__dirname, '../../../dist', m));
const { ConfigInspector } = dist('config/isolated-inspect.js') as typeof import('../../../src/config/isolated-inspect');
const { runBuild } = dist('engine/run-build.js') as typeof import('../../../src/engine/run-build');

const tempDir = useTempDirs();

function configIn(dir: string, body: string, name = 'build.config.ts'): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/index.ts'), 'export const x = 1;\n');
  fs.writeFileSync(file, `import { defineBuildConfig } from '@repo/build-system';\n${body}\n`);
  return file;
}

const OK = 'export default defineBuildConfig({ outDir: "out" });';

describe('ConfigInspector: a config is user code, bounded and contained', () => {
  it.runIf(process.platform === 'linux')('leaves no unreaped process behind: configs are compiled in the asking thread, only evaluated in the worker', async () => {
    // A process a worker thread starts (esbuild's service) is never reaped once the thread ends,
    // and Nx waits for such zombies when it stops a batch process (leave-no-children.ts).
    const children = () =>
      fs.readdirSync('/proc/self/task').flatMap((tid) => {
        try {
          return fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean);
        } catch {
          return [];
        }
      });
    const state = (pid: string) => {
      try {
        return /\) (\S)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
      } catch {
        return undefined;
      }
    };
    const before = new Set(children());
    const inspector = new ConfigInspector(5000);
    expect((await inspector.inspect(configIn(tempDir(), OK), 'a/build.config.ts')).outDirs).toEqual(['out']);
    await inspector.close();
    await new Promise((r) => setTimeout(r, 300));
    const zombies = children().filter((pid) => !before.has(pid) && state(pid) === 'Z');
    expect(zombies).toEqual([]);
  });

  it('stops a config that never returns after the timeout, then evaluates the next one in a fresh thread', async () => {
    const inspector = new ConfigInspector(1000);
    const hanging = configIn(tempDir(), 'for (;;) {}\nexport default defineBuildConfig({});');
    const ok = configIn(tempDir(), OK);
    try {
      const t0 = performance.now();
      const error = await inspector.inspect(hanging, 'a/build.config.ts').catch((e) => e);
      expect(error).toMatchObject({ code: 'BS_CONFIG_TIMEOUT', file: hanging });
      expect(error.message).toContain('did not finish within 1000 ms');
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect((await inspector.inspect(ok, 'b/build.config.ts')).outDirs).toEqual(['out']);
    } finally {
      await inspector.close();
    }
  });

  it('stops a long synchronous wait the same way', async () => {
    const inspector = new ConfigInspector(800);
    const waiting = configIn(tempDir(), 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);\nexport default defineBuildConfig({});');
    try {
      expect(await inspector.inspect(waiting, 'w/build.config.ts').catch((e) => e)).toMatchObject({ code: 'BS_CONFIG_TIMEOUT' });
    } finally {
      await inspector.close();
    }
  });

  it.each([0, 1, 3])('turns process.exit(%i) into that config’s error; this process lives on', async (code) => {
    const inspector = new ConfigInspector(10_000);
    try {
      const exiting = configIn(tempDir(), `process.exit(${code});\nexport default defineBuildConfig({});`);
      const error = await inspector.inspect(exiting, 'x/build.config.ts').catch((e) => e);
      expect(error).toMatchObject({ code: 'BS_CONFIG_LOAD_FAILED' });
      expect(error.message).toContain(`called process.exit(${code})`);
      expect((await inspector.inspect(configIn(tempDir(), OK), 'ok/build.config.ts')).outDirs).toEqual(['out']);
    } finally {
      await inspector.close();
    }
  });

  it('keeps the error of a config that throws, with its code, and of one with a syntax error', async () => {
    const inspector = new ConfigInspector(10_000);
    try {
      const throwing = configIn(tempDir(), 'throw new Error("no license");\nexport default {};');
      expect(await inspector.inspect(throwing, 't/build.config.ts').catch((e) => e)).toMatchObject({ code: 'BS_CONFIG_LOAD_FAILED', message: expect.stringContaining('no license') });
      const broken = configIn(tempDir(), 'export default defineBuildConfig({ outDir: });');
      expect(await inspector.inspect(broken, 's/build.config.ts').catch((e) => e)).toMatchObject({ code: 'BS_CONFIG_SYNTAX', line: expect.any(Number) });
    } finally {
      await inspector.close();
    }
  });

  it('survives an error a config throws later, outside its evaluation', async () => {
    const inspector = new ConfigInspector(10_000);
    try {
      const late = configIn(tempDir(), 'setTimeout(() => { throw new Error("late") }, 0);\nexport default defineBuildConfig({ outDir: "late" });');
      await inspector.inspect(late, 'l/build.config.ts').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      expect((await inspector.inspect(configIn(tempDir(), OK), 'ok/build.config.ts')).outDirs).toEqual(['out']);
    } finally {
      await inspector.close();
    }
  });
});

describe('ConfigInspector with many configs in flight at once', () => {
  it('names exactly the one that hangs among 40, and evaluates the other 39', async () => {
    const inspector = new ConfigInspector(1500);
    try {
      const files = Array.from({ length: 40 }, (_, i) =>
        configIn(tempDir(), i === 17 ? 'for (;;) {}\nexport default defineBuildConfig({});' : `export default defineBuildConfig({ outDir: "out${i}" });`),
      );
      const t0 = performance.now();
      const outcomes = await Promise.all(files.map((f, i) => inspector.inspect(f, `p${i}`).then((s) => s.outDirs[0], (e) => e.code)));
      expect(outcomes[17]).toBe('BS_CONFIG_TIMEOUT');
      expect(outcomes.filter((o, i) => i !== 17)).toEqual(files.map((_, i) => `out${i}`).filter((_, i) => i !== 17));
      // At most twice the bound: once with the others in flight, once alone.
      expect(performance.now() - t0).toBeLessThan(2 * 1500 + 10_000);
    } finally {
      await inspector.close();
    }
  });

  it('names exactly the one that calls process.exit among 20', async () => {
    const inspector = new ConfigInspector(10_000);
    try {
      const files = Array.from({ length: 20 }, (_, i) =>
        configIn(tempDir(), i === 5 ? 'process.exit(2);\nexport default {};' : `export default defineBuildConfig({ outDir: "out${i}" });`),
      );
      const outcomes = await Promise.all(files.map((f, i) => inspector.inspect(f, `p${i}`).then((s) => s.outDirs[0], (e) => e.message)));
      expect(outcomes[5]).toContain('p5 called process.exit(2)');
      expect(outcomes.filter((o, i) => i !== 5)).toEqual(files.map((_, i) => `out${i}`).filter((_, i) => i !== 5));
    } finally {
      await inspector.close();
    }
  });
});

describe('runBuild with a config that hangs or exits', () => {
  function workspace(config: string) {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"ws","private":true}');
    const pkg = path.join(root, 'packages/lib');
    configIn(pkg, config);
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"lib","type":"module"}');
    return { root, pkg };
  }

  it('fails that build with BS_CONFIG_TIMEOUT within the bound and releases the lock', async () => {
    const ws = workspace('while (true) {}\nexport default defineBuildConfig({});');
    const result = await runBuild({ project: 'lib', workspaceRoot: ws.root, packageRoot: 'packages/lib', env: { PATH: process.env.PATH }, configTimeoutMs: 1000 });
    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_TIMEOUT', phase: 'config' })]);
    expect(fs.existsSync(path.join(ws.pkg, '.build-system/lock'))).toBe(false);
  });

  it('fails that build, not the process, when the config calls process.exit', async () => {
    const ws = workspace('process.exit(0);\nexport default defineBuildConfig({});');
    const result = await runBuild({ project: 'lib', workspaceRoot: ws.root, packageRoot: 'packages/lib', env: { PATH: process.env.PATH } });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_LOAD_FAILED', message: expect.stringContaining('process.exit(0)') })]);
  });
});

describe('runBuild probes a config once per content', () => {
  it('writes the evaluation stamp after a probe that passed, and probes again after an edit', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"ws","private":true}');
    const pkg = path.join(root, 'packages/lib');
    configIn(pkg, 'export default defineBuildConfig({ entry: "src/index.ts" });');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"lib","type":"module"}');
    const build = () => runBuild({ project: 'lib', workspaceRoot: root, packageRoot: 'packages/lib', env: { PATH: process.env.PATH }, configTimeoutMs: 1500 });
    expect((await build()).status).toBe('success');
    const stamp = path.join(pkg, '.build-system/evaluated');
    const first = fs.readFileSync(stamp, 'utf8');
    // A hang added later is caught by the probe, because the content (and so the stamp key) changed.
    configIn(pkg, 'for (;;) {}\nexport default defineBuildConfig({ entry: "src/index.ts" });');
    const hung = await build();
    expect(hung.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_TIMEOUT' })]);
    expect(fs.readFileSync(stamp, 'utf8')).toBe(first);
  });
});

describe('vouchers: what the inference plugin already checked is not checked again', () => {
  const { compileConfig } = dist('config/load.js') as typeof import('../../../src/config/load');
  const { fingerprint } = dist('config/validate-once.js') as typeof import('../../../src/config/validate-once');
  const { InferenceCache, inferenceVouchers } = dist('nx/inference-cache.js') as typeof import('../../../src/nx/inference-cache');

  // A config that counts its evaluations: in the build's thread and in the inspector's worker.
  function countingPackage(): { root: string; pkg: string; config: string; count: () => number } {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"ws","private":true}');
    const pkg = path.join(root, 'packages/lib');
    const log = path.join(root, 'evaluations.log');
    const config = configIn(pkg, `require('node:fs').appendFileSync(${JSON.stringify(log)}, 'x');\nexport default defineBuildConfig({ entry: "src/index.ts" });`);
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"lib","type":"module"}');
    return { root, pkg, config, count: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').length : 0) };
  }
  const build = (root: string, vouchers?: import('../../../src/config/load-package-config').ConfigVouchers) =>
    runBuild({ project: 'lib', workspaceRoot: root, packageRoot: 'packages/lib', env: { PATH: process.env.PATH }, vouchers });

  it('without a stamp or a voucher, evaluates the config in isolation first, then in process', async () => {
    const { root, count } = countingPackage();
    expect((await build(root)).status).toBe('success');
    expect(count()).toBe(2);
  });

  it('skips the isolated evaluation when the voucher names this content, and writes the stamp', async () => {
    const { root, pkg, config, count } = countingPackage();
    const { contentHash } = await compileConfig(config);
    expect((await build(root, { for: (file) => (file === config ? { contentHash } : undefined) })).status).toBe('success');
    expect(count()).toBe(1);
    expect(fs.readFileSync(path.join(pkg, '.build-system/evaluated'), 'utf8')).toBe(contentHash);
  });

  it('evaluates in isolation again when the voucher is for other content (the config was edited since)', async () => {
    const { root, config, count } = countingPackage();
    const stale = await compileConfig(config);
    fs.appendFileSync(config, '// edited\n');
    expect((await build(root, { for: () => ({ contentHash: stale.contentHash }) })).status).toBe('success');
    expect(count()).toBe(2);
  });

  it('still validates a value whose fingerprint the voucher does not name', async () => {
    const { root, pkg } = countingPackage();
    configIn(pkg, 'export default defineBuildConfig({ entry: "src/index.ts", outdir: "out" } as never);');
    const result = await build(root, { for: () => ({ fingerprint: fingerprint({ entry: 'src/index.ts' }) }) });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_INVALID' })]);
  });

  it('inference records the content hash and fingerprint a build computes, and the vouchers read them from its cache', async () => {
    const { root, config } = countingPackage();
    const inspector = new ConfigInspector(5000);
    try {
      const summary = await inspector.inspect(config, 'packages/lib/build.config.ts');
      const compiled = await compileConfig(config);
      expect(summary.contentHash).toBe(compiled.contentHash);
      expect(summary.fingerprint).toBe(fingerprint({ entry: 'src/index.ts' }));
      const cache = new InferenceCache(root);
      cache.set(config, InferenceCache.keyFor(config, {}), summary.imports, summary);
      cache.save();
      expect(inferenceVouchers(root).for(config)).toEqual({ contentHash: compiled.contentHash, fingerprint: summary.fingerprint });
      expect(inferenceVouchers(root).for(path.join(root, 'elsewhere/build.config.ts'))).toBeUndefined();
    } finally {
      await inspector.close();
    }
  });
});
