import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResultSchema } from '../../../src/result/schema';
import {
  buildPackage,
  configSource,
  createWorkspace,
  readBuildLog,
  readResultFile,
  snapshotTree,
  TEST_ENV,
  useTempDirs,
  writeFiles,
} from '../helpers/workspace';

const tempDir = useTempDirs();

const BROKEN_LINE = 'export const answer: number = 6 * ;';
const BROKEN_SOURCE = `export function greet(name: string): string {\n  return name;\n}\n${BROKEN_LINE}\n`;

describe('runBuild: a source that does not compile', () => {
  it('fails with a non-zero exit code and BS_BUILD_FAILED at the file, line and column', async () => {
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': BROKEN_SOURCE } });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BS_BUILD_FAILED',
        phase: 'build',
        file: 'packages/lib/src/index.ts',
        line: 4,
        column: BROKEN_LINE.indexOf(';') + 1,
      }),
    ]);
  });

  it('writes the same file:line:column and message to build.log', async () => {
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': BROKEN_SOURCE } });

    const result = await buildPackage(ws);

    const [error] = result.errors;
    expect(readBuildLog(ws)).toContain(`${error.file}:${error.line}:${error.column}: error: ${error.message}`);
  });

  it('reports an error once when every format fails on it', async () => {
    const ws = createWorkspace(tempDir, { config: "{ formats: ['esm', 'cjs', 'iife'] }", files: { 'src/index.ts': BROKEN_SOURCE } });

    const result = await buildPackage(ws);

    expect(result.errors).toHaveLength(1);
    expect(readBuildLog(ws).match(/error: /g)).toHaveLength(1);
  });

  it('counts the column in characters on a line with non-ASCII text', async () => {
    const line = "export const label = 'Größe 📏' + ;";
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': `${line}\n` } });

    const result = await buildPackage(ws);

    expect(result.errors[0]).toMatchObject({ line: 1, column: line.indexOf(';') + 1 });
  });

  it('writes a failure result that validates against the BuildResult schema and lists no artifacts', async () => {
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': BROKEN_SOURCE } });

    await buildPackage(ws);

    const onDisk = buildResultSchema.parse(readResultFile(ws));
    expect(onDisk.status).toBe('failure');
    expect(onDisk.artifacts).toEqual([]);
  });
});

describe('runBuild: a failed build after a good one', () => {
  it('leaves the previous dist untouched, byte for byte', async () => {
    const ws = createWorkspace(tempDir, { config: "{ formats: ['esm', 'cjs'], sourcemap: true }" });
    expect((await buildPackage(ws)).status).toBe('success');
    const before = snapshotTree(path.join(ws.pkg, 'dist'));

    writeFiles(ws.pkg, { 'src/index.ts': BROKEN_SOURCE });
    await buildPackage(ws);

    expect(snapshotTree(path.join(ws.pkg, 'dist'))).toEqual(before);
  });

  it('replaces the success result with a failure result', async () => {
    const ws = createWorkspace(tempDir);
    expect((await buildPackage(ws)).status).toBe('success');

    writeFiles(ws.pkg, { 'src/index.ts': BROKEN_SOURCE });
    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(readResultFile(ws)).toMatchObject({ status: 'failure', artifacts: [], id: result.id });
  });

  it('leaves no staging folder behind', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);

    writeFiles(ws.pkg, { 'src/index.ts': BROKEN_SOURCE });
    await buildPackage(ws);

    expect(fs.readdirSync(ws.pkg).filter((name) => name.includes('staging'))).toEqual([]);
  });
});

describe('runBuild: a cancelled build', () => {
  it('reports BS_BUILD_CANCELLED with exit code 130 and keeps the previous dist', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    const before = snapshotTree(path.join(ws.pkg, 'dist'));
    const controller = new AbortController();
    controller.abort();

    const result = await buildPackage(ws, { signal: controller.signal });

    expect(result.status).toBe('failure');
    expect(result.exitCode).toBe(130);
    expect(result.errors.map((e) => e.code)).toEqual(['BS_BUILD_CANCELLED']);
    expect(snapshotTree(path.join(ws.pkg, 'dist'))).toEqual(before);
  });
});

describe('runBuild: config errors', () => {
  const cases: Array<{ problem: string; files: Record<string, string>; code: string; configuration?: string }> = [
    { problem: 'a config with a syntax error', files: { 'build.config.ts': 'export default { outDir: };\n' }, code: 'BS_CONFIG_SYNTAX' },
    { problem: 'a config that throws', files: { 'build.config.ts': "throw new Error('nope');\n" }, code: 'BS_CONFIG_LOAD_FAILED' },
    { problem: 'a config without a default export', files: { 'build.config.ts': 'export const x = 1;\n' }, code: 'BS_CONFIG_NO_EXPORT' },
    { problem: 'a config with an unknown key', files: { 'build.config.ts': configSource('{ minfy: true }') }, code: 'BS_CONFIG_INVALID' },
    { problem: 'an unknown environment', files: {}, code: 'BS_ENVIRONMENT_UNKNOWN', configuration: 'prod' },
    { problem: 'a missing entry', files: { 'build.config.ts': configSource("{ entry: 'src/main.ts' }") }, code: 'BS_ENTRY_NOT_FOUND' },
  ];

  it.each(cases)('writes a failure result file with $code for $problem', async ({ files, code, configuration }) => {
    const ws = createWorkspace(tempDir, { files });

    const result = await buildPackage(ws, { configuration });

    expect(result.status).toBe('failure');
    expect(result.exitCode).toBe(1);
    const onDisk = buildResultSchema.parse(readResultFile(ws));
    expect(onDisk).toEqual(result);
    expect(onDisk.errors.map((e) => e.code)).toContain(code);
    expect(onDisk.errors.every((e) => e.phase === 'config')).toBe(true);
  });

  it('gives a config syntax error the workspace-relative config file, line and column', async () => {
    const ws = createWorkspace(tempDir, { files: { 'build.config.ts': "export default {\n  outDir: 'dist',,\n};\n" } });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'BS_CONFIG_SYNTAX', file: 'packages/lib/build.config.ts', line: 2, column: 18 }),
    ]);
  });

  it('writes one error entry per schema problem, each naming its key', async () => {
    const ws = createWorkspace(tempDir, { files: { 'build.config.ts': configSource("{ minfy: true, cache: { inclde: ['x'] } }") } });

    const result = await buildPackage(ws);

    expect(result.errors).toHaveLength(2);
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/"minfy"[\s\S]*"cache.inclde"|"cache.inclde"[\s\S]*"minfy"/);
    expect(result.errors.every((e) => e.code === 'BS_CONFIG_INVALID' && e.file === 'packages/lib/build.config.ts')).toBe(true);
  });

  it('writes a failure result with BS_CONFIG_NOT_FOUND when the package has no config', async () => {
    const ws = createWorkspace(tempDir);
    fs.rmSync(path.join(ws.pkg, 'build.config.ts'));

    const result = await buildPackage(ws);

    expect(result.errors.map((e) => e.code)).toEqual(['BS_CONFIG_NOT_FOUND']);
    expect(readResultFile(ws)).toMatchObject({ status: 'failure' });
  });

  it('does not touch the previous dist when the config breaks', async () => {
    const ws = createWorkspace(tempDir);
    await buildPackage(ws);
    const before = snapshotTree(path.join(ws.pkg, 'dist'));

    writeFiles(ws.pkg, { 'build.config.ts': 'export default { outDir: };\n' });
    await buildPackage(ws);

    expect(snapshotTree(path.join(ws.pkg, 'dist'))).toEqual(before);
  });
});

describe('runBuild: environment variables', () => {
  const SECRET = 'sk-live-unit-test-7f3a9c41';

  it('fails with BS_ENV_MISSING naming the missing variable, before building', async () => {
    const ws = createWorkspace(tempDir, { config: "{ env: { required: ['API_TOKEN'] } }" });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_ENV_MISSING', phase: 'env' })]);
    expect(result.errors[0].message).toContain('API_TOKEN');
    expect(readBuildLog(ws)).toContain('API_TOKEN');
    expect(fs.existsSync(path.join(ws.pkg, 'dist'))).toBe(false);
  });

  it('treats a required variable set to the empty string as missing', async () => {
    const ws = createWorkspace(tempDir, { config: "{ env: { required: ['API_TOKEN'] } }" });

    const result = await buildPackage(ws, { env: { ...TEST_ENV, API_TOKEN: '' } });

    expect(result.errors.map((e) => e.code)).toEqual(['BS_ENV_MISSING']);
  });

  it('never writes the values of other variables to the result or the log', async () => {
    const ws = createWorkspace(tempDir, { config: "{ env: { required: ['API_TOKEN', 'DEPLOY_KEY'] } }" });

    const result = await buildPackage(ws, { env: { ...TEST_ENV, DEPLOY_KEY: SECRET } });

    expect(result.errors[0].message).toContain('API_TOKEN');
    expect(result.errors[0].message).not.toContain('DEPLOY_KEY');
    expect(fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8')).not.toContain(SECRET);
    expect(readBuildLog(ws)).not.toContain(SECRET);
  });

  it('never writes env values or defaults to the result or the log of a successful build', async () => {
    const ws = createWorkspace(tempDir, { config: "{ env: { required: ['API_TOKEN'], defaults: { REGION: 'eu-secret-region-9' } } }" });

    const result = await buildPackage(ws, { env: { ...TEST_ENV, API_TOKEN: SECRET } });

    expect(result.status).toBe('success');
    const written = fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8') + readBuildLog(ws);
    expect(written).not.toContain(SECRET);
    expect(written).not.toContain('eu-secret-region-9');
  });

  it('gives hooks the env.defaults for variables that are not set', async () => {
    const check = "node -e \"process.exit(process.env.REGION === 'eu-west-1' ? 0 : 1)\"";
    const ws = createWorkspace(tempDir, { config: `{ env: { defaults: { REGION: 'eu-west-1' } }, hooks: { pre: [${JSON.stringify(check)}] } }` });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.hooks).toEqual([expect.objectContaining({ name: check, phase: 'pre', exitCode: 0 })]);
  });
});

describe('runBuild: hooks', () => {
  it('fails with BS_HOOK_FAILED and records the hook when a pre hook command exits non-zero', async () => {
    const command = 'node -e "process.exit(3)"';
    const ws = createWorkspace(tempDir, { config: `{ hooks: { pre: [${JSON.stringify(command)}] } }` });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_HOOK_FAILED', phase: 'hook' })]);
    expect(result.errors[0].message).toContain('exited with code 3');
    expect(result.hooks).toEqual([{ name: command, phase: 'pre', durationMs: expect.any(Number), exitCode: 3 }]);
  });

  it('does not build when a pre hook fails', async () => {
    const ws = createWorkspace(tempDir, { config: `{ hooks: { pre: [${JSON.stringify('node -e "process.exit(1)"')}] } }` });

    await buildPackage(ws);

    expect(fs.existsSync(path.join(ws.pkg, 'dist'))).toBe(false);
  });

  it('fails with BS_HOOK_FAILED naming the function and its error when a pre hook function throws', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ hooks: { pre: [function checkLicense() { throw new Error('LICENSE file is missing'); }] } }",
    });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_HOOK_FAILED' })]);
    expect(result.errors[0].message).toContain('checkLicense');
    expect(result.errors[0].message).toContain('LICENSE file is missing');
    expect(result.hooks).toEqual([{ name: 'checkLicense', phase: 'pre', durationMs: expect.any(Number), exitCode: 1 }]);
  });

  it('uses a hook object name in the record and stops at the first failing hook', async () => {
    const ws = createWorkspace(tempDir, {
      config: `{ hooks: { pre: [
        { name: 'codegen', command: ${JSON.stringify('node -e "process.exit(2)"')} },
        ${JSON.stringify('node -e "require(\'fs\').writeFileSync(\'second-ran\', \'\')"')},
      ] } }`,
    });

    const result = await buildPackage(ws);

    expect(result.hooks.map((h) => ({ name: h.name, exitCode: h.exitCode }))).toEqual([{ name: 'codegen', exitCode: 2 }]);
    expect(fs.existsSync(path.join(ws.pkg, 'second-ran'))).toBe(false);
  });

  it('fails the build with BS_HOOK_FAILED when a post hook fails', async () => {
    const ws = createWorkspace(tempDir, { config: `{ hooks: { post: [${JSON.stringify('node -e "process.exit(1)"')}] } }` });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.errors.map((e) => e.code)).toEqual(['BS_HOOK_FAILED']);
    expect(result.artifacts).toEqual([]);
    expect(result.hooks).toEqual([expect.objectContaining({ phase: 'post', exitCode: 1 })]);
  });

  it('does not wait for a background process a hook leaves holding its output, and stops it', async () => {
    const m = 1000 + Math.floor(Math.random() * 8000);
    const ws = createWorkspace(tempDir, { config: `{ hooks: { post: [${JSON.stringify(`sleep ${m} &`)}] } }` });

    const t0 = performance.now();
    const result = await buildPackage(ws);

    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(result.status).toBe('success');
    expect(readBuildLog(ws)).toContain('left processes running');
    const ps = spawnSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' }).stdout;
    expect(ps.split('\n').filter((l) => l.trim().endsWith(`sleep ${m}`) && !l.trim().startsWith('Z'))).toEqual([]);
  });

  it('kills a hook that ignores SIGTERM when its timeout runs out (SIGKILL after the grace)', async () => {
    const hook = { command: "trap '' TERM; sleep 60", timeoutMs: 300 };
    const ws = createWorkspace(tempDir, { config: `{ hooks: { pre: [${JSON.stringify(hook)}] } }` });

    const t0 = performance.now();
    const result = await buildPackage(ws);

    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_HOOK_FAILED', message: expect.stringContaining('timed out after 300 ms') })]);
    expect(result.hooks).toEqual([expect.objectContaining({ exitCode: 124 })]);
  });

  it('records a passing pre hook and a passing post hook in order', async () => {
    const ok = 'node -e ""';
    const ws = createWorkspace(tempDir, { config: `{ hooks: { pre: [${JSON.stringify(ok)}], post: [function announce() {}] } }` });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.hooks.map((h) => [h.phase, h.name, h.exitCode])).toEqual([
      ['pre', ok, 0],
      ['post', 'announce', 0],
    ]);
  });
});
