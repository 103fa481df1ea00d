import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

/** Nx's self-hosted remote cache protocol (GET/PUT /v1/cache/{hash}), in memory, on loopback. */
function startCacheServer(): Promise<{ server: Server; url: string; entries: Map<string, Buffer>; requests: string[] }> {
  const entries = new Map<string, Buffer>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const match = req.url?.match(/^\/v1\/cache\/([^/?]+)/);
    requests.push(`${req.method} ${req.url}`);
    if (!match) return res.writeHead(404).end();
    const hash = match[1];
    if (req.method === 'GET') {
      const body = entries.get(hash);
      if (!body) return res.writeHead(404).end();
      return res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
    }
    if (req.method === 'PUT') {
      if (entries.has(hash)) return res.writeHead(409).end();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        entries.set(hash, Buffer.concat(chunks));
        res.writeHead(200).end();
      });
      return;
    }
    res.writeHead(405).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, entries, requests })),
  );
}

const files = {
  ...libraryFiles('packages/ui', '@demo/ui'),
  ...libraryFiles('apps/web', '@demo/web', {
    dependencies: { '@demo/ui': '*' },
    source: `import { greet } from '@demo/ui';\nexport const page = () => greet('web');\n`,
  }),
};

describe('two copies of a workspace: determinism and the remote cache', () => {
  let a: Workspace;
  let b: Workspace;
  let cache: Awaited<ReturnType<typeof startCacheServer>>;

  beforeAll(async () => {
    cache = await startCacheServer();
    a = Workspace.create(inject('installDir'), files);
    b = Workspace.create(inject('installDir'), files);
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await new Promise((r) => cache?.server.close(r));
  });

  const env = () => ({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url });
  const results = (ws: Workspace) => ['packages/ui', 'apps/web'].map((p) => ws.json(`${p}/.build-system/result.json`));
  const timingFree = (r: Record<string, unknown>) => {
    const { id: _id, startTime: _s, endTime: _e, durationMs: _d, lock: _l, ...rest } = r;
    return rest;
  };

  it('builds byte-identical artifacts in two directories, with results equal but for timing and ids', async () => {
    const first = await a.nx(['run-many', '-t', 'build'], { env: env() });
    expect(first.code, first.output).toBe(0);
    // B builds on its own first (cache skipped): the same commit in another absolute directory.
    const own = await b.nx(['run-many', '-t', 'build', '--skip-nx-cache']);
    expect(own.code, own.output).toBe(0);
    const [ra, rb] = [results(a), results(b)];
    for (let i = 0; i < ra.length; i++) {
      expect(timingFree(rb[i])).toEqual(timingFree(ra[i]));
      for (const artifact of ra[i].artifacts) expect(b.read(artifact.path)).toBe(a.read(artifact.path));
    }
    expect(JSON.stringify(ra)).not.toContain(a.root);
  });

  it('restores from the remote cache in the other copy with the same sha256, and the run summary says remote-cache', async () => {
    expect(cache.entries.size).toBeGreaterThanOrEqual(2);
    for (const p of ['packages/ui', 'apps/web']) {
      b.remove(`${p}/dist`);
      b.remove(`${p}/.build-system`);
    }
    b.remove('.nx/cache');
    const run = await b.nx(['run-many', '-t', 'build'], { env: env() });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('remote cache');
    expect(results(b)).toEqual(results(a));
    const summary = b.json('.nx/build-system/runs/latest.json');
    expect(summary.tasks.map((t: { status: string }) => t.status)).toEqual(['remote-cache', 'remote-cache']);
    for (const task of summary.tasks) expect(task.integrity).toEqual({ ok: true, problems: [] });
  });
});
