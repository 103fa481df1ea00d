import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPackage, createWorkspace, readBuildLog, TEST_ENV, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

/** A TypeScript publisher that records what it was given in the package's `published.json`. */
const RECORDING_PUBLISHER = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Publisher } from '@repo/build-system';

const publisher: Publisher = {
  name: 'recorder',
  async publish(artifacts, ctx, signal) {
    writeFileSync(join(ctx.packageRoot, 'published.json'), JSON.stringify({
      target: ctx.target,
      attempt: ctx.attempt,
      hasToken: ctx.token === 'module-token-value',
      aborted: signal.aborted,
      artifacts: artifacts.map((a) => ({ path: a.path, targetPath: a.targetPath, file: a.file, sha256: a.sha256 })),
    }));
    ctx.log('recorder: done\\n');
  },
};
export default publisher;
`;

/** Fails with a retryable error until its third call. */
const FLAKY_PUBLISHER = `
let calls = 0;
export default {
  name: 'flaky',
  async publish() {
    calls++;
    if (calls < 3) throw Object.assign(new Error('registry busy (call ' + calls + ')'), { retryable: true });
  },
};
`;

describe('publish through a custom module', () => {
  it("loads a package-relative TypeScript module and calls its publish with the artifacts and the configured target", async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ formats: ['esm', 'cjs'], publish: { to: 's3://releases/lib', module: './tools/publish.ts', tokenEnv: 'REGISTRY_TOKEN' } }",
      files: { 'tools/publish.ts': RECORDING_PUBLISHER },
    });

    const result = await buildPackage(ws, { env: { ...TEST_ENV, REGISTRY_TOKEN: 'module-token-value' } });

    expect(result.publish).toMatchObject({ status: 'success', publisher: 'recorder', target: 's3://releases/lib', attempts: 1, published: 2 });
    const seen = JSON.parse(fs.readFileSync(path.join(ws.pkg, 'published.json'), 'utf8'));
    expect(seen).toMatchObject({ target: 's3://releases/lib', attempt: 1, hasToken: true, aborted: false });
    expect(seen.artifacts).toEqual(
      result.artifacts.map((a) => ({ path: a.path, targetPath: path.basename(a.path), file: path.join(ws.root, a.path), sha256: a.sha256 })),
    );
    expect(readBuildLog(ws)).toContain('recorder: done');
    expect(readBuildLog(ws)).not.toContain('module-token-value');
  });

  it('resolves a package name from the package root', async () => {
    const ws = createWorkspace(tempDir, { config: "{ publish: { to: 'registry', module: 'acme-publisher' } }" });
    writeFiles(ws.root, {
      'node_modules/acme-publisher/package.json': JSON.stringify({ name: 'acme-publisher', main: 'index.js' }),
      'node_modules/acme-publisher/index.js': "exports.default = { name: 'acme', publish(artifacts, ctx) { ctx.log('acme got ' + artifacts.length + '\\n'); } };\n",
    });

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', publisher: 'acme', published: 1 });
    expect(readBuildLog(ws)).toContain('acme got 1');
  });

  it('retries an error the module marks retryable', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ publish: { to: 'registry', module: './publish.mjs', baseDelayMs: 5 } }",
      files: { 'publish.mjs': FLAKY_PUBLISHER },
    });

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', publisher: 'flaky', attempts: 3, published: 1 });
    expect(readBuildLog(ws)).toContain('flaky: registry busy (call 2)');
  });

  it('does not retry any other error', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ publish: { to: 'registry', module: './publish.cjs', retries: 3 } }",
      files: { 'publish.cjs': "module.exports = { name: 'strict', publish() { throw new Error('version 1.0.0 already exists'); } };\n" },
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.publish).toMatchObject({ status: 'failure', attempts: 1, error: { code: 'BS_PUBLISH_FAILED', message: expect.stringContaining('strict: version 1.0.0 already exists') } });
  });

  it('gives up on a call that outlives timeoutMs and retries it', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ publish: { to: 'registry', module: './publish.mjs', timeoutMs: 200, retries: 1, baseDelayMs: 5 } }",
      files: { 'publish.mjs': "export default { name: 'stuck', publish: () => new Promise(() => {}) };\n" },
    });

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 2 });
    expect(result.publish?.error?.message).toContain('did not finish within 200 ms');
  });

  it('fails the publish with attempts 0 when the module does not export a publisher', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ publish: { to: 'registry', module: './publish.mjs' } }",
      files: { 'publish.mjs': 'export default async function publish() {}\n' },
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.publish).toMatchObject({ status: 'failure', publisher: 'publish.mjs', attempts: 0 });
    expect(result.publish?.error?.hint).toContain('{ name: string, publish(artifacts, ctx, signal) }');
  });

  it('fails the publish when the module file does not exist', async () => {
    const ws = createWorkspace(tempDir, { config: "{ publish: { to: 'registry', module: './missing.ts' } }" });

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 0 });
    expect(result.publish?.error?.message).toContain('could not be loaded');
  });
});
