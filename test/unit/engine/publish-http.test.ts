import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResultSchema, type BuildResult } from '../../../src/result/schema';
import { buildTaskSucceeded } from '../../../src/result/task-outcome';
import { useLoopbackServers } from '../helpers/loopback-server';
import { buildPackage, createWorkspace, readBuildLog, readResultFile, TEST_ENV, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const { start, closedPort } = useLoopbackServers();

/** Two artifacts (esm + cjs), fast retries: each test names only what it is about. */
function workspaceWithPublish(publish: string): TestWorkspace {
  return createWorkspace(tempDir, { config: `{ formats: ['esm', 'cjs'], publish: { baseDelayMs: 5, maxDelayMs: 50, ${publish} } }` });
}

function bytesOf(ws: TestWorkspace, result: BuildResult): Map<string, Buffer> {
  return new Map(result.artifacts.map((a) => [`/releases/lib/${path.basename(a.path)}`, fs.readFileSync(path.join(ws.root, a.path))]));
}

describe('publish to an HTTP endpoint', () => {
  it('retries 503 answers and succeeds: attempts = failures + 1, and the server holds exactly the artifacts', async () => {
    const failures = 2;
    const server = await start((_req, i) => (i < failures ? { status: 503 } : { status: 201 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib'`);

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.publish).toMatchObject({ status: 'success', publisher: 'http', attempts: failures + 1, published: 2 });
    expect(server.stored).toEqual(bytesOf(ws, result));
    for (const a of result.artifacts) {
      const put = server.requests.findLast((r) => r.url === `/releases/lib/${path.basename(a.path)}`)!;
      expect(put.method).toBe('PUT');
      expect(put.headers['x-sha256']).toBe(a.sha256);
      expect(put.headers['content-length']).toBe(String(a.size));
      expect(createHash('sha256').update(put.body).digest('hex')).toBe(a.sha256);
    }
    expect(buildTaskSucceeded(result)).toBe(true);
  });

  it('gives up after retries + 1 attempts against a server that always fails; the build stays a success with its artifacts untouched', async () => {
    const server = await start(() => ({ status: 503, body: 'down for maintenance' }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', retries: 3`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 4, published: 0, error: { code: 'BS_PUBLISH_FAILED' } });
    expect(result.publish?.error?.message).toContain('503');
    expect(server.requests).toHaveLength(4);
    // The build's own outcome is unchanged...
    expect(result.status).toBe('success');
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.artifacts).toHaveLength(2);
    // ...but the task fails, so CI notices.
    expect(buildTaskSucceeded(result)).toBe(false);
    for (const a of result.artifacts) {
      const onDisk = fs.readFileSync(path.join(ws.root, a.path));
      expect(createHash('sha256').update(onDisk).digest('hex')).toBe(a.sha256);
      expect(onDisk.length).toBe(a.size);
    }
    expect(buildResultSchema.parse(readResultFile(ws))).toEqual(result);
    expect(readBuildLog(ws)).toContain('BS_PUBLISH_FAILED');
  });

  it("waits for the server's Retry-After after a 429", async () => {
    const server = await start((_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 201 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', baseDelayMs: 1, maxDelayMs: 5000`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', attempts: 2 });
    // Without Retry-After the backoff would be at most 1 ms; loose bound for a busy machine.
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(900);
  });

  it('does not retry a 401: one attempt, and a hint about the token', async () => {
    const server = await start(() => ({ status: 401 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', retries: 4`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 1, published: 0 });
    expect(server.requests).toHaveLength(1);
    expect(result.publish?.error?.hint).toContain('tokenEnv');
  });

  it.each([400, 404, 409, 413, 422])('does not retry a %i', async (status) => {
    const server = await start(() => ({ status }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', retries: 4`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([408, 500, 502])('retries a %i', async (status) => {
    const server = await start((_req, i) => (i === 0 ? { status } : { status: 200 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib'`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', attempts: 2 });
  });

  it('retries when the connection is refused, then reports ECONNREFUSED', async () => {
    const port = await closedPort();
    const ws = workspaceWithPublish(`to: 'http://127.0.0.1:${port}/releases/lib', retries: 2`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 3, published: 0 });
    expect(result.publish?.error?.message).toContain('ECONNREFUSED');
    expect(result.status).toBe('success');
  });

  it('retries a request that times out', async () => {
    const server = await start((_req, i) => (i === 0 ? { status: 0, hang: true } : { status: 201 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', timeoutMs: 1000`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', attempts: 2, published: 2 });
  });

  it('sends the token from tokenEnv as a bearer token and never writes its value to result.json or build.log', async () => {
    const token = 'tok-9f8e7d6c5b4a-secret';
    // The server echoes the Authorization header in its error body, as some do.
    const server = await start((req, i) => (i === 0 ? { status: 500, body: `rejected ${req.headers.authorization}` } : { status: 201 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', tokenEnv: 'PUBLISH_TOKEN'`);

    const result = await buildPackage(ws, { env: { ...TEST_ENV, PUBLISH_TOKEN: token } });

    expect(result.publish).toMatchObject({ status: 'success', attempts: 2 });
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    const resultText = fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8');
    expect(resultText).not.toContain(token);
    expect(readBuildLog(ws)).not.toContain(token);
    expect(readBuildLog(ws)).toContain('rejected Bearer ***');
  });

  it('fails without a request when the tokenEnv variable is not set, naming the variable', async () => {
    const server = await start(() => ({ status: 201 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', tokenEnv: 'PUBLISH_TOKEN'`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'failure', attempts: 0, published: 0 });
    expect(result.publish?.error?.message).toContain('PUBLISH_TOKEN');
    expect(server.requests).toHaveLength(0);
  });

  it('records the target without credentials or query, and sends them as Basic auth and on every URL', async () => {
    const server = await start(() => ({ status: 204 }));
    const ws = workspaceWithPublish(`to: 'http://deploy:pa55-w0rd@${server.origin.slice('http://'.length)}/releases/lib?sig=abc123def456'`);

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', target: `${server.origin}/releases/lib` });
    for (const r of server.requests) {
      expect(r.url).toMatch(/\?sig=abc123def456$/);
      expect(r.headers.authorization).toBe(`Basic ${Buffer.from('deploy:pa55-w0rd').toString('base64')}`);
    }
    const written = fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8') + readBuildLog(ws);
    expect(written).not.toContain('pa55-w0rd');
    expect(written).not.toContain('abc123def456');
  });

  it('fails the publish, not the build, on a URL whose password is not valid percent-encoding', async () => {
    const server = await start(() => ({ status: 201 }));
    const ws = workspaceWithPublish(`to: 'http://deploy:%zz@${server.origin.slice('http://'.length)}/releases/lib'`);

    const result = await buildPackage(ws);

    expect(result.status).toBe('success');
    expect(result.publish).toMatchObject({ status: 'failure', attempts: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it('sends the configured headers with every file', async () => {
    const server = await start(() => ({ status: 201 }));
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', headers: { 'x-release-channel': 'beta' }`);

    await buildPackage(ws);

    expect(server.requests.map((r) => r.headers['x-release-channel'])).toEqual(['beta', 'beta']);
  });

  it('stops waiting between attempts when the build is cancelled', async () => {
    const abort = new AbortController();
    const server = await start(() => {
      abort.abort();
      return { status: 503, headers: { 'retry-after': '30' } };
    });
    const ws = workspaceWithPublish(`to: '${server.origin}/releases/lib', maxDelayMs: 30000`);

    const t0 = performance.now();
    const result = await buildPackage(ws, { signal: abort.signal });

    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(result.publish).toMatchObject({ status: 'failure', attempts: 1 });
    expect(result.publish?.error?.message).toContain('cancelled');
  });

  it('publishes nothing and records "skipped" when the build fails', async () => {
    const server = await start(() => ({ status: 201 }));
    const ws = createWorkspace(tempDir, {
      config: `{ publish: { to: '${server.origin}/releases/lib' } }`,
      files: { 'src/index.ts': 'export const x = ;\n' },
    });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.publish).toMatchObject({ status: 'skipped', attempts: 0, published: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it('has no publish record when no publish is configured', async () => {
    const ws = createWorkspace(tempDir);

    const result = await buildPackage(ws);

    expect(result.publish).toBeUndefined();
    expect(buildTaskSucceeded(result)).toBe(true);
  });
});

describe('http publish of a large artifact', () => {
  it('streams a multi-megabyte file: the server receives exactly its bytes, with its length and checksum', async () => {
    const server = await start(() => ({ status: 201 }));
    const ws = createWorkspace(tempDir, {
      config: `{ builder: 'custom', builderOptions: { command: 'echo "export {}" > "$BUILD_SYSTEM_OUT_DIR/index.js" && head -c 12000000 /dev/urandom > "$BUILD_SYSTEM_OUT_DIR/big.bin"' }, publish: { to: '${server.origin}/releases/lib' } }`,
    });

    const result = await buildPackage(ws);

    expect(result.publish).toMatchObject({ status: 'success', published: 2 });
    const big = result.artifacts.find((a) => a.path.endsWith('big.bin'))!;
    const put = server.requests.find((r) => r.url === '/releases/lib/big.bin')!;
    expect(put.body.length).toBe(12_000_000);
    expect(put.headers['content-length']).toBe('12000000');
    expect(createHash('sha256').update(put.body).digest('hex')).toBe(big.sha256);
    expect(put.headers['x-sha256']).toBe(big.sha256);
  });
});
